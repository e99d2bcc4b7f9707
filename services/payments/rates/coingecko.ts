/**
 * CoinGecko rates: GET {baseUrl}/simple/price?ids=bitcoin,ethereum,tether,usd-coin
 *   &vs_currencies=usd&include_last_updated_at=true
 * → { "bitcoin": { "usd": 67187.33, "last_updated_at": 1711356300 }, … }
 * One request prices all four coins (the cache keeps them all). A price CoinGecko has not
 * updated for `maxAgeMs` (default 15 min) is refused rather than used.
 * Base URL: https://api.coingecko.com/api/v3 (public/demo; a demo key goes in the
 * x-cg-demo-api-key header) or https://pro-api.coingecko.com/api/v3 with x-cg-pro-api-key.
 */
import { httpGetJson, safeOrigin } from '../crypto/http.js';
import type { RateQuote } from '../types.js';
import type { QuoteLoader } from './cache.js';
import { RateError, numberToRate } from './decimal.js';

export const COINGECKO_DEFAULT_URL = 'https://api.coingecko.com/api/v3';

/** CoinGecko coin ids of the assets ArbDesk accepts. */
export const COINGECKO_IDS: Readonly<Record<string, string>> = { BTC: 'bitcoin', ETH: 'ethereum', USDT: 'tether', USDC: 'usd-coin' };

export interface CoinGeckoOptions {
  baseUrl?: string;
  /** Sent as x-cg-demo-api-key (or x-cg-pro-api-key when the base URL is pro-api). Never logged. */
  apiKey?: string;
  timeoutMs?: number;
  maxAgeMs?: number;
  /** Extra or different coin ids, by asset symbol. */
  ids?: Record<string, string>;
  now?: () => number;
}

export class CoinGeckoLoader implements QuoteLoader {
  readonly name = 'coingecko';
  private readonly baseUrl: string;
  private readonly ids: Record<string, string>;
  private readonly now: () => number;

  constructor(private readonly opts: CoinGeckoOptions = {}) {
    this.baseUrl = opts.baseUrl ?? COINGECKO_DEFAULT_URL;
    this.ids = { ...COINGECKO_IDS, ...opts.ids };
    this.now = opts.now ?? Date.now;
  }

  async load(asset: string): Promise<RateQuote[]> {
    if (!this.ids[asset]) throw new RateError(`CoinGecko rates cover ${Object.keys(this.ids).join(', ')}; there is none for ${asset}`);
    const entries = Object.entries(this.ids);
    const path = `/simple/price?ids=${entries.map(([, id]) => encodeURIComponent(id)).join(',')}&vs_currencies=usd&include_last_updated_at=true`;
    const headers: Record<string, string> = {};
    if (this.opts.apiKey) headers[/pro-api\./.test(this.baseUrl) ? 'x-cg-pro-api-key' : 'x-cg-demo-api-key'] = this.opts.apiKey;
    const body = (await httpGetJson(this.baseUrl, path, { service: 'CoinGecko', timeoutMs: this.opts.timeoutMs ?? 10_000, headers })) as Record<
      string,
      { usd?: unknown; last_updated_at?: unknown } | undefined
    >;
    if (!body || typeof body !== 'object') throw new RateError(`CoinGecko ${safeOrigin(this.baseUrl)}: the answer is not an object`);
    const maxAge = this.opts.maxAgeMs ?? 15 * 60_000;
    const quotes: RateQuote[] = [];
    const problems: string[] = [];
    for (const [symbol, id] of entries) {
      const row = body[id];
      if (!row || row.usd === undefined) {
        problems.push(`${symbol}: no "${id}" USD price in the answer`);
        continue;
      }
      let usdPerUnit: string;
      try {
        usdPerUnit = numberToRate(row.usd, `CoinGecko ${id}`);
      } catch (err) {
        problems.push((err as Error).message);
        continue;
      }
      let at = new Date(this.now());
      if (typeof row.last_updated_at === 'number' && Number.isFinite(row.last_updated_at)) {
        at = new Date(row.last_updated_at * 1000);
        if (this.now() - at.getTime() > maxAge) {
          problems.push(`${symbol}: CoinGecko's price is from ${at.toISOString()}, older than ${Math.round(maxAge / 60_000)} min`);
          continue;
        }
      }
      quotes.push({ asset: symbol, usdPerUnit, source: this.name, at: at.toISOString() });
    }
    if (!quotes.some((q) => q.asset === asset)) {
      throw new RateError(`CoinGecko gave no usable price for ${asset}: ${problems.find((p) => p.startsWith(asset)) ?? problems.join('; ')}`);
    }
    return quotes;
  }
}
