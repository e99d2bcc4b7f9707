/**
 * The `payments.rates` setting: where USD prices of the accepted coins come from.
 *
 *   BTC=60000,ETH=3000      a fixed list the owner maintains (USDT and USDC are 1 unless listed)
 *   coingecko               CoinGecko's simple/price (bitcoin, ethereum, tether, usd-coin)
 *   ccxt:binance            an exchange's public ticker through ccxt, BTC/USDT etc. (USDT taken as 1 USD)
 *   ccxt:kraken:USD         … with another quote currency
 */
import { RateError, normalizeRate } from './decimal.js';

export type RatesSpec =
  | { kind: 'fixed'; rates: Record<string, string> }
  | { kind: 'coingecko' }
  | { kind: 'ccxt'; exchangeId: string; quote: string };

/** Stablecoins a fixed list prices at 1 USD unless the owner lists them. */
export const DEFAULT_STABLECOINS: Readonly<Record<string, string>> = { USDT: '1', USDC: '1' };

const EXAMPLE = 'use coingecko, ccxt:<exchange> (e.g. ccxt:binance) or a list such as BTC=60000,ETH=3000';

export function parseRatesSetting(text: string, setting = 'payments.rates'): RatesSpec {
  const value = text.trim();
  if (value === '') throw new RateError(`${setting} is empty: ${EXAMPLE}`);
  if (value.toLowerCase() === 'coingecko') return { kind: 'coingecko' };
  if (/^ccxt:/i.test(value)) {
    const m = /^ccxt:([a-z0-9_]+)(?::([A-Za-z0-9]{2,10}))?$/i.exec(value);
    if (!m) throw new RateError(`${setting}: "${value.slice(0, 60)}" must be ccxt:<exchange id>[:<quote currency>], e.g. ccxt:binance or ccxt:kraken:USD`);
    return { kind: 'ccxt', exchangeId: m[1]!.toLowerCase(), quote: (m[2] ?? 'USDT').toUpperCase() };
  }
  const rates: Record<string, string> = {};
  for (const entry of value.split(',').map((s) => s.trim())) {
    if (entry === '') continue;
    const m = /^([A-Za-z0-9]{1,15})\s*=\s*(.*)$/.exec(entry);
    if (!m) throw new RateError(`${setting}: "${entry.slice(0, 60)}" is not SYMBOL=USD per coin; ${EXAMPLE}`);
    const symbol = m[1]!.toUpperCase();
    if (rates[symbol] !== undefined) throw new RateError(`${setting}: ${symbol} is listed twice`);
    rates[symbol] = normalizeRate(m[2]!, `${setting} ${symbol}`);
  }
  if (Object.keys(rates).length === 0) throw new RateError(`${setting} lists no rates: ${EXAMPLE}`);
  return { kind: 'fixed', rates };
}
