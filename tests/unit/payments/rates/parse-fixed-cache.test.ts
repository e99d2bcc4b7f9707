import { describe, expect, it } from 'vitest';
import { CachedRateSource, type QuoteLoader } from '../../../../services/payments/rates/cache.js';
import { RateError, normalizeRate, numberToRate } from '../../../../services/payments/rates/decimal.js';
import { FixedRateSource } from '../../../../services/payments/rates/fixed.js';
import { createRateSource, parseRatesSetting } from '../../../../services/payments/rates/index.js';
import type { RateQuote } from '../../../../services/payments/types.js';

describe('payments.rates setting', () => {
  it('recognises the three kinds of source', () => {
    expect(parseRatesSetting('BTC=60000, eth = 3000.50')).toEqual({ kind: 'fixed', rates: { BTC: '60000', ETH: '3000.5' } });
    expect(parseRatesSetting(' CoinGecko ')).toEqual({ kind: 'coingecko' });
    expect(parseRatesSetting('ccxt:binance')).toEqual({ kind: 'ccxt', exchangeId: 'binance', quote: 'USDT' });
    expect(parseRatesSetting('ccxt:Kraken:usd')).toEqual({ kind: 'ccxt', exchangeId: 'kraken', quote: 'USD' });
  });

  it('explains what is wrong', () => {
    expect(() => parseRatesSetting('')).toThrow('payments.rates is empty: use coingecko, ccxt:<exchange> (e.g. ccxt:binance) or a list such as BTC=60000,ETH=3000');
    expect(() => parseRatesSetting('BTC=abc')).toThrow('payments.rates BTC: "abc" is not a plain decimal number such as 60000 or 1.0001');
    expect(() => parseRatesSetting('BTC=0')).toThrow(/must be more than zero/);
    expect(() => parseRatesSetting('BTC=60,000')).toThrow(/"000" is not SYMBOL=USD per coin/);
    expect(() => parseRatesSetting('BTC=1,btc=2')).toThrow(/BTC is listed twice/);
    expect(() => parseRatesSetting('ccxt:')).toThrow(/must be ccxt:<exchange id>/);
    expect(() => parseRatesSetting('binance')).toThrow(RateError);
  });
});

describe('exact rate strings', () => {
  it('normalises decimals and converts JSON numbers through their string form', () => {
    expect(normalizeRate('060000.500', 'r')).toBe('60000.5');
    expect(normalizeRate('0.0001', 'r')).toBe('0.0001');
    expect(numberToRate(67187.33, 'r')).toBe('67187.33');
    expect(numberToRate(1.2e-7, 'r')).toBe('0.00000012');
    expect(numberToRate(1e21, 'r')).toBe('1000000000000000000000');
    expect(numberToRate('3512.50000000', 'r')).toBe('3512.5');
    expect(() => numberToRate(0, 'r')).toThrow(/positive price/);
    expect(() => numberToRate(null, 'r')).toThrow(/positive price/);
    expect(() => numberToRate(Number.NaN, 'r')).toThrow(RateError);
  });
});

describe('fixed owner rates', () => {
  const at = new Date('2025-01-01T00:00:00Z');

  it('quotes listed coins, USDT/USDC at 1 unless listed', async () => {
    const source = new FixedRateSource({ BTC: '60000', USDC: '0.999' }, () => at);
    expect(await source.quote('btc')).toEqual({ asset: 'BTC', usdPerUnit: '60000', source: 'fixed', at: at.toISOString() });
    expect((await source.quote('USDT')).usdPerUnit).toBe('1');
    expect((await source.quote('USDC')).usdPerUnit).toBe('0.999');
    await expect(source.quote('ETH')).rejects.toThrow('payments.rates has no rate for ETH: add ETH=<USD per coin> to the list');
  });

  it('createRateSource builds it from the setting text', async () => {
    const source = createRateSource('BTC=60000,ETH=3000');
    expect(source.name).toBe('fixed');
    expect((await source.quote('ETH')).usdPerUnit).toBe('3000');
  });
});

describe('the quote cache', () => {
  function countingLoader(fail = false) {
    const calls: string[] = [];
    let n = 0;
    const loader: QuoteLoader = {
      name: 'stub',
      async load(asset: string): Promise<RateQuote[]> {
        calls.push(asset);
        await Promise.resolve();
        if (fail) throw new Error('upstream down');
        n++;
        return ['BTC', 'ETH'].map((a) => ({ asset: a, usdPerUnit: String(1000 * n), source: 'stub', at: 'now' }));
      },
    };
    return { loader, calls };
  }

  it('reuses quotes for the TTL, including the others a batch answer brought, then fetches again', async () => {
    let now = 1_000_000;
    const { loader, calls } = countingLoader();
    const source = new CachedRateSource(loader, { ttlMs: 60_000, now: () => now });
    expect((await source.quote('BTC')).usdPerUnit).toBe('1000');
    expect((await source.quote('eth')).usdPerUnit).toBe('1000');
    now += 59_999;
    expect((await source.quote('BTC')).usdPerUnit).toBe('1000');
    expect(calls).toEqual(['BTC']);
    now += 2;
    expect((await source.quote('BTC')).usdPerUnit).toBe('2000');
    expect(calls).toEqual(['BTC', 'BTC']);
  });

  it('shares one request between concurrent asks and does not cache failures', async () => {
    const { loader, calls } = countingLoader();
    const source = new CachedRateSource(loader);
    const [a, b] = await Promise.all([source.quote('BTC'), source.quote('BTC')]);
    expect(a).toBe(b);
    expect(calls).toEqual(['BTC']);

    const failing = countingLoader(true);
    const broken = new CachedRateSource(failing.loader);
    await expect(broken.quote('BTC')).rejects.toThrow('upstream down');
    await expect(broken.quote('BTC')).rejects.toThrow('upstream down');
    expect(failing.calls).toEqual(['BTC', 'BTC']);
  });
});
