/**
 * The customer-facing HTTP server of the reselling proxy. It uses node:http directly rather
 * than a framework because it sits on the hot path of every paid request (see
 * docs/benchmarks.md). Every route also answers under the `/ai-proxy` prefix the seeds use.
 *
 *   POST /v1/chat/completions   metered (chat-handler.ts)
 *   GET  /v1/models             models this key may use, at the customer's prices
 *   GET  /v1/auth               key status: balance, limits, expiry
 *   GET  /                      service info          GET /health   liveness
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Allowances } from '../allowances/allowances.js';
import type { Customers } from '../customers/customers.js';
import type { KeyStore } from '../keys/key-store.js';
import type { Ledger } from '../ledger/ledger.js';
import { authenticate } from './auth.js';
import type { AuthFailureGuard } from './auth-guard.js';
import { clientIp } from './client-ip.js';
import { handleChat, nextRequestId, type ChatDeps } from './chat-handler.js';
import { sendAuth, sendModels } from './info-routes.js';
import { sendJson, sendOpenAIError } from './openai-error.js';
import { onCallClosed, ProxyCall, refuse, type CallEndDeps } from './proxy-call.js';
import type { ProxyStatsWindow } from './stats.js';

export interface ProxyServerOptions {
  version: string;
  publicUrl: string;
}

export interface ProxyRoutesDeps extends ChatDeps {
  keys: KeyStore;
  customers: Customers;
  ledger: Ledger;
  allowances: Allowances;
  stats: ProxyStatsWindow;
  authGuard: AuthFailureGuard;
  trustedProxies: ReadonlySet<string>;
  /** A refused chat request, for the UI's live feed (proxy-call.ts). */
  onRefused?: CallEndDeps['onRefused'];
}

const PREFIX = '/ai-proxy';

export function routePath(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  if (path === PREFIX) return '/';
  return path.startsWith(PREFIX + '/') ? path.slice(PREFIX.length) : path;
}

export function createProxyServer(options: ProxyServerOptions, deps?: ProxyRoutesDeps): Server {
  const startedAt = Date.now();
  const endDeps: CallEndDeps | undefined = deps && { stats: deps.stats, meter: deps.meter, nextRequestId, onRefused: deps.onRefused };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = routePath(req.url);
    if (deps && endDeps && path.startsWith('/v1/')) {
      // Every call counts in the live stats and every chat request with a known key leaves a
      // record, refusals included; metered requests do both when they settle (chat-relay.ts).
      const call = new ProxyCall(performance.now());
      res.once('close', () => onCallClosed(res, call, endDeps));
      route(req, res, path, deps, call).catch((error: unknown) => {
        deps.logger.error({ event: 'proxy.internal_error', path, err: (error as Error).message }, 'proxy request failed');
        if (!res.headersSent) refuse(res, call, 500, 'api_error', 'internal_error', 'internal error in the proxy; the owner can see it in the log');
        else res.destroy();
      });
      return;
    }
    if (req.method === 'GET' && (path === '/health' || path === '/health/')) {
      return sendJson(res, 200, { status: 'ok', service: 'arbdesk-proxy', version: options.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
    }
    if (req.method === 'GET' && path === '/') {
      return sendJson(res, 200, {
        name: 'ArbDesk AI proxy',
        version: options.version,
        openaiCompatible: true,
        baseUrl: options.publicUrl || null,
        endpoints: ['GET /health', 'GET /v1/models', 'GET /v1/auth', 'POST /v1/chat/completions'],
        docs: 'Use this URL plus /v1 as base_url in the OpenAI SDK, with your sk-arb- key.',
      });
    }
    sendOpenAIError(res, 404, 'not_found_error', 'not_found', `No route for ${req.method} ${path}. See GET / for the endpoints.`);
  });
  // Slow or idle clients must not hold sockets forever.
  server.requestTimeout = 120_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

async function route(req: IncomingMessage, res: ServerResponse, path: string, deps: ProxyRoutesDeps, call: ProxyCall): Promise<void> {
  const known = path === '/v1/chat/completions' || path === '/v1/models' || path === '/v1/auth';
  if (!known) return sendOpenAIError(res, 404, 'not_found_error', 'not_found', `No route for ${req.method} ${path}. See GET / for the endpoints.`);
  const wantPost = path === '/v1/chat/completions';
  if ((wantPost && req.method !== 'POST') || (!wantPost && req.method !== 'GET')) {
    return sendOpenAIError(res, 405, 'invalid_request_error', 'method_not_allowed', `${path} takes ${wantPost ? 'POST' : 'GET'}`, { allow: wantPost ? 'POST' : 'GET' });
  }
  const ip = clientIp(req, deps.trustedProxies);
  const wait = deps.authGuard.blockedFor(ip);
  if (wait > 0) {
    return sendOpenAIError(res, 429, 'rate_limit_error', 'too_many_auth_failures', `too many requests with a wrong API key from your address; retry in ${wait} s`, { 'retry-after': String(wait) });
  }
  call.chat = wantPost;
  const auth = authenticate(req, res, deps.keys);
  call.key = auth.key ?? null;
  if (!auth.ok) {
    call.code = auth.code;
    deps.authGuard.fail(ip);
    deps.logger.warn({ event: 'proxy.auth_failed', ip, status: res.statusCode, path }, 'proxy request with a missing or bad key');
    return;
  }
  if (path === '/v1/models') return sendModels(res, auth.key, deps.prices);
  if (path === '/v1/auth') return sendAuth(res, auth.key, deps.customers, deps.ledger, deps.allowances);
  await handleChat(req, res, auth.key, deps, call);
}

/** Listens, turning "address in use" into a message that says what to do. */
export function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} on ${host} is already in use by another program; stop it or choose another port (proxy.port / --proxy-port)`));
      } else if (err.code === 'EACCES') {
        reject(new Error(`not allowed to listen on ${host}:${port}; choose a port above 1024`));
      } else if (err.code === 'EADDRNOTAVAIL') {
        reject(new Error(`address ${host} is not available on this machine; check proxy.host`));
      } else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
