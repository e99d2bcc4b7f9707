/**
 * Write-behind for the proxy's hot path: ledger postings and usage records are queued in memory
 * and written in one SQLite transaction every few milliseconds, instead of one commit per
 * request. A commit costs far more than the rows in it (every touched page goes to the WAL
 * again), so a batch of 20 requests costs little more than one. For a database file the batch
 * is committed by a writer thread with its own connection (write-worker.ts), off the host's
 * event loop; for an in-memory database, or when the thread cannot start, on the host's own.
 *
 * While a write waits, its balance changes are kept in `pendingDelta`, which Ledger.balance()
 * adds to what SQLite says: every balance check (reserve, /v1/auth, the UI) sees the queued
 * postings at once. The host is the only writer, so nothing else can disagree meanwhile. With
 * the writer thread, a batch may be committed before the host hears of it: readCommitted()
 * reads a balance together with the number of the last committed batch, in one snapshot, and
 * takes out what that snapshot already holds — never counted twice, never missed.
 *
 * What a crash costs: writes still queued or not yet committed (up to WRITE_BEHIND_MS of
 * settled requests) are lost, so those requests stay uncharged — the same outcome as a request
 * interrupted in flight. Holds of long requests are written as reservation rows (see Meter), so
 * a crash with requests in flight still leaves a record of each at start-up.
 *
 * With delayMs = 0 every write runs at once, in its own transaction (CLI, tests).
 */
import type { Db } from '../db/database.js';
import { AccountSums } from './account-sums.js';
import type { Entry } from './ledger.js';
import { OpRunner, type SqlOp } from './sql-ops.js';
import { WriteWorker, type WorkerReport } from './write-worker.js';

export interface QueuedWrite {
  /** The balance changes this write makes, shown by Ledger.balance() until it is written. */
  deltas: Entry[];
  /** Appends this write's statements; called when its batch is cut (so it sees the state then). */
  ops: (out: SqlOp[]) => void;
  /** For the error log: what this write was (never a secret). */
  label: string;
}

export interface WriteBehindOptions {
  delayMs: number;
  /** A write failed; `dropped` when it can never succeed (a constraint) and was discarded. */
  onError?: (error: unknown, label: string, dropped: boolean) => void;
  /** Commit on a writer thread (database files only). Default: true when batching. */
  thread?: boolean;
  /**
   * The writer thread fell behind: `waiting` batches sent and not yet committed reached
   * `backlogBatches` (behind = true), or came back under a quarter of it (behind = false). What
   * waits is what a crash would lose uncharged.
   */
  onBacklog?: (waiting: number, behind: boolean) => void;
  /** Default: a second of batches (1000 / delayMs), at least 4. */
  backlogBatches?: number;
}

/** What the ledger must do with its cache of committed balances. */
export interface CommitListener {
  /** These changes are now committed (and no longer pending). */
  committed(deltas: readonly Entry[]): void;
  /** These accounts were written where a rollback may still undo it: forget what is known of them. */
  touched(deltas: readonly Entry[]): void;
}

interface SentBatch {
  batch: number;
  items: QueuedWrite[];
  /** The batch's balance changes per account. */
  sums: Map<string, number>;
}

const RETRY_MS = 1000;

/**
 * The host's batch interval. What a crash can lose is bounded mostly by the reservation rows:
 * a request in flight is written as one only after 250 ms (Meter), so a crash loses up to
 * 250 ms of requests either way; settled requests waiting for their batch add at most this
 * much. Each commit costs ~0.25 ms of the writer thread's CPU whatever its size (the WAL pages
 * of the tables and indexes it touches), so at 1,000 req/s 20 ms instead of 5 ms means 50
 * commits a second instead of 200 (`npm run bench:writer`: the writer's CPU roughly halves at
 * 3,000 req/s), less of it competing with the proxy on a small machine (docs/benchmarks.md).
 */
export const WRITE_BEHIND_MS = 20;

export class WriteBehind {
  private queue: QueuedWrite[] = [];
  private readonly pending = new AccountSums();
  private timer: NodeJS.Timeout | undefined;
  private readonly runner: OpRunner;
  private worker: WriteWorker | null = null;
  /** Batches sent to the writer thread and not yet reported committed, oldest first. */
  private inFlight: SentBatch[] = [];
  private sent = 0;
  private acked = 0;
  private behind = false;
  private closed = false;
  private readonly getBatch;
  private readonly snapshot: (read: () => number) => [number, number];
  listener: CommitListener | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: WriteBehindOptions,
  ) {
    this.runner = new OpRunner(db);
    this.getBatch = db.prepare('SELECT batch FROM write_behind_state WHERE id = 1').pluck();
    this.snapshot = db.transaction((read: () => number): [number, number] => [this.getBatch.get() as number, read()]);
    if (options.delayMs > 0 && (options.thread ?? true) && !db.memory) this.startWorker();
  }

  private get backlogLimit(): number {
    // At least a few: with batches a second or more apart, one batch waiting is not falling behind.
    return this.options.backlogBatches ?? Math.max(4, Math.ceil(1000 / this.options.delayMs));
  }

  /** Queued, not yet written changes to an account's balance. */
  pendingDelta(account: string): number {
    return this.pending.get(account);
  }

  get queued(): number {
    return this.queue.length + this.inFlight.reduce((n, b) => n + b.items.length, 0);
  }

  /** Whether writes wait for a batch (false: each is written at once). */
  get batching(): boolean {
    return this.options.delayMs > 0;
  }

  /** Whether batches are committed by the writer thread. */
  get threaded(): boolean {
    return this.worker !== null;
  }

  /**
   * More balance changes for a write still queued (a merged posting grew). They are summed per
   * account into the write's deltas, so a batch's bookkeeping costs per account, not per request.
   */
  addDeltas(item: QueuedWrite, entries: readonly Entry[]): void {
    const deltas = item.deltas;
    for (const e of entries) {
      let i = 0;
      while (i < deltas.length && deltas[i]!.account !== e.account) i++;
      if (i < deltas.length) deltas[i]!.amount += e.amount;
      else deltas.push({ account: e.account, amount: e.amount });
    }
    this.apply(entries, 1);
  }

  enqueue(item: QueuedWrite): void {
    // After close() nothing would ever write it (and a timer would meet a closed database).
    if (this.closed) throw new Error(`the ledger is closed (the host is stopping); not written: ${item.label}`);
    if (this.options.delayMs <= 0) {
      const ops: SqlOp[] = [];
      item.ops(ops);
      this.db.transaction(() => this.runner.run(ops))();
      this.listener?.touched(item.deltas);
      return;
    }
    this.apply(item.deltas, 1);
    this.queue.push(item);
    this.schedule(this.options.delayMs);
  }

  /**
   * An account's committed balance, read by `read` (a SELECT on the host's connection), minus
   * what pendingDelta() still counts but the snapshot already holds: batches the writer thread
   * committed that the host has not yet heard of.
   */
  readCommitted(account: string, read: () => number): number {
    if (this.inFlight.length === 0) return read();
    // One snapshot for both reads: inside the caller's transaction, or in a read transaction of its own.
    const [batch, value] = this.db.inTransaction ? [this.getBatch.get() as number, read()] : this.snapshot(read);
    let held = 0;
    for (const b of this.inFlight) if (b.batch <= batch) held += b.sums.get(account) ?? 0;
    return value - held;
  }


  /**
   * Writes everything queued now and, with the writer thread, waits until it is committed (so
   * SQL reads see it). Never inside someone else's transaction (a rollback there would take the
   * batch with it, and the thread would wait for its lock): then it is retried on the next tick.
   * Returns how many writes were committed.
   */
  flush(): number {
    if (this.worker) {
      const target = this.send();
      if (this.db.inTransaction) return 0;
      const before = this.queued;
      this.worker.waitFor(target, () => this.acked >= target);
      return before - this.queued;
    }
    return this.flushHere();
  }

  /** Stops the writer thread after writing everything (shutdown). */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await worker?.stop();
  }

  /** Cuts the queue into a batch for the writer thread; returns the number of the last batch sent. */
  private send(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0 || !this.worker) return this.sent;
    const items = this.queue;
    this.queue = [];
    const ops = opsOf(items);
    const sums = new Map<string, number>();
    for (const item of items) for (const e of item.deltas) sums.set(e.account, (sums.get(e.account) ?? 0) + e.amount);
    this.sent += 1;
    this.inFlight.push({ batch: this.sent, items, sums });
    this.worker.send({ batch: this.sent, items: ops });
    if (!this.behind && this.inFlight.length >= this.backlogLimit) {
      this.behind = true;
      this.options.onBacklog?.(this.inFlight.length, true);
    }
    return this.sent;
  }

  private readonly onReport = (report: WorkerReport): void => {
    if (report.type === 'retrying') {
      this.options.onError?.(new Error(report.message), `write-behind batch ${report.batch}`, false);
      return;
    }
    const done = this.inFlight[0];
    if (!done || done.batch !== report.batch) return; // handled already (by waitFor)
    this.inFlight.shift();
    this.acked = report.batch;
    if (this.behind && this.inFlight.length <= this.backlogLimit / 4) {
      this.behind = false;
      this.options.onBacklog?.(this.inFlight.length, false);
    }
    const dropped = new Set(report.dropped.map((d) => d.index));
    for (const d of report.dropped) this.options.onError?.(new Error(d.message), done.items[d.index]!.label, true);
    done.items.forEach((item, index) => {
      this.apply(item.deltas, -1);
      if (!dropped.has(index)) this.listener?.committed(item.deltas);
    });
  };

  private startWorker(): void {
    try {
      this.sent = this.acked = this.getBatch.get() as number;
      this.worker = new WriteWorker(this.db.name, this.sent, this.onReport, (error) => this.workerDied(error));
    } catch (error) {
      this.worker = null;
      this.options.onError?.(error, 'write-behind writer thread (writing on the host instead)', false);
    }
  }

  /** The thread is gone: what it committed is in write_behind_state; the rest is written here. */
  private workerDied(error: Error): void {
    this.options.onError?.(error, 'write-behind writer thread (writing on the host from now on)', false);
    this.worker = null;
    const committed = this.getBatch.get() as number;
    const left: QueuedWrite[] = [];
    for (const b of this.inFlight) {
      if (b.batch <= committed) for (const item of b.items) {
        this.apply(item.deltas, -1);
        this.listener?.committed(item.deltas);
      }
      else left.push(...b.items);
    }
    this.inFlight = [];
    this.acked = this.sent = committed;
    this.queue = left.concat(this.queue);
    this.schedule(this.options.delayMs);
  }

  /** Inline mode: the whole queue in one transaction on the host's connection. */
  private flushHere(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return 0;
    if (this.db.inTransaction || !this.db.open) {
      if (this.db.open) this.schedule(this.options.delayMs);
      return 0;
    }
    const batch = this.queue;
    this.queue = [];
    const ops = opsOf(batch);
    try {
      this.db.transaction(() => {
        for (const list of ops) this.runner.run(list);
      })();
      for (const item of batch) this.written(item);
      return batch.length;
    } catch {
      return this.flushOneByOne(batch, ops);
    }
  }

  /** After a failed batch: each write on its own, so one bad write cannot hold up the others. */
  private flushOneByOne(batch: QueuedWrite[], ops: SqlOp[][]): number {
    const retry: QueuedWrite[] = [];
    let written = 0;
    batch.forEach((item, i) => {
      try {
        this.db.transaction(() => this.runner.run(ops[i]!))();
        this.written(item);
        written += 1;
      } catch (error) {
        const permanent = String((error as { code?: unknown }).code ?? '').startsWith('SQLITE_CONSTRAINT');
        if (permanent) this.apply(item.deltas, -1);
        else retry.push(item);
        this.options.onError?.(error, item.label, permanent);
      }
    });
    if (retry.length) {
      this.queue = retry.concat(this.queue);
      this.schedule(RETRY_MS);
    }
    return written;
  }

  private written(item: QueuedWrite): void {
    this.apply(item.deltas, -1);
    this.listener?.committed(item.deltas);
  }

  private apply(deltas: readonly Entry[], sign: 1 | -1): void {
    for (const e of deltas) this.pending.add(e.account, sign * e.amount);
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => (this.worker ? this.send() : this.flushHere()), ms);
    this.timer.unref();
  }
}

/** Each write's statements, as of now (the moment its batch is cut). */
function opsOf(items: readonly QueuedWrite[]): SqlOp[][] {
  return items.map((item) => {
    const out: SqlOp[] = [];
    item.ops(out);
    return out;
  });
}
