/**
 * A short-lived cache in front of a live rate source: quotes are reused for `ttlMs` (default
 * 60 s) and concurrent asks for the same asset share one request. A failed fetch is not cached.
 * The invoice that uses a quote locks its rate; the cache only spares the outside API.
 */
import type { RateQuote, RateSource } from '../types.js';

/** Fetches quotes; may return more than the asset asked for (a batch API), all are cached. */
export interface QuoteLoader {
  readonly name: string;
  load(asset: string): Promise<RateQuote[]>;
}

export class CachedRateSource implements RateSource {
  readonly name: string;
  private readonly cache = new Map<string, { quote: RateQuote; until: number }>();
  private readonly inflight = new Map<string, Promise<RateQuote>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly loader: QuoteLoader,
    opts: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.name = loader.name;
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  quote(asset: string): Promise<RateQuote> {
    const key = asset.trim().toUpperCase();
    const hit = this.cache.get(key);
    if (hit && hit.until > this.now()) return Promise.resolve(hit.quote);
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const run = (async () => {
      try {
        const quotes = await this.loader.load(key);
        const until = this.now() + this.ttlMs;
        for (const q of quotes) this.cache.set(q.asset, { quote: q, until });
        const mine = quotes.find((q) => q.asset === key);
        if (!mine) throw new Error(`${this.name} returned no quote for ${key}`);
        return mine;
      } finally {
        this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, run);
    return run;
  }
}
