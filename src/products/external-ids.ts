import { DomainError, ErrorCode } from '../common/domain-error';
import { isEmptyBody } from '../common/no-body';
import { EXTERNAL_ID_PATTERN } from '../external/product-source';

/** The most ids one fetch_external call takes: one call's work and answer stay bounded. */
export const MAX_EXTERNAL_IDS = 1000;

/** Bad ids named per call at most: enough to fix a request, never an answer as large as it. */
const MAX_PROBLEMS = 20;

/**
 * The ids to fetch, from `{"external_ids": [...]}`, a bare array, or repeated `?external_id=`
 * query parameters; each a positive integer or a safe string, so an id can never alter the
 * upstream URL. Duplicates are dropped, first occurrence kept.
 */
export function parseExternalIds(body: unknown, query: unknown): string[] {
  const ids = rawIds(body, query);
  if (ids.length < 1 || ids.length > MAX_EXTERNAL_IDS) {
    throw invalid([`external_ids must hold 1 to ${MAX_EXTERNAL_IDS} ids (got ${ids.length})`]);
  }
  const problems: string[] = [];
  const parsed = ids.map((id, index) => {
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) {
      return String(id);
    }
    if (typeof id === 'string' && EXTERNAL_ID_PATTERN.test(id)) {
      return id;
    }
    problems.push(
      `external_ids[${index}] must be a positive integer or 1 to 64 letters, digits, _ or - (got ${JSON.stringify(id)?.slice(0, 80)})`,
    );
    return '';
  });
  if (problems.length > 0) {
    throw invalid(problems.slice(0, MAX_PROBLEMS));
  }
  return [...new Set(parsed)];
}

/** The list as given, before its ids are checked: a body wins over the query. */
function rawIds(body: unknown, query: unknown): unknown[] {
  if (Array.isArray(body)) {
    return body as unknown[];
  }
  if (!isEmptyBody(body)) {
    if (typeof body !== 'object' || body === null) {
      throw invalid(['body must be {"external_ids": [...]} or an array of ids']);
    }
    const unknown = Object.keys(body).filter((key) => key !== 'external_ids');
    if (unknown.length > 0) {
      throw invalid(unknown.map((key) => `property ${key} should not exist`));
    }
    const raw = (body as { external_ids?: unknown }).external_ids;
    if (!Array.isArray(raw)) {
      throw invalid(['external_ids must be an array']);
    }
    return raw as unknown[];
  }
  if (query !== undefined) {
    return Array.isArray(query) ? (query as unknown[]) : [query];
  }
  throw invalid([
    'give the ids as {"external_ids": [...]}, a JSON array, or ?external_id=1&external_id=2',
  ]);
}

function invalid(messages: string[]): DomainError {
  return new DomainError(ErrorCode.InvalidInput, messages.join('; '), { message: messages });
}
