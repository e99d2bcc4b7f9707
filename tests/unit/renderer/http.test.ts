import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../../../services/contract';
import { reconnectDelay } from '../../../renderer/api/backoff';
import {
  createHttpApi,
  describeClose,
  eventsUrl,
  type FetchLike,
  type OpenSocket,
  type SocketHandlers,
  type Timers,
} from '../../../renderer/api/http';
import { NOT_SIGNED_IN_MESSAGE } from '../../../renderer/api/result';
import type { LinkStatus } from '../../../renderer/store/connection';
import { service } from './fixtures';

const ORIGIN = 'http://127.0.0.1:4780';

type Call = { url: string; init: Parameters<FetchLike>[1] };

function fakeFetch(answer: (call: Call) => { status: number; body?: unknown } | Error) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    const call = { url, init };
    calls.push(call);
    const a = answer(call);
    if (a instanceof Error) throw a;
    return {
      status: a.status,
      json: async () => {
        if (a.body === undefined) throw new SyntaxError('Unexpected end of JSON input');
        return a.body;
      },
    };
  };
  return { fetch, calls };
}

/** Sockets the transport opened, driven by the test. */
function fakeSockets() {
  const opened: { url: string; handlers: SocketHandlers; closed: boolean }[] = [];
  const openSocket: OpenSocket = (url, handlers) => {
    const socket = { url, handlers, closed: false };
    opened.push(socket);
    return { close: () => (socket.closed = true) };
  };
  return { opened, openSocket, last: () => opened[opened.length - 1]! };
}

/** Timers the test fires by hand: no waiting. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const timers: Timers = {
    setTimeout(fn, ms) {
      const id = next++;
      pending.set(id, { fn, ms });
      return id;
    },
    clearTimeout(id) {
      pending.delete(id as number);
    },
  };
  const fireAll = () => {
    const due = [...pending.values()];
    pending.clear();
    for (const t of due) t.fn();
  };
  return { timers, pending, fireAll };
}

const noSockets: OpenSocket = () => ({ close() {} });

describe('HTTP transport: invoke', () => {
  it('POSTs the input as JSON to /api/invoke/<method> with same-origin credentials', async () => {
    const { fetch, calls } = fakeFetch(() => ({ status: 200, body: { ok: true, value: { lines: [] } } }));
    const api = createHttpApi({ origin: ORIGIN, fetch, openSocket: noSockets });
    const result = await api.invoke('logs.tail', { limit: 5, minLevel: 'warn' });
    expect(result).toEqual({ ok: true, value: { lines: [] } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://127.0.0.1:4780/api/invoke/logs.tail');
    expect(calls[0]!.init).toEqual({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"limit":5,"minLevel":"warn"}',
      credentials: 'same-origin',
    });
  });

  it('sends {} when a command has no input', async () => {
    const { fetch, calls } = fakeFetch(() => ({ status: 200, body: { ok: true, value: {} } }));
    await createHttpApi({ origin: ORIGIN, fetch, openSocket: noSockets }).invoke('system.status');
    expect(calls[0]!.init.body).toBe('{}');
  });

  it('passes a failure Result through as it is (the UI shows its message)', async () => {
    const error = { code: 'invalid_input', message: 'settings.update: changes.proxy.port: expected number' };
    const { fetch } = fakeFetch(() => ({ status: 400, body: { ok: false, error } }));
    const result = await createHttpApi({ origin: ORIGIN, fetch, openSocket: noSockets }).invoke('settings.update', {
      changes: { 'proxy.port': 'x' },
    });
    expect(result).toEqual({ ok: false, error });
  });

  it('turns HTTP 401 into unauthorized and tells onUnauthorized listeners', async () => {
    const { fetch } = fakeFetch(() => ({ status: 401, body: { ok: false, error: { code: 'unauthorized', message: 'no cookie' } } }));
    const api = createHttpApi({ origin: ORIGIN, fetch, openSocket: noSockets });
    const heard: string[] = [];
    api.onUnauthorized((e) => heard.push(e.code));
    const result = await api.invoke('system.status');
    expect(result).toEqual({ ok: false, error: { code: 'unauthorized', message: NOT_SIGNED_IN_MESSAGE } });
    expect(heard).toEqual(['unauthorized']);
  });

  it('treats a 401 without a JSON body as unauthorized too', async () => {
    const { fetch } = fakeFetch(() => ({ status: 401 }));
    const result = await createHttpApi({ origin: ORIGIN, fetch, openSocket: noSockets }).invoke('system.status');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unauthorized');
  });

  it('does not call onUnauthorized for other failures', async () => {
    const { fetch } = fakeFetch(() => ({ status: 200, body: { ok: false, error: { code: 'not_found', message: 'x' } } }));
    const api = createHttpApi({ origin: ORIGIN, fetch, openSocket: noSockets });
    let heard = 0;
    api.onUnauthorized(() => (heard += 1));
    await api.invoke('system.status');
    expect(heard).toBe(0);
  });

  it('turns a network failure into host_unavailable instead of throwing', async () => {
    const { fetch } = fakeFetch(() => new TypeError('Failed to fetch'));
    const result = await createHttpApi({ origin: ORIGIN, fetch, openSocket: noSockets }).invoke('system.status');
    expect(result).toEqual({
      ok: false,
      error: { code: 'host_unavailable', message: 'Cannot reach the ArbDesk control server (Failed to fetch).' },
    });
  });

  it('turns an answer that is not a Result into an internal error', async () => {
    const { fetch } = fakeFetch(() => ({ status: 502, body: { message: 'Bad Gateway' } }));
    const result = await createHttpApi({ origin: ORIGIN, fetch, openSocket: noSockets }).invoke('system.status');
    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', message: 'The control server answered HTTP 502 without a result.' },
    });
  });
});

describe('HTTP transport: events WebSocket', () => {
  const { fetch } = fakeFetch(() => ({ status: 200, body: { ok: true, value: {} } }));
  const batch: EventBatch = { stream: 'service.status', events: [service('proxy')] };

  it('connects to ws://<host>/api/events on the first subscriber and delivers batches', () => {
    const sockets = fakeSockets();
    const api = createHttpApi({ origin: ORIGIN, fetch, openSocket: sockets.openSocket, timers: manualTimers().timers });
    expect(sockets.opened).toHaveLength(0);
    const got: EventBatch[] = [];
    api.subscribe((b) => got.push(b));
    api.subscribe(() => undefined);
    expect(sockets.opened).toHaveLength(1);
    expect(sockets.last().url).toBe('ws://127.0.0.1:4780/api/events');
    sockets.last().handlers.open();
    sockets.last().handlers.message(JSON.stringify(batch));
    expect(got).toEqual([batch]);
  });

  it('uses wss for an https page', () => {
    expect(eventsUrl('https://desk.example:8443')).toBe('wss://desk.example:8443/api/events');
  });

  it('ignores frames that are not batches', () => {
    const sockets = fakeSockets();
    const api = createHttpApi({ origin: ORIGIN, fetch, openSocket: sockets.openSocket, timers: manualTimers().timers });
    const got: EventBatch[] = [];
    api.subscribe((b) => got.push(b));
    for (const frame of ['not json', '{"stream":1,"events":[]}', '{"stream":"log"}', 'null', new Uint8Array([1])]) {
      sockets.last().handlers.message(frame);
    }
    expect(got).toEqual([]);
  });

  it('reports link state and reconnects with growing backoff until it opens again', () => {
    const sockets = fakeSockets();
    const clock = manualTimers();
    const delays: number[] = [];
    const api = createHttpApi({
      origin: ORIGIN,
      fetch,
      openSocket: sockets.openSocket,
      timers: clock.timers,
      delay: (attempt) => {
        const d = reconnectDelay(attempt, () => 0.5);
        delays.push(d);
        return d;
      },
    });
    const links: LinkStatus[] = [];
    api.onLink((l) => links.push(l));
    api.subscribe(() => undefined);
    sockets.last().handlers.open();
    expect(links.at(-1)).toEqual({ state: 'open', reason: '', attempt: 0, retryInMs: null });

    sockets.last().handlers.close(1006, '');
    expect(links.at(-1)).toEqual({
      state: 'closed',
      reason: 'the control server cannot be reached',
      attempt: 1,
      retryInMs: 500,
    });
    expect(sockets.opened).toHaveLength(1);

    clock.fireAll(); // retry 1 fails
    expect(sockets.opened).toHaveLength(2);
    expect(links.at(-1)?.state).toBe('connecting');
    sockets.last().handlers.close(1006, '');
    clock.fireAll(); // retry 2 fails
    sockets.last().handlers.close(1006, '');
    expect(delays).toEqual([500, 1000, 2000]);

    clock.fireAll(); // retry 3 succeeds
    sockets.last().handlers.open();
    expect(links.at(-1)).toEqual({ state: 'open', reason: '', attempt: 0, retryInMs: null });

    sockets.last().handlers.close(1001, '');
    expect(delays.at(-1)).toBe(500); // backoff starts over after a successful connection
    expect(links.at(-1)?.reason).toBe('the control server is shutting down');
  });

  it('stops reconnecting and closes the socket when the last subscriber leaves', () => {
    const sockets = fakeSockets();
    const clock = manualTimers();
    const api = createHttpApi({ origin: ORIGIN, fetch, openSocket: sockets.openSocket, timers: clock.timers });
    const offA = api.subscribe(() => undefined);
    const offB = api.subscribe(() => undefined);
    sockets.last().handlers.open();
    offA();
    expect(sockets.last().closed).toBe(false);
    offB();
    expect(sockets.last().closed).toBe(true);
    // A late close event from the abandoned socket schedules nothing.
    sockets.last().handlers.close(1000, '');
    expect(clock.pending.size).toBe(0);
  });

  it('names the reason a server gives when closing', () => {
    expect(describeClose(4401, 'unauthorized')).toBe('not signed in');
    expect(describeClose(1011, 'services host restarting')).toBe('services host restarting');
    expect(describeClose(1005, '')).toBe('the control server closed the connection');
    expect(describeClose(4000, '')).toBe('the connection closed (code 4000)');
  });
});

describe('reconnectDelay', () => {
  it('doubles from 0.5 s up to 15 s, with ±20 % jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 9].map((a) => reconnectDelay(a, mid))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
    expect(reconnectDelay(0, () => 0)).toBe(400);
    expect(reconnectDelay(0, () => 1)).toBe(600);
  });
});
