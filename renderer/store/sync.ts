/**
 * Keeps the store in step with the services host through an `Api`:
 *
 * - every event batch → `applyBatch` (one store update per batch);
 * - the event link (browser) → `connection.link`; when it (re)opens, and when the host comes
 *   back up after being down/restarting, the snapshot is re-read: `system.status` and
 *   `logs.tail` (log lines are de-duplicated, so overlap with live lines is harmless);
 * - any `unauthorized` answer → `connection.auth = 'unauthorized'` (full-page sign-in message).
 */
import type { EventBatch } from '../../services/contract';
import type { Api } from '../api/types';
import type { AppStore } from './appStore';
import { LOG_CAPACITY } from './logs';

export interface SyncOptions {
  now?: () => number;
  logLimit?: number;
}

export interface Sync {
  /** Re-reads system.status and the log tail. */
  refresh(): Promise<void>;
  stop(): void;
}

export async function loadSystemStatus(api: Api, store: AppStore, now: () => number = Date.now): Promise<void> {
  const result = await api.invoke('system.status');
  if (result.ok) {
    store.getState().applySystemStatus(result.value, now());
    return;
  }
  if (result.error.code === 'host_unavailable') {
    const host = store.getState().connection.host;
    if (!host || host.state === 'up') {
      store.getState().setHost({ state: 'down', reason: result.error.message, restarts: host?.restarts ?? 0 });
    }
  }
}

export async function loadLogTail(api: Api, store: AppStore, limit = LOG_CAPACITY): Promise<void> {
  const result = await api.invoke('logs.tail', { limit: Math.min(limit, 1000), minLevel: 'trace' });
  if (result.ok) store.getState().addLogLines(result.value.lines);
}

export function startSync(api: Api, store: AppStore, options: SyncOptions = {}): Sync {
  const now = options.now ?? Date.now;
  const logLimit = options.logLimit ?? LOG_CAPACITY;

  const refresh = async () => {
    await loadSystemStatus(api, store, now);
    if (store.getState().connection.auth === 'unauthorized') return;
    await loadLogTail(api, store, logLimit);
  };

  const offAuth = api.onUnauthorized(() => store.getState().setAuth('unauthorized'));

  let linkWasOpen: boolean | null = null;
  const offLink = api.onLink((link) => {
    store.getState().setLink(link);
    const open = link.state === 'open';
    // A link that opens after being down (or on its first connect) may have missed changes.
    if (open && linkWasOpen === false) void refresh();
    linkWasOpen = open;
  });

  const offEvents = api.subscribe((batch: EventBatch) => {
    const before = store.getState().connection.host;
    store.getState().applyBatch(batch);
    if (batch.stream !== 'host.status') return;
    const after = store.getState().connection.host;
    // Back up after being down or restarting: the host may be a new run with new state.
    if (after?.state === 'up' && before !== null && before.state !== 'up') void refresh();
  });

  // Commands do not need the event link, so read the snapshot right away (this is also how a
  // browser that is not signed in finds out: the call answers 401).
  void refresh();

  return {
    refresh,
    stop() {
      offEvents();
      offLink();
      offAuth();
    },
  };
}
