/**
 * The customer-facing HTTP server of the reselling proxy. It uses node:http directly rather
 * than a framework because it sits on the hot path of every paid request (see the proxy
 * benchmarks). Every route answers under `/` and under the `/ai-proxy` prefix the seeds use.
 *
 * Now: GET /health and GET / (service info). The metered /v1 routes arrive with the proxy issue.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson, sendOpenAIError } from './openai-error.js';

export interface ProxyServerOptions {
  host: string;
  port: number;
  version: string;
  publicUrl: string;
}

const PREFIX = '/ai-proxy';

export function routePath(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  if (path === PREFIX) return '/';
  return path.startsWith(PREFIX + '/') ? path.slice(PREFIX.length) : path;
}

export function createProxyServer(options: ProxyServerOptions): Server {
  const startedAt = Date.now();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = routePath(req.url);
    if (req.method === 'GET' && (path === '/health' || path === '/health/')) {
      sendJson(res, 200, {
        status: 'ok',
        service: 'arbdesk-proxy',
        version: options.version,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      });
      return;
    }
    if (req.method === 'GET' && path === '/') {
      sendJson(res, 200, {
        name: 'ArbDesk AI proxy',
        version: options.version,
        openaiCompatible: true,
        baseUrl: options.publicUrl || null,
        endpoints: ['GET /health', 'GET /v1/models', 'GET /v1/auth', 'POST /v1/chat/completions'],
        docs: 'Use this URL plus /v1 as base_url in the OpenAI SDK, with your sk-arb- key.',
      });
      return;
    }
    sendOpenAIError(res, 404, 'not_found_error', 'not_found', `No route for ${req.method} ${path}. See GET / for the endpoints.`);
  });
  // Slow or idle clients must not hold sockets forever.
  server.requestTimeout = 120_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  return server;
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
