import { RateProvider, RateQuote } from './rate-provider';

type Source = RateProvider['source'];

/** What one sync read: each source's quotes, or why that source could not be read. */
export interface SourcesRead {
  /** The sources that answered, in API_TYPE order, with their quotes (none an earlier source had). */
  read: { source: Source; quotes: RateQuote[] }[];
  failed: { source: Source; reason: string }[];
  /** Pairs a later source also quoted: the earlier source's quote is kept. */
  overlaps: string[];
}

/** Every source API_TYPE lists, in its order; a sync reads them all at once. */
export class RateProviders {
  constructor(readonly all: readonly RateProvider[]) {}

  get sources(): Source[] {
    return this.all.map((p) => p.source);
  }

  /**
   * Fetches every source concurrently. A source that fails is reported with its reason, never
   * thrown, so the others are still stored. A pair two sources quote would be written twice in
   * one sync, so only the first listed source's quote of it is kept.
   */
  async fetchAll(): Promise<SourcesRead> {
    const settled = await Promise.allSettled(this.all.map((p) => p.fetch()));
    const result: SourcesRead = { read: [], failed: [], overlaps: [] };
    const owner = new Map<string, Source>();
    settled.forEach((outcome, index) => {
      const source = this.all[index].source;
      if (outcome.status === 'rejected') {
        const error: unknown = outcome.reason;
        result.failed.push({
          source,
          reason: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      const quotes = outcome.value.filter((quote) => {
        const pair = `${quote.base}/${quote.code}`;
        const first = owner.get(pair);
        if (first !== undefined) {
          result.overlaps.push(`${pair} (${source}, kept ${first})`);
          return false;
        }
        owner.set(pair, source);
        return true;
      });
      result.read.push({ source, quotes });
    });
    return result;
  }
}
