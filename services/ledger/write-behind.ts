/**
 * Write-behind for the proxy's hot path: ledger postings and usage records are queued in memory
 * and written in one SQLite transaction every few milliseconds, instead of one commit per
 * request. A commit costs far more than the rows in it (every touched page goes to the WAL
 * again), so a batch of 20 requests costs little more than one.
 *
 * While a write waits, its balance changes are kept in `pendingDelta`, which Ledger.balance()
 * adds to what SQLite says: every balance check (reserve, /v1/auth, the UI) sees the queued
 * postings at once. The host is the only writer, so nothing else can disagree meanwhile.
 *
 * What a crash costs: writes still queued (at most `delayMs` of settled requests) are lost, so
 * those requests stay uncharged — the same outcome as a request interrupted in flight. Holds are
 * written as reservation rows at the first flush after they start (see Meter), so a crash with
 * requests in flight still leaves a record of each at start-up.
 *
 * With delayMs = 0 every write runs at once, in its own transaction (CLI, tests).
 */
import type { Db } from '../db/database.js';
import type { Entry } from './ledger.js';

export interface QueuedWrite {
  /** The balance changes this write makes, shown by Ledger.balance() until it is written. */
  deltas: Entry[];
  /** Runs inside the batch's transaction. */
  write: () => void;
  /** For the error log: what this write was (never a secret). */
  label: string;
}

export interface WriteBehindOptions {
  delayMs: number;
  /** A write failed; `dropped` when it can never succeed (a constraint) and was discarded. */
  onError?: (error: unknown, label: string, dropped: boolean) => void;
}

const RETRY_MS = 1000;

export class WriteBehind {
  private queue: QueuedWrite[] = [];
  private readonly pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: WriteBehindOptions,
  ) {}

  /** Queued, not yet written changes to an account's balance. */
  pendingDelta(account: string): number {
    return this.pending.get(account) ?? 0;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Whether writes wait for a batch (false: each is written at once). */
  get batching(): boolean {
    return this.options.delayMs > 0;
  }

  /** More balance changes for a write still queued (a merged posting grew). */
  addDeltas(item: QueuedWrite, entries: readonly Entry[]): void {
    item.deltas.push(...entries);
    this.apply(entries, 1);
  }

  enqueue(item: QueuedWrite): void {
    if (this.options.delayMs <= 0) {
      this.db.transaction(item.write)();
      return;
    }
    this.apply(item.deltas, 1);
    this.queue.push(item);
    this.schedule(this.options.delayMs);
  }

  /**
   * Writes everything queued, in one transaction. Never inside someone else's transaction (a
   * rollback there would take the batch with it): then it is retried on the next tick.
   * Returns how many writes were committed.
   */
  flush(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return 0;
    if (this.db.inTransaction || !this.db.open) {
      if (this.db.open) this.schedule(this.options.delayMs);
      return 0;
    }
    const batch = this.queue;
    this.queue = [];
    try {
      this.db.transaction(() => {
        for (const item of batch) item.write();
      })();
      for (const item of batch) this.apply(item.deltas, -1);
      return batch.length;
    } catch {
      return this.flushOneByOne(batch);
    }
  }

  /** After a failed batch: each write on its own, so one bad write cannot hold up the others. */
  private flushOneByOne(batch: QueuedWrite[]): number {
    const retry: QueuedWrite[] = [];
    let written = 0;
    for (const item of batch) {
      try {
        this.db.transaction(item.write)();
        this.apply(item.deltas, -1);
        written += 1;
      } catch (error) {
        const permanent = String((error as { code?: unknown }).code ?? '').startsWith('SQLITE_CONSTRAINT');
        if (permanent) this.apply(item.deltas, -1);
        else retry.push(item);
        this.options.onError?.(error, item.label, permanent);
      }
    }
    if (retry.length) {
      this.queue = retry.concat(this.queue);
      this.schedule(RETRY_MS);
    }
    return written;
  }

  private apply(deltas: readonly Entry[], sign: 1 | -1): void {
    for (const e of deltas) {
      const next = (this.pending.get(e.account) ?? 0) + sign * e.amount;
      if (next === 0) this.pending.delete(e.account);
      else this.pending.set(e.account, next);
    }
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), ms);
    this.timer.unref();
  }
}
