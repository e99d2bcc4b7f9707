/**
 * The control server: the same contract as the Electron IPC, over HTTP + WebSocket, for the
 * dashboard in a browser (headless mode) and for the CLI. Listens on 127.0.0.1 by default and
 * requires the owner token on every route (see auth.ts).
 *
 *   GET  /?token=…            login: sets the session cookie, redirects to /
 *   GET  /…                   the built renderer (static files)
 *   POST /api/invoke/:method  body = command input; answers a Result as JSON
 *   GET  /api/events          WebSocket; each text frame is one EventBatch
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { EventBatch, Result, ServiceStatus } from '../contract.js';
import { fail } from '../contract.js';
import type { Logger } from '../log/logger.js';
import { isAuthorized, isSameOrigin, sessionCookie } from './auth.js';
import { sameSecret } from './owner-token.js';
import { notBuiltPage, unauthorizedPage } from './pages.js';

export interface ControlServerOptions {
  host: string;
  port: number;
  token: string;
  rendererDir: string;
  logger: Logger;
  dispatch: (method: string, input: unknown) => Promise<Result<unknown>>;
  subscribe: (listener: (batch: EventBatch) => void) => () => void;
  currentStatuses: () => ServiceStatus[];
}

export interface ControlServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 1_048_576 });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    // The login URL carries the token; it must never leak through a Referer header.
    reply.header('referrer-policy', 'no-referrer');
    const url = new URL(req.url, 'http://control.local');
    const loginToken = url.pathname === '/' ? url.searchParams.get('token') : null;
    if (loginToken !== null) return login(req, reply, loginToken);
    if (!isAuthorized(req.headers, options.token)) return refuse(req, reply, 'unauthorized');
    if (!isSameOrigin(req.headers)) return refuse(req, reply, 'cross-origin');
  });

  const login = (req: FastifyRequest, reply: FastifyReply, given: string) => {
    if (!sameSecret(given, options.token)) {
      options.logger.warn({ event: 'control.login_refused', ip: req.ip }, 'login with a wrong token refused');
      return reply.code(401).type('text/html').send(unauthorizedPage('This login link is wrong or out of date.'));
    }
    options.logger.info({ event: 'control.login', ip: req.ip }, 'owner signed in to the dashboard');
    return reply.code(302).header('set-cookie', sessionCookie(options.token)).header('cache-control', 'no-store').header('location', '/').send();
  };

  const refuse = (req: FastifyRequest, reply: FastifyReply, why: 'unauthorized' | 'cross-origin') => {
    const message =
      why === 'unauthorized'
        ? 'Not signed in: open the login URL printed by `arbdesk serve` (or run `arbdesk url`), or send Authorization: Bearer <owner token>.'
        : 'Refused: this request came from another origin.';
    options.logger.warn({ event: 'control.refused', why, method: req.method, path: req.url.split('?')[0] }, message);
    const status = why === 'unauthorized' ? 401 : 403;
    if (req.url.startsWith('/api/')) return reply.code(status).send(fail('unauthorized', message));
    return reply.code(status).type('text/html').send(unauthorizedPage(message));
  };

  app.post<{ Params: { method: string } }>('/api/invoke/:method', async (req, reply) => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json') && req.body !== undefined) {
      return reply.code(415).send(fail('invalid_input', 'send the command input as JSON (content-type: application/json)'));
    }
    const input = req.body === null || req.body === undefined || req.body === '' ? undefined : req.body;
    const result = await options.dispatch(req.params.method, input);
    return reply.header('cache-control', 'no-store').send(result);
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) options.logger.error({ event: 'control.error', path: req.url.split('?')[0], err: error.message }, 'control server error');
    const message = status === 500 ? 'internal error; see the log' : error.message;
    return reply.code(status).send(fail(status === 500 ? 'internal' : 'invalid_input', message));
  });

  app.get('/api/events', { websocket: true }, (socket) => {
    const send = (batch: EventBatch) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(batch));
    };
    send({ stream: 'host.status', events: [{ state: 'up', reason: 'connected', restarts: 0 }] });
    send({ stream: 'service.status', events: options.currentStatuses() });
    const unsubscribe = options.subscribe(send);
    socket.on('close', unsubscribe);
    socket.on('error', unsubscribe);
    // The event stream is one-way; anything the client sends is ignored.
  });

  if (existsSync(path.join(options.rendererDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: options.rendererDir, prefix: '/', index: 'index.html', cacheControl: false });
  } else {
    app.get('/', async (_req, reply) => reply.type('text/html').send(notBuiltPage()));
  }

  await app.listen({ host: options.host, port: options.port }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') {
      throw new Error(`control port ${options.port} on ${options.host} is already in use; choose another with --control-port (0 picks a free one)`);
    }
    throw err;
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    close: () => app.close(),
  };
}
