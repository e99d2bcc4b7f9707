/**
 * The rate source the `payments.rates` setting selects. Live sources are cached briefly (60 s);
 * the caller locks the quote it uses into the invoice.
 */
import type { RateSource } from '../types.js';
import { CachedRateSource } from './cache.js';
import { CcxtLoader } from './ccxt.js';
import { CoinGeckoLoader } from './coingecko.js';
import { FixedRateSource } from './fixed.js';
import { parseRatesSetting, type RatesSpec } from './parse.js';

export { RateError } from './decimal.js';
export { parseRatesSetting, type RatesSpec } from './parse.js';
export { COINGECKO_DEFAULT_URL } from './coingecko.js';

export interface RateSourceOptions {
  /** CoinGecko base URL (tests: the local stand-in). */
  coingeckoUrl?: string;
  coingeckoApiKey?: string;
  /** Replaces the exchange's API host for ccxt (tests: the local stand-in). */
  ccxtApiBaseUrl?: string;
  cacheTtlMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

export function createRateSource(setting: string | RatesSpec, opts: RateSourceOptions = {}): RateSource {
  const spec = typeof setting === 'string' ? parseRatesSetting(setting) : setting;
  const cache = { ttlMs: opts.cacheTtlMs ?? 60_000, ...(opts.now ? { now: opts.now } : {}) };
  switch (spec.kind) {
    case 'fixed':
      return new FixedRateSource(spec.rates, opts.now ? () => new Date(opts.now!()) : undefined);
    case 'coingecko':
      return new CachedRateSource(
        new CoinGeckoLoader({ baseUrl: opts.coingeckoUrl, apiKey: opts.coingeckoApiKey, timeoutMs: opts.timeoutMs, now: opts.now }),
        cache,
      );
    case 'ccxt':
      return new CachedRateSource(
        new CcxtLoader({ exchangeId: spec.exchangeId, quote: spec.quote, timeoutMs: opts.timeoutMs, apiBaseUrl: opts.ccxtApiBaseUrl, now: opts.now }),
        cache,
      );
  }
}
