/**
 * A CoinGecko API stand-in on 127.0.0.1: GET {prefix}/simple/price?ids=…&vs_currencies=usd
 * [&include_last_updated_at=true] answers like api.coingecko.com/api/v3 does:
 *   { "bitcoin": { "usd": 67187.33, "last_updated_at": 1711356300 }, … }
 * Prices are set as decimal strings and written into the JSON as number literals, exactly.
 * Unknown ids are left out of the answer (as CoinGecko does). Test controls: setPrice, setUpdatedAt,
 * failNext(status), `requests` (path + the API-key header seen).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCoinGecko {
  readonly baseUrl: string;
  readonly requests: Array<{ url: string; apiKey: string | undefined }>;
  setPrice(id: string, usd: string): void;
  /** Unix seconds for last_updated_at; default: the time of each request. */
  setUpdatedAt(seconds: number | null): void;
  failNext(status: number, times?: number): void;
  stop(): Promise<void>;
}

export async function startFakeCoinGecko(opts: { prefix?: string; prices?: Record<string, string> } = {}): Promise<FakeCoinGecko> {
  const prefix = opts.prefix ?? '/api/v3';
  const prices = new Map(Object.entries(opts.prices ?? { bitcoin: '67187.33', ethereum: '3512.5', tether: '1.0002', 'usd-coin': '0.9998' }));
  let updatedAt: number | null = null;
  let failures = { status: 0, left: 0 };
  const requests: FakeCoinGecko['requests'] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = req.headers['x-cg-demo-api-key'] ?? req.headers['x-cg-pro-api-key'];
    requests.push({ url: req.url ?? '', apiKey: Array.isArray(key) ? key[0] : key });
    if (failures.left > 0) {
      failures.left--;
      const body = failures.status === 429 ? { status: { error_code: 429, error_message: "You've exceeded the Rate Limit." } } : { error: 'fake failure' };
      res.writeHead(failures.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    if (url.pathname !== `${prefix}/simple/price`) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
      return;
    }
    const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
    const vs = url.searchParams.get('vs_currencies');
    if (ids.length === 0 || !vs) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"Missing parameter ids or vs_currencies"}');
      return;
    }
    const withTime = url.searchParams.get('include_last_updated_at') === 'true';
    const ts = updatedAt ?? Math.floor(Date.now() / 1000);
    // Written by hand so the prices are the exact decimal literals set, as CoinGecko prints them.
    const rows = ids
      .filter((id) => prices.has(id))
      .map((id) => `"${id}":{"usd":${prices.get(id)}${withTime ? `,"last_updated_at":${ts}` : ''}}`);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(`{${rows.join(',')}}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${prefix}`,
    requests,
    setPrice: (id, usd) => void prices.set(id, usd),
    setUpdatedAt: (s) => void (updatedAt = s),
    failNext: (status, times = 1) => void (failures = { status, left: times }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
