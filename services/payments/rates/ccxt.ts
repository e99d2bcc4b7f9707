/**
 * Exchange rates through ccxt (payments.rates = "ccxt:binance"): the exchange's public ticker
 * for <ASSET>/<QUOTE> (QUOTE defaults to USDT, taken as 1 USD). The price used is the bid — what
 * the owner could sell the coin for right now — or the last trade when the ticker has no (or a zero) bid.
 * The quote currency itself is priced at 1.
 *
 * ccxt's fetchTicker loads the exchange's markets first (one request, cached by ccxt), then asks
 * for the ticker. For Binance only spot markets are loaded (GET /api/v3/exchangeInfo, then
 * GET /api/v3/ticker/24hr?symbol=BTCUSDT); no API key is used or needed.
 *
 * `apiBaseUrl` replaces the scheme and host of every URL in the exchange's `urls.api` (the
 * documented way to point ccxt elsewhere, as setSandboxMode does); tests use it to reach a
 * local stand-in on 127.0.0.1.
 */
import type { RateQuote } from '../types.js';
import type { QuoteLoader } from './cache.js';
import { RateError, numberToRate } from './decimal.js';

export interface CcxtOptions {
  exchangeId: string;
  /** Quote currency of the tickers. Default USDT. */
  quote?: string;
  timeoutMs?: number;
  apiBaseUrl?: string;
  now?: () => number;
}

/** Options that keep an exchange's loadMarkets to its spot markets (fewer, public requests). */
const SPOT_ONLY: Record<string, Record<string, unknown>> = {
  binance: { fetchMarkets: { types: ['spot'] }, fetchMargins: false, fetchCurrencies: false },
  binanceus: { fetchMarkets: { types: ['spot'] }, fetchMargins: false, fetchCurrencies: false },
};

interface CcxtTicker {
  bid?: number | null;
  last?: number | null;
  timestamp?: number | null;
}

interface CcxtExchange {
  urls: { api: unknown };
  fetchTicker(symbol: string): Promise<CcxtTicker>;
}

function rewriteUrls(value: unknown, origin: string): unknown {
  if (typeof value === 'string') return value.replace(/^https?:\/\/[^/]+/i, origin);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = Array.isArray(value) ? ([] as unknown as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(value)) out[k] = rewriteUrls(v, origin);
    return out;
  }
  return value;
}

export class CcxtLoader implements QuoteLoader {
  readonly name: string;
  private readonly quote: string;
  private readonly now: () => number;
  private exchange: Promise<CcxtExchange> | null = null;

  constructor(private readonly opts: CcxtOptions) {
    this.quote = (opts.quote ?? 'USDT').toUpperCase();
    this.name = `ccxt:${opts.exchangeId}`;
    this.now = opts.now ?? Date.now;
  }

  private getExchange(): Promise<CcxtExchange> {
    this.exchange ??= (async () => {
      const ccxt = (await import('ccxt')).default as unknown as Record<string, unknown> & { exchanges: string[] };
      const id = this.opts.exchangeId;
      const Ctor = ccxt[id] as (new (config: Record<string, unknown>) => CcxtExchange) | undefined;
      if (!ccxt.exchanges.includes(id) || typeof Ctor !== 'function') {
        throw new RateError(`payments.rates: ccxt has no exchange "${id}" (ids are lower-case, e.g. binance, kraken, coinbase)`);
      }
      const exchange = new Ctor({ enableRateLimit: true, timeout: this.opts.timeoutMs ?? 10_000, options: SPOT_ONLY[id] ?? {} });
      if (this.opts.apiBaseUrl) exchange.urls.api = rewriteUrls(exchange.urls.api, new URL(this.opts.apiBaseUrl).origin);
      return exchange;
    })();
    this.exchange.catch(() => {
      this.exchange = null;
    });
    return this.exchange;
  }

  async load(asset: string): Promise<RateQuote[]> {
    if (asset === this.quote) return [{ asset, usdPerUnit: '1', source: this.name, at: new Date(this.now()).toISOString() }];
    const exchange = await this.getExchange();
    const symbol = `${asset}/${this.quote}`;
    let ticker: CcxtTicker;
    try {
      ticker = await exchange.fetchTicker(symbol);
    } catch (err) {
      const e = err as Error;
      throw new RateError(`${this.name} ${symbol}: ${e.constructor?.name ?? 'Error'}: ${e.message.replace(/\s+/g, ' ').slice(0, 300)}`);
    }
    // A bid of 0 means an empty order book side: fall back to the last trade.
    const price = ticker.bid || ticker.last;
    if (!price) throw new RateError(`${this.name} ${symbol}: the ticker has neither a bid nor a last price`);
    const usdPerUnit = numberToRate(price, `${this.name} ${symbol}`);
    const at = new Date(typeof ticker.timestamp === 'number' ? ticker.timestamp : this.now()).toISOString();
    return [{ asset, usdPerUnit, source: this.name, at }];
  }
}
