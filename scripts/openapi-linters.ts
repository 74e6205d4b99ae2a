import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export interface LintResult {
  linter: string;
  passed: boolean;
  output: string;
}

/** Both linters offline: no telemetry, no update check, only the rulesets bundled with them. */
const LINTERS: { linter: string; args: (file: string) => string[] }[] = [
  // redocly.yaml extends `recommended-strict`: `recommended` with every warning raised to an error
  { linter: 'redocly', args: (file) => ['lint', '--config', 'redocly.yaml', file] },
  {
    linter: 'spectral',
    args: (file) => ['lint', '--ruleset', '.spectral.yaml', '--fail-severity=warn', file],
  },
];

/**
 * Runs Redocly CLI and Spectral on an OpenAPI document file; each passes only with no error and no
 * warning. Shared by `npm run lint:openapi` and the e2e test, so both apply the same rules.
 */
export function lintOpenApiFile(file: string): LintResult[] {
  return LINTERS.map(({ linter, args }) => {
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', linter), args(file), {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        NO_COLOR: '1',
      },
    });
    const output = `${run.stdout}${run.stderr}${run.error ? String(run.error) : ''}`;
    return { linter, passed: run.status === 0, output };
  });
}
