/**
 * A Binance spot public-API stand-in on 127.0.0.1, for ccxt pointed at it (urls.api rewritten).
 * It serves the two endpoints ccxt's binance.fetchTicker uses when only spot markets are loaded,
 * in Binance's wire format (github.com/binance/binance-spot-api-docs, rest-api.md):
 *
 *   GET /api/v3/exchangeInfo                 { timezone, serverTime, rateLimits, exchangeFilters, symbols: [...] }
 *   GET /api/v3/ticker/24hr?symbol=BTCUSDT   24 h ticker: prices and quantities as decimal strings
 *
 * Anything else answers 404; an unknown symbol answers 400 {"code":-1121,"msg":"Invalid symbol."}.
 * Test controls: setTicker(symbol, { bid, ask, last }), failNext(status), `requests`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTicker {
  bid: string;
  ask: string;
  last: string;
}

export interface FakeExchange {
  readonly baseUrl: string;
  readonly requests: string[];
  setTicker(symbol: string, ticker: Partial<FakeTicker>): void;
  failNext(status: number, times?: number): void;
  stop(): Promise<void>;
}

const MARKETS: Array<{ symbol: string; base: string; quote: string }> = [
  { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT' },
  { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT' },
  { symbol: 'USDCUSDT', base: 'USDC', quote: 'USDT' },
];

const DEFAULT_TICKERS: Record<string, FakeTicker> = {
  BTCUSDT: { bid: '67187.33000000', ask: '67187.34000000', last: '67187.34000000' },
  ETHUSDT: { bid: '3512.49000000', ask: '3512.50000000', last: '3512.50000000' },
  USDCUSDT: { bid: '0.99980000', ask: '0.99990000', last: '0.99990000' },
};

function symbolInfo(m: { symbol: string; base: string; quote: string }) {
  return {
    symbol: m.symbol,
    status: 'TRADING',
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: true,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
      { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
      { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT', 'MARGIN']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

export async function startFakeExchange(): Promise<FakeExchange> {
  const tickers = new Map(Object.entries(DEFAULT_TICKERS).map(([k, v]) => [k, { ...v }]));
  const requests: string[] = [];
  let failures = { status: 0, left: 0 };

  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify(body));
    if (failures.left > 0) {
      failures.left--;
      json(
        failures.status,
        failures.status === 429
          ? { code: -1003, msg: 'Too much request weight used; fake failure.' }
          : { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
      );
      return;
    }
    const now = Date.now();
    if (req.method === 'GET' && url.pathname === '/api/v3/exchangeInfo') {
      json(200, {
        timezone: 'UTC',
        serverTime: now,
        rateLimits: [
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
          { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
          { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
        ],
        exchangeFilters: [],
        symbols: MARKETS.map(symbolInfo),
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/v3/ticker/24hr') {
      const symbol = url.searchParams.get('symbol') ?? '';
      const t = tickers.get(symbol);
      if (!t) {
        json(400, { code: -1121, msg: 'Invalid symbol.' });
        return;
      }
      json(200, {
        symbol,
        priceChange: '0.00000000',
        priceChangePercent: '0.000',
        weightedAvgPrice: t.last,
        prevClosePrice: t.last,
        lastPrice: t.last,
        lastQty: '0.01000000',
        bidPrice: t.bid,
        bidQty: '1.50000000',
        askPrice: t.ask,
        askQty: '2.00000000',
        openPrice: t.last,
        highPrice: t.ask,
        lowPrice: t.bid,
        volume: '1000.00000000',
        quoteVolume: '67187340.00000000',
        openTime: now - 86_400_000,
        closeTime: now,
        firstId: 1,
        lastId: 1000,
        count: 1000,
      });
      return;
    }
    json(404, { code: -1, msg: 'Not found (fake exchange serves exchangeInfo and ticker/24hr only).' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    setTicker: (symbol, t) => void tickers.set(symbol, { ...(tickers.get(symbol) ?? DEFAULT_TICKERS.BTCUSDT!), ...t }),
    failNext: (status, times = 1) => void (failures = { status, left: times }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
