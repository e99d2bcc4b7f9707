/**
 * The baseline: a bare HTTP pass-through with no logic at all. A node:http server that sends
 * each request, as received (method, path, headers, streamed body), to the upstream through an
 * undici Pool — keep-alive, unlimited connections, as ArbDesk's own upstream client — and pipes
 * the answer back (status, headers, streamed body) with undici's stream() API, which writes the
 * upstream body straight into the response (about 1.5× the throughput of request() + pipeline()
 * here). No auth, no parsing, no metering, no logs.
 * Whatever ArbDesk costs beyond this is the price of its logic.
 *
 *   node --import tsx tests/bench/proxy/passthrough.ts <upstream origin>    (prints its origin)
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import type { FromPassthrough } from './protocol.js';

const upstreamOrigin = process.argv[2];
if (!upstreamOrigin) throw new Error('usage: passthrough.ts <upstream origin>');

/** Hop-by-hop headers (RFC 9110 §7.6.1) and host: they describe one connection, not the request. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

function endToEnd(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !HOP.has(name)) out[name] = value;
  }
  return out;
}

const pool = new Pool(upstreamOrigin, { connections: null, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });

const server = createServer((req, res) => {
  const options: Dispatcher.RequestOptions = {
    method: req.method as Dispatcher.HttpMethod,
    path: req.url ?? '/',
    headers: endToEnd(req.headers),
    body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
  };
  // undici's stream API writes the answer straight into `res` (no intermediate Readable).
  pool
    .stream(options, ({ statusCode, headers }) => {
      res.writeHead(statusCode, endToEnd(headers));
      return res;
    })
    .catch(() => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
});
server.keepAliveTimeout = 5_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const ready: FromPassthrough = { type: 'ready', origin: `http://127.0.0.1:${port}` };
  if (process.send) process.send(ready);
  else console.log(ready.origin);
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
