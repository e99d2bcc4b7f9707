/**
 * Re-reads a summary when events say it changed, without a refetch per event: the first event
 * after a quiet spell refreshes at once, a stream of events refreshes at most once per
 * `intervalMs`, and one more refresh follows `settleMs` after the last event (the host may
 * write the last requests' records a moment after their events, and a trailing read picks them
 * up). A refresh never overlaps the previous one: one asked for while a read is in flight runs
 * when it ends.
 */
import type { EventBatch, EventName } from '../../../services/contract';
import { createThrottle, systemClock, type Clock } from '../proxy/throttle';

export const LIVE_STREAMS: ReadonlySet<EventName> = new Set<EventName>(['proxy.request', 'invoice.changed', 'support.changed']);

export interface LiveRefreshOptions {
  subscribe: (listener: (batch: EventBatch) => void) => () => void;
  refresh: () => Promise<void>;
  streams?: ReadonlySet<EventName>;
  intervalMs?: number;
  settleMs?: number;
  clock?: Clock;
}

export function createLiveRefresh(o: LiveRefreshOptions): { dispose(): void } {
  const clock = o.clock ?? systemClock;
  const streams = o.streams ?? LIVE_STREAMS;
  let busy = false;
  let again = false;
  let disposed = false;
  const run = () => {
    if (disposed) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    void o.refresh().finally(() => {
      busy = false;
      if (again && !disposed) {
        again = false;
        throttle.notify();
      }
    });
  };
  const throttle = createThrottle(run, o.intervalMs ?? 2_000, clock);
  let settle: unknown = null;
  const off = o.subscribe((batch) => {
    if (disposed || !streams.has(batch.stream) || batch.events.length === 0) return;
    throttle.notify();
    if (settle !== null) clock.clearTimeout(settle);
    settle = clock.setTimeout(() => {
      settle = null;
      throttle.notify();
    }, o.settleMs ?? 2_500);
  });
  return {
    dispose() {
      disposed = true;
      off();
      throttle.dispose();
      if (settle !== null) clock.clearTimeout(settle);
    },
  };
}
