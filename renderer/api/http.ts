/**
 * The browser transport, used when the renderer is served by `arbdesk serve`:
 *
 * - commands: `POST /api/invoke/<method>` with the input as JSON (cookie auth, same origin);
 *   the answer is always a contract Result; HTTP 401 means "not signed in".
 * - events: one WebSocket to `/api/events`; each text frame is one EventBatch. It reconnects
 *   with backoff while anyone is subscribed and reports its state through `onLink`.
 *
 * Everything outside the page (fetch, WebSocket, timers) is passed in, so this file has no
 * DOM globals and its logic is unit-tested in Node (tests/unit/renderer/http.test.ts).
 */
import type { CommandError, CommandInput, CommandName, CommandOutput, EventBatch, Result } from '../../services/contract';
import type { LinkStatus } from '../store/connection';
import { reconnectDelay } from './backoff';
import { NOT_SIGNED_IN_MESSAGE, errorText, failure, isResult } from './result';
import type { Api } from './types';

export interface ResponseLike {
  status: number;
  json(): Promise<unknown>;
}

export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; credentials: 'same-origin' },
) => Promise<ResponseLike>;

export interface SocketHandlers {
  open(): void;
  message(data: unknown): void;
  close(code: number, reason: string): void;
}

/** Opens a WebSocket and forwards its events to `handlers`; returns a way to close it. */
export type OpenSocket = (url: string, handlers: SocketHandlers) => { close(): void };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HttpApiOptions {
  /** Page origin, e.g. `http://127.0.0.1:4780`. */
  origin: string;
  fetch: FetchLike;
  openSocket: OpenSocket;
  timers?: Timers;
  delay?: (attempt: number) => number;
}

/** Close codes a server may use to say "your cookie is not valid" after accepting the socket. */
const UNAUTHORIZED_CLOSE_CODES = new Set([4401, 1008]);

export function describeClose(code: number, reason: string): string {
  if (UNAUTHORIZED_CLOSE_CODES.has(code)) return 'not signed in';
  if (reason) return reason;
  if (code === 1006) return 'the control server cannot be reached';
  if (code === 1001) return 'the control server is shutting down';
  if (code === 1000 || code === 1005) return 'the control server closed the connection';
  return `the connection closed (code ${code})`;
}

export function eventsUrl(origin: string): string {
  const url = new URL('/api/events', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export function invokeUrl(origin: string, method: string): string {
  return new URL(`/api/invoke/${encodeURIComponent(method)}`, origin).toString();
}

/** Parses one WebSocket text frame; null when it is not a batch. */
export function parseBatch(data: unknown): EventBatch | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { stream, events } = value as { stream?: unknown; events?: unknown };
  if (typeof stream !== 'string' || !Array.isArray(events)) return null;
  return value as EventBatch;
}

/** Reads a fetch answer as a Result; an HTTP 401 is always `unauthorized`. */
export async function readResponse(response: ResponseLike): Promise<Result<unknown>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (response.status === 401) {
    return failure('unauthorized', NOT_SIGNED_IN_MESSAGE);
  }
  if (isResult(body)) return body;
  return failure('internal', `The control server answered HTTP ${response.status} without a result.`);
}

export function createHttpApi(options: HttpApiOptions): Api {
  const timers: Timers = options.timers ?? {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const delay = options.delay ?? ((attempt: number) => reconnectDelay(attempt));

  const batchListeners = new Set<(batch: EventBatch) => void>();
  const linkListeners = new Set<(link: LinkStatus) => void>();
  const authListeners = new Set<(error: CommandError) => void>();

  let link: LinkStatus = { state: 'connecting', reason: '', attempt: 0, retryInMs: null };
  let socket: { close(): void } | null = null;
  let retryTimer: unknown = null;
  let generation = 0;

  const setLink = (next: LinkStatus) => {
    link = next;
    for (const listener of [...linkListeners]) listener(link);
  };

  const connect = () => {
    retryTimer = null;
    const mine = ++generation;
    setLink({ ...link, state: 'connecting', retryInMs: null });
    // Handlers of a socket we already gave up on are ignored.
    const current = () => mine === generation;
    socket = options.openSocket(eventsUrl(options.origin), {
      open() {
        if (!current()) return;
        setLink({ state: 'open', reason: '', attempt: 0, retryInMs: null });
      },
      message(data) {
        if (!current()) return;
        const batch = parseBatch(data);
        if (!batch) return;
        for (const listener of [...batchListeners]) listener(batch);
      },
      close(code, reason) {
        if (!current()) return;
        socket = null;
        const attempt = link.state === 'open' ? 0 : link.attempt;
        const wait = delay(attempt);
        setLink({ state: 'closed', reason: describeClose(code, reason), attempt: attempt + 1, retryInMs: wait });
        if (batchListeners.size > 0) retryTimer = timers.setTimeout(connect, wait);
      },
    });
  };

  const disconnect = () => {
    generation += 1;
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = null;
    const s = socket;
    socket = null;
    s?.close();
    setLink({ state: 'connecting', reason: '', attempt: 0, retryInMs: null });
  };

  async function invoke<M extends CommandName>(method: M, input?: CommandInput<M>): Promise<Result<CommandOutput<M>>> {
    let result: Result<unknown>;
    try {
      const response = await options.fetch(invokeUrl(options.origin, method), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
      result = await readResponse(response);
    } catch (error) {
      result = failure('host_unavailable', `Cannot reach the ArbDesk control server (${errorText(error)}).`);
    }
    if (!result.ok && result.error.code === 'unauthorized') {
      const error = result.error;
      for (const listener of [...authListeners]) listener(error);
    }
    return result as Result<CommandOutput<M>>;
  }

  return {
    transport: 'http',
    invoke,
    subscribe(listener) {
      batchListeners.add(listener);
      if (batchListeners.size === 1 && socket === null && retryTimer === null) connect();
      return () => {
        if (!batchListeners.delete(listener)) return;
        if (batchListeners.size === 0) disconnect();
      };
    },
    onLink(listener) {
      linkListeners.add(listener);
      listener(link);
      return () => linkListeners.delete(listener);
    },
    onUnauthorized(listener) {
      authListeners.add(listener);
      return () => authListeners.delete(listener);
    },
  };
}
