/**
 * Batches events per stream so that at most one batch per stream crosses a process boundary
 * every `intervalMs` (100 ms → ≤ 10 per second per stream, as DESIGN.md asks). The first event
 * of a quiet stream waits at most one interval; a stream that floods keeps one batch per tick.
 *
 * Pure TypeScript (timers only), used by the services host for the control server and the
 * utility-process port, and by the Electron main process when relaying to windows.
 */
import type { EventBatch, EventName, EventPayload } from '../contract.js';

export interface EventBatcherOptions {
  intervalMs?: number;
  /** Oldest events are dropped past this many per stream per tick; the count is reported. */
  maxPerBatch?: number;
  onFlush: (batch: EventBatch) => void;
}

export class EventBatcher {
  private readonly pending = new Map<EventName, unknown[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly intervalMs: number;
  private readonly maxPerBatch: number;
  /** Events dropped because a stream produced more than maxPerBatch within one interval. */
  dropped = 0;

  constructor(private readonly options: EventBatcherOptions) {
    this.intervalMs = options.intervalMs ?? 100;
    this.maxPerBatch = options.maxPerBatch ?? 500;
  }

  push<E extends EventName>(stream: E, event: EventPayload<E>): void {
    let queue = this.pending.get(stream);
    if (!queue) {
      queue = [];
      this.pending.set(stream, queue);
    }
    queue.push(event);
    if (queue.length > this.maxPerBatch) {
      queue.shift();
      this.dropped += 1;
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends everything pending now (also used on shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const streams = [...this.pending.entries()];
    this.pending.clear();
    for (const [stream, events] of streams) {
      if (events.length) this.options.onFlush({ stream, events } as EventBatch);
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
