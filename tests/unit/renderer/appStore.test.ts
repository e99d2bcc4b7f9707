import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../../../services/contract';
import { createAppStore } from '../../../renderer/store/appStore';
import { logLine, service, systemStatus } from './fixtures';

function countUpdates(store: ReturnType<typeof createAppStore>) {
  let updates = 0;
  store.subscribe(() => {
    updates += 1;
  });
  return () => updates;
}

describe('app store', () => {
  it('applies a whole log batch in one store update', () => {
    const store = createAppStore({ transport: 'http' });
    const updates = countUpdates(store);
    const batch: EventBatch = { stream: 'log', events: Array.from({ length: 500 }, (_, i) => logLine(i + 1)) };
    store.getState().applyBatch(batch);
    expect(updates()).toBe(1);
    expect(store.getState().logs).toHaveLength(500);
  });

  it('applies a service.status batch in one update and leaves logs untouched', () => {
    const store = createAppStore({ transport: 'ipc' });
    const logsBefore = store.getState().logs;
    const updates = countUpdates(store);
    store.getState().applyBatch({
      stream: 'service.status',
      events: [service('proxy', { state: 'starting' }), service('bot', { state: 'failed' })],
    });
    expect(updates()).toBe(1);
    expect(Object.keys(store.getState().services)).toEqual(['proxy', 'bot']);
    expect(store.getState().logs).toBe(logsBefore);
  });

  it('does not notify subscribers for a batch that changes nothing', () => {
    const store = createAppStore({ transport: 'ipc' });
    store.getState().applyBatch({ stream: 'log', events: [logLine(1)] });
    const updates = countUpdates(store);
    store.getState().applyBatch({ stream: 'log', events: [logLine(1)] });
    expect(updates()).toBe(0);
  });

  it('keeps the log ring buffer at its capacity', () => {
    const store = createAppStore({ transport: 'ipc', logCapacity: 3 });
    store.getState().applyBatch({ stream: 'log', events: [1, 2, 3, 4, 5].map((n) => logLine(n)) });
    expect(store.getState().logs.map((l) => l.seq)).toEqual([3, 4, 5]);
  });

  it('host.status sets the host state from the last event of the batch', () => {
    const store = createAppStore({ transport: 'ipc' });
    store.getState().applyBatch({
      stream: 'host.status',
      events: [
        { state: 'down', reason: 'exited with code 1', restarts: 0 },
        { state: 'restarting', reason: 'exited with code 1', restarts: 1 },
      ],
    });
    expect(store.getState().connection.host).toEqual({ state: 'restarting', reason: 'exited with code 1', restarts: 1 });
  });

  it('ignores a stream it does not know', () => {
    const store = createAppStore({ transport: 'ipc' });
    const before = store.getState();
    store.getState().applyBatch({ stream: 'proxy.request', events: [{}] } as unknown as EventBatch);
    expect(store.getState()).toBe(before);
  });

  it('system.status fills system info and services, and marks the host up and signed in', () => {
    const store = createAppStore({ transport: 'http' });
    store.getState().applySystemStatus(systemStatus([service('proxy'), service('bot', { state: 'off' })]), 1000);
    const state = store.getState();
    expect(state.system).toMatchObject({ version: '0.1.0', mode: 'headless', dataDir: '/home/owner/.arbdesk', receivedAt: 1000 });
    expect(state.system).not.toHaveProperty('services');
    expect(state.services.bot?.state).toBe('off');
    expect(state.connection.host?.state).toBe('up');
    expect(state.connection.auth).toBe('ok');
  });
});
