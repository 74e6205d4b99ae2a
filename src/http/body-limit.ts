const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** BODY_LIMIT (`512kb`, `1mb`: body-parser's syntax, validated at startup) in bytes, for Fastify. */
export function bodyLimitBytes(limit: string): number {
  const match = /^(\d+)(b|kb|mb)$/i.exec(limit.trim());
  if (!match) {
    throw new Error(`BODY_LIMIT must look like 512kb or 1mb, got ${limit}`);
  }
  return Number(match[1]) * UNITS[match[2].toLowerCase()];
}
