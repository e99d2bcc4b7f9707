/**
 * CoinGecko and ccxt rate sources against local stand-ins on 127.0.0.1 speaking the real wire
 * formats (tests/fakes/coingecko.ts, tests/fakes/exchange.ts — Binance spot). ccxt itself runs,
 * with its urls.api pointed at the stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateSource } from '../../../../services/payments/rates/index.js';
import { startFakeCoinGecko, type FakeCoinGecko } from '../../../fakes/coingecko.js';
import { startFakeExchange, type FakeExchange } from '../../../fakes/exchange.js';

describe('CoinGecko simple/price', () => {
  let cg: FakeCoinGecko;
  beforeAll(async () => {
    cg = await startFakeCoinGecko();
  });
  afterAll(() => cg.stop());

  it('prices all four coins with one request, exactly as printed, sending the API key as a header', async () => {
    cg.setPrice('bitcoin', '67187.335');
    const source = createRateSource('coingecko', { coingeckoUrl: cg.baseUrl, coingeckoApiKey: 'CG-demo-key' });
    const before = cg.requests.length;
    const btc = await source.quote('BTC');
    expect(btc).toMatchObject({ asset: 'BTC', usdPerUnit: '67187.335', source: 'coingecko' });
    expect(Date.now() - Date.parse(btc.at)).toBeLessThan(60_000);
    expect((await source.quote('ETH')).usdPerUnit).toBe('3512.5');
    expect((await source.quote('usdt')).usdPerUnit).toBe('1.0002');
    expect((await source.quote('USDC')).usdPerUnit).toBe('0.9998');
    const mine = cg.requests.slice(before);
    expect(mine).toEqual([
      { url: '/api/v3/simple/price?ids=bitcoin,ethereum,tether,usd-coin&vs_currencies=usd&include_last_updated_at=true', apiKey: 'CG-demo-key' },
    ]);
  });

  it('keeps tiny prices exact (no float arithmetic)', async () => {
    cg.setPrice('tether', '0.00000012');
    const source = createRateSource('coingecko', { coingeckoUrl: cg.baseUrl });
    expect((await source.quote('USDT')).usdPerUnit).toBe('0.00000012');
    cg.setPrice('tether', '1.0002');
  });

  it('refuses a stale price, an asset it does not cover, and reports HTTP errors with the status', async () => {
    cg.setUpdatedAt(Math.floor(Date.now() / 1000) - 3600);
    await expect(createRateSource('coingecko', { coingeckoUrl: cg.baseUrl }).quote('BTC')).rejects.toThrow(/CoinGecko gave no usable price for BTC: BTC: CoinGecko's price is from .* older than 15 min/);
    cg.setUpdatedAt(null);
    await expect(createRateSource('coingecko', { coingeckoUrl: cg.baseUrl }).quote('DAI')).rejects.toThrow(/there is none for DAI/);
    cg.failNext(429);
    await expect(createRateSource('coingecko', { coingeckoUrl: cg.baseUrl }).quote('BTC')).rejects.toThrow(
      /^CoinGecko http:\/\/127\.0\.0\.1:\d+ GET \/simple\/price: HTTP 429 .*Rate Limit/,
    );
  });

  it('says when nothing answers', async () => {
    const dead = await startFakeCoinGecko();
    const url = dead.baseUrl;
    await dead.stop();
    await expect(createRateSource('coingecko', { coingeckoUrl: url }).quote('BTC')).rejects.toThrow(/CoinGecko http:\/\/127\.0\.0\.1:\d+ GET \/simple\/price: ECONNREFUSED/);
  });
});

describe('ccxt exchange ticker (Binance spot stand-in)', () => {
  let ex: FakeExchange;
  beforeAll(async () => {
    ex = await startFakeExchange();
  });
  afterAll(() => ex.stop());

  it('loads the spot markets once, then prices each coin from its USDT ticker bid', async () => {
    const source = createRateSource('ccxt:binance', { ccxtApiBaseUrl: ex.baseUrl });
    expect(source.name).toBe('ccxt:binance');
    const before = ex.requests.length;
    expect(await source.quote('BTC')).toMatchObject({ asset: 'BTC', usdPerUnit: '67187.33', source: 'ccxt:binance' });
    expect((await source.quote('ETH')).usdPerUnit).toBe('3512.49');
    expect((await source.quote('USDC')).usdPerUnit).toBe('0.9998');
    expect((await source.quote('USDT')).usdPerUnit).toBe('1');
    expect((await source.quote('BTC')).usdPerUnit).toBe('67187.33'); // cached
    expect(ex.requests.slice(before)).toEqual([
      'GET /api/v3/exchangeInfo',
      'GET /api/v3/ticker/24hr?symbol=BTCUSDT',
      'GET /api/v3/ticker/24hr?symbol=ETHUSDT',
      'GET /api/v3/ticker/24hr?symbol=USDCUSDT',
    ]);
  });

  it('falls back to the last trade when the book has no bid', async () => {
    ex.setTicker('ETHUSDT', { bid: '0.00000000', last: '3400.10000000' });
    const source = createRateSource('ccxt:binance', { ccxtApiBaseUrl: ex.baseUrl });
    expect((await source.quote('ETH')).usdPerUnit).toBe('3400.1');
    ex.setTicker('ETHUSDT', { bid: '3512.49000000', last: '3512.50000000' });
  });

  it('explains an unknown market, an unknown exchange and exchange errors', async () => {
    const source = createRateSource('ccxt:binance', { ccxtApiBaseUrl: ex.baseUrl });
    await expect(source.quote('DOGE')).rejects.toThrow('ccxt:binance DOGE/USDT: BadSymbol: binance does not have market symbol DOGE/USDT');
    await expect(createRateSource('ccxt:nosuchexchange').quote('BTC')).rejects.toThrow(/ccxt has no exchange "nosuchexchange"/);
    ex.failNext(503, 10);
    const failing = createRateSource('ccxt:binance', { ccxtApiBaseUrl: ex.baseUrl });
    await expect(failing.quote('BTC')).rejects.toThrow(/^ccxt:binance BTC\/USDT: \w+: binance .*unable to process your request/);
    ex.failNext(503, 0);
  });
});
