import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from '../../../electron/main/supervisor.js';
import { harness, type Harness } from './fakes/fake-host.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Crashes the current child before it is ready and checks the restart happens after `delay`. */
function crashAndExpectRestartAfter(h: Harness, delay: number): void {
  const before = h.children.length;
  h.child().exit(1);
  vi.advanceTimersByTime(delay - 1);
  expect(h.children.length, `no restart before ${delay} ms`).toBe(before);
  vi.advanceTimersByTime(1);
  expect(h.children.length, `restart at ${delay} ms`).toBe(before + 1);
}

describe('starting the host', () => {
  it('sends init with the decrypted secrets, then reports the host up when it is ready', () => {
    const h = harness();
    h.supervisor.start();
    expect(h.child().posted).toEqual([{ type: 'init', secrets: { 'telegram.token': '123:abc' } }]);
    expect(h.supervisor.state).toBe('starting');

    h.child().ready();
    expect(h.supervisor.state).toBe('up');
    expect(h.hostStatuses()).toEqual([{ state: 'up', reason: 'services host is running', restarts: 0 }]);
  });

  it('holds invokes made while starting and forwards them once ready', async () => {
    const h = harness();
    h.supervisor.start();
    const pending = h.supervisor.invoke('system.status', undefined);
    expect(h.child().invokes()).toEqual([]);

    h.child().ready();
    const [sent] = h.child().invokes();
    expect(sent).toMatchObject({ type: 'invoke', method: 'system.status' });
    h.child().send({ type: 'result', id: sent?.id, result: { ok: true, value: { answer: 42 } } });
    await expect(pending).resolves.toEqual({ ok: true, value: { answer: 42 } });
  });

  it('kills a host that never becomes ready and restarts it', () => {
    const h = harness({ readyTimeoutMs: 10_000 });
    h.supervisor.start();
    vi.advanceTimersByTime(10_000);
    expect(h.children[0]?.kills).toBe(1);
    expect(h.hostStatuses()[0]).toMatchObject({ state: 'down', reason: expect.stringContaining('did not become ready within 10 s') });
    vi.advanceTimersByTime(500);
    expect(h.children).toHaveLength(2);
  });

  it('treats a host that cannot be spawned at all like a crash', () => {
    let attempts = 0;
    const h = harness({
      spawn: () => {
        attempts += 1;
        throw new Error('ENOENT dist/services/utility.js');
      },
    });
    h.supervisor.start();
    expect(h.supervisor.state).toBe('down');
    expect(h.hostStatuses()[0]?.reason).toContain('could not start the services host: ENOENT dist/services/utility.js');
    vi.advanceTimersByTime(500);
    expect(attempts).toBe(2);
  });
});

describe('when the host crashes', () => {
  it('reports it down with the exit code, refuses invokes, and restarts it after 0.5 s', async () => {
    const h = harness();
    h.supervisor.start();
    h.child().ready();
    h.child().exit(3);

    expect(h.hostStatuses().at(-1)).toEqual({
      state: 'down',
      reason: 'the services host exited with code 3; restarting in 0.5 s',
      restarts: 0,
    });
    await expect(h.supervisor.invoke('system.status', undefined)).resolves.toEqual({
      ok: false,
      error: { code: 'host_unavailable', message: expect.stringContaining('exited with code 3') },
    });

    h.secrets = { 'telegram.token': 'rotated' };
    vi.advanceTimersByTime(499);
    expect(h.children).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(h.children).toHaveLength(2);
    expect(h.hostStatuses().at(-1)).toEqual({
      state: 'restarting',
      reason: 'restart 1 after: the services host exited with code 3',
      restarts: 1,
    });
    // Secrets are read afresh for every start.
    expect(h.child().posted[0]).toEqual({ type: 'init', secrets: { 'telegram.token': 'rotated' } });

    h.child().ready();
    expect(h.hostStatuses().at(-1)).toMatchObject({ state: 'up', restarts: 1 });
  });

  it('uses the host’s own fatal message as the reason', () => {
    const h = harness();
    h.supervisor.start();
    h.child().send({ type: 'fatal', message: 'config.json: proxy.port must be a number' });
    h.child().exit(1);
    expect(h.hostStatuses().at(-1)?.reason).toBe('config.json: proxy.port must be a number; restarting in 0.5 s');
  });

  it('kills a host that reported fatal but did not exit, and forces it if SIGTERM is ignored', () => {
    const h = harness({ killGraceMs: 2_000 });
    h.supervisor.start();
    const child = h.child();
    child.exitOnKill = false;
    child.send({ type: 'fatal', message: 'database is locked' });
    vi.advanceTimersByTime(1_999);
    expect(child.kills).toBe(0);
    vi.advanceTimersByTime(1);
    expect(child.kills).toBe(1);
    vi.advanceTimersByTime(2_000);
    expect(child.forceKills).toBe(1);
    expect(h.hostStatuses().at(-1)?.reason).toBe('database is locked; restarting in 0.5 s');
  });

  it('doubles the delay after each crash, up to 30 s', () => {
    const h = harness();
    h.supervisor.start();
    for (const delay of [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]) {
      crashAndExpectRestartAfter(h, delay);
    }
    expect(h.hostStatuses().filter((s) => s.state === 'restarting').map((s) => s.restarts)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('starts again from 0.5 s once the host has stayed up for a minute', () => {
    const h = harness();
    h.supervisor.start();
    crashAndExpectRestartAfter(h, 500);
    crashAndExpectRestartAfter(h, 1_000);
    crashAndExpectRestartAfter(h, 2_000);

    h.child().ready();
    vi.advanceTimersByTime(60_000);
    crashAndExpectRestartAfter(h, 500);
  });

  it('keeps backing off when the host crashes again soon after becoming ready', () => {
    const h = harness();
    h.supervisor.start();
    crashAndExpectRestartAfter(h, 500);
    h.child().ready();
    vi.advanceTimersByTime(59_999);
    crashAndExpectRestartAfter(h, 1_000);
  });

  it('fails requests the host received but never answered, saying the outcome is unknown', async () => {
    const h = harness();
    h.supervisor.start();
    h.child().ready();
    const pending = h.supervisor.invoke('settings.update', { changes: { 'proxy.port': 8080 } });
    expect(h.child().invokes()).toHaveLength(1);
    h.child().exit(139);
    await expect(pending).resolves.toEqual({
      ok: false,
      error: { code: 'host_unavailable', message: expect.stringContaining('not known whether it took effect') },
    });
  });

  it('fails held invokes when the host dies before it is ready', async () => {
    const h = harness();
    h.supervisor.start();
    const pending = h.supervisor.invoke('system.status', undefined);
    h.child().exit(1);
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'host_unavailable' } });
  });

  it('ignores anything the previous child says after it was replaced', () => {
    const h = harness();
    h.supervisor.start();
    const first = h.child();
    first.exit(1);
    vi.advanceTimersByTime(500);
    const before = h.batches.length;
    first.ready();
    first.send({ type: 'events', batch: { stream: 'log', events: [] } });
    expect(h.batches.length).toBe(before);
    expect(h.supervisor.state).toBe('starting');
  });
});

describe('requests', () => {
  it('times out a request the host never answers, and drops the late answer', async () => {
    const h = harness({ requestTimeoutMs: 1_000 });
    h.supervisor.start();
    h.child().ready();
    const pending = h.supervisor.invoke('logs.tail', { limit: 5, minLevel: 'info' });
    vi.advanceTimersByTime(1_000);
    await expect(pending).resolves.toEqual({
      ok: false,
      error: { code: 'host_unavailable', message: 'logs.tail: the services host did not answer within 1 s.' },
    });
    const id = h.child().invokes()[0]?.id;
    expect(() => h.child().send({ type: 'result', id, result: { ok: true, value: {} } })).not.toThrow();
  });

  it('matches answers to requests by id, whatever order they come back in', async () => {
    const h = harness();
    h.supervisor.start();
    h.child().ready();
    const a = h.supervisor.invoke('system.status', undefined);
    const b = h.supervisor.invoke('settings.get', undefined);
    const [ia, ib] = h.child().invokes();
    h.child().send({ type: 'result', id: ib?.id, result: { ok: true, value: 'B' } });
    h.child().send({ type: 'result', id: ia?.id, result: { ok: true, value: 'A' } });
    await expect(a).resolves.toEqual({ ok: true, value: 'A' });
    await expect(b).resolves.toEqual({ ok: true, value: 'B' });
  });
});

describe('messages from the host', () => {
  it('relays event batches and secret writes, and drops malformed messages with a log line', () => {
    const h = harness();
    h.supervisor.start();
    h.child().ready();
    const batch = { stream: 'service.status', events: [] };
    h.child().send({ type: 'events', batch });
    h.child().send({ type: 'secret.persist', key: 'upstream.apiKey', value: 'sk-or-1' });
    h.child().send({ type: 'secret.persist', key: 'upstream.apiKey', value: null });
    h.child().send({ type: 'events', batch: { stream: 'not.a.stream', events: [] } });
    h.child().send({ type: 'secret.persist', key: 'x', value: 42 });
    h.child().send('hello');

    expect(h.batches.filter((b) => b.stream !== 'host.status')).toEqual([batch]);
    expect(h.persisted).toEqual([
      ['upstream.apiKey', 'sk-or-1'],
      ['upstream.apiKey', null],
    ]);
    expect(h.logs.filter((l) => l.msg.startsWith('dropped a malformed message'))).toHaveLength(3);
  });

  it('keeps running when storing a secret fails, and logs the key but not the value', () => {
    const h = harness({
      onSecretPersist: () => {
        throw new Error('disk full');
      },
    });
    h.supervisor.start();
    h.child().send({ type: 'secret.persist', key: 'telegram.token', value: 'SECRET-VALUE' });
    const line = h.logs.find((l) => l.msg === 'could not store a secret');
    expect(line?.fields).toEqual({ key: 'telegram.token', error: 'disk full' });
    expect(JSON.stringify(h.logs)).not.toContain('SECRET-VALUE');
  });
});

describe('stopping', () => {
  it('asks the host to shut down, resolves when it exits, and does not restart it', async () => {
    const h = harness();
    h.supervisor.start();
    h.child().ready();
    const stopped = h.supervisor.stop();
    expect(h.child().posted.at(-1)).toEqual({ type: 'shutdown' });
    h.child().exit(0);
    await stopped;
    expect(h.supervisor.state).toBe('stopped');
    vi.advanceTimersByTime(120_000);
    expect(h.children).toHaveLength(1);
    expect(h.hostStatuses().map((s) => s.state)).toEqual(['up']);
    await expect(h.supervisor.invoke('system.status', undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'host_unavailable', message: 'ArbDesk is shutting down.' },
    });
  });

  it('kills a host that does not stop within the shutdown timeout', async () => {
    const h = harness({ shutdownTimeoutMs: 5_000, killGraceMs: 2_000 });
    h.supervisor.start();
    h.child().ready();
    const child = h.child();
    child.exitOnKill = false;
    const stopped = h.supervisor.stop();
    vi.advanceTimersByTime(4_999);
    expect(child.kills).toBe(0);
    vi.advanceTimersByTime(1);
    expect(child.kills).toBe(1);
    vi.advanceTimersByTime(2_000);
    expect(child.forceKills).toBe(1);
    await stopped;
    expect(h.children).toHaveLength(1);
  });

  it('cancels a pending restart', async () => {
    const h = harness();
    h.supervisor.start();
    h.child().exit(1);
    await h.supervisor.stop();
    vi.advanceTimersByTime(60_000);
    expect(h.children).toHaveLength(1);
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay and is capped', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => backoffDelay(n, 500, 30_000))).toEqual([
      500, 1_000, 2_000, 4_000, 30_000, 30_000, 30_000,
    ]);
  });
});
