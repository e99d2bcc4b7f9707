import { describe, expect, it } from 'vitest';
import type { CommandError, CommandName, EventBatch, Result } from '../../../services/contract';
import type { Api } from '../../../renderer/api/types';
import { createAppStore } from '../../../renderer/store/appStore';
import type { LinkStatus } from '../../../renderer/store/connection';
import { startSync } from '../../../renderer/store/sync';
import { logLine, service, systemStatus } from './fixtures';

/** An Api whose answers and events the test controls. */
function fakeApi(transport: 'ipc' | 'http', answer: (method: CommandName, input: unknown) => Result<unknown>) {
  const calls: CommandName[] = [];
  const batchListeners = new Set<(b: EventBatch) => void>();
  const linkListeners = new Set<(l: LinkStatus) => void>();
  const authListeners = new Set<(e: CommandError) => void>();
  const pending: Promise<unknown>[] = [];
  const api: Api = {
    transport,
    invoke: ((method: CommandName, input?: unknown) => {
      calls.push(method);
      const result = answer(method, input);
      if (!result.ok && result.error.code === 'unauthorized') for (const l of authListeners) l(result.error);
      const p = Promise.resolve(result);
      pending.push(p);
      return p;
    }) as Api['invoke'],
    subscribe(listener) {
      batchListeners.add(listener);
      return () => batchListeners.delete(listener);
    },
    onLink(listener) {
      linkListeners.add(listener);
      listener(transport === 'ipc' ? { state: 'open', reason: '', attempt: 0, retryInMs: null } : { state: 'connecting', reason: '', attempt: 0, retryInMs: null });
      return () => linkListeners.delete(listener);
    },
    onUnauthorized(listener) {
      authListeners.add(listener);
      return () => authListeners.delete(listener);
    },
  };
  /** Lets every started call (and the calls those start) finish. */
  const settle = async () => {
    for (let seen = -1; seen !== pending.length; ) {
      seen = pending.length;
      await Promise.all(pending);
      await Promise.resolve();
    }
  };
  return {
    api,
    calls,
    settle,
    emit: (b: EventBatch) => batchListeners.forEach((l) => l(b)),
    link: (l: LinkStatus) => linkListeners.forEach((x) => x(l)),
  };
}

const okAnswers = (method: CommandName): Result<unknown> => {
  if (method === 'system.status') return { ok: true, value: systemStatus([service('proxy'), service('bot', { state: 'off' })]) };
  if (method === 'logs.tail') return { ok: true, value: { lines: [logLine(1), logLine(2)] } };
  return { ok: false, error: { code: 'unknown_command', message: method } };
};

describe('startSync', () => {
  it('loads system.status and the log tail at start, then applies live events', async () => {
    const fake = fakeApi('ipc', okAnswers);
    const store = createAppStore({ transport: 'ipc' });
    startSync(fake.api, store, { now: () => 42 });
    await fake.settle();
    expect(fake.calls).toEqual(['system.status', 'logs.tail']);
    expect(store.getState().system?.receivedAt).toBe(42);
    expect(store.getState().logs.map((l) => l.seq)).toEqual([1, 2]);

    fake.emit({ stream: 'log', events: [logLine(2), logLine(3)] });
    fake.emit({ stream: 'service.status', events: [service('bot', { state: 'failed', since: '2025-01-01T12:01:00.000Z' })] });
    expect(store.getState().logs.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(store.getState().services.bot?.state).toBe('failed');
  });

  it('shows the full-page sign-in state when a call answers unauthorized, and skips the tail', async () => {
    const fake = fakeApi('http', () => ({ ok: false, error: { code: 'unauthorized', message: 'no' } }));
    const store = createAppStore({ transport: 'http' });
    startSync(fake.api, store);
    await fake.settle();
    expect(store.getState().connection.auth).toBe('unauthorized');
    expect(fake.calls).toEqual(['system.status']);
  });

  it('re-reads the snapshot when the event link opens again after being down', async () => {
    const fake = fakeApi('http', okAnswers);
    const store = createAppStore({ transport: 'http' });
    startSync(fake.api, store);
    await fake.settle();
    fake.calls.length = 0;

    fake.link({ state: 'closed', reason: 'the control server cannot be reached', attempt: 1, retryInMs: 500 });
    expect(store.getState().connection.link.state).toBe('closed');
    await fake.settle();
    expect(fake.calls).toEqual([]);

    fake.link({ state: 'open', reason: '', attempt: 0, retryInMs: null });
    await fake.settle();
    expect(fake.calls).toEqual(['system.status', 'logs.tail']);
    expect(store.getState().connection.link.state).toBe('open');
  });

  it('re-reads the snapshot when the host comes back up after restarting (Electron)', async () => {
    const fake = fakeApi('ipc', okAnswers);
    const store = createAppStore({ transport: 'ipc' });
    startSync(fake.api, store);
    await fake.settle();
    fake.calls.length = 0;

    fake.emit({ stream: 'host.status', events: [{ state: 'restarting', reason: 'exited with code 1', restarts: 1 }] });
    expect(store.getState().connection.host?.state).toBe('restarting');
    await fake.settle();
    expect(fake.calls).toEqual([]);

    fake.emit({ stream: 'host.status', events: [{ state: 'up', reason: '', restarts: 1 }] });
    await fake.settle();
    expect(fake.calls).toEqual(['system.status', 'logs.tail']);
  });

  it('marks the host down when system.status says the host is unavailable', async () => {
    const fake = fakeApi('ipc', () => ({ ok: false, error: { code: 'host_unavailable', message: 'services host is starting' } }));
    const store = createAppStore({ transport: 'ipc' });
    startSync(fake.api, store);
    await fake.settle();
    expect(store.getState().connection.host).toEqual({ state: 'down', reason: 'services host is starting', restarts: 0 });
  });

  it('stop() unsubscribes from events', async () => {
    const fake = fakeApi('ipc', okAnswers);
    const store = createAppStore({ transport: 'ipc' });
    const sync = startSync(fake.api, store);
    await fake.settle();
    sync.stop();
    fake.emit({ stream: 'log', events: [logLine(9)] });
    expect(store.getState().logs.map((l) => l.seq)).toEqual([1, 2]);
  });
});
