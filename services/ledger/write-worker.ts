/**
 * The write-behind's writer thread: commits each batch of queued SQL (sql-ops.ts) on its own
 * connection, so the commit — a few hundred µs of page writes every few ms — never runs on the
 * host's event loop, where every proxied request would wait behind it.
 *
 * Each batch — or the batches that waited together while the thread was busy — is one
 * transaction that also records the last batch number in `write_behind_state`, so the host can
 * tell, from any snapshot, which batches it holds (WriteBehind.readCommitted). A write that can
 * never succeed (a constraint) is rolled back alone (a savepoint) and reported; any other
 * failure (disk full, a lock held too long) retries from the batch that failed every second,
 * later batches waiting behind it in order.
 *
 * The host learns of each commit by message, or synchronously (flush before an SQL read, and at
 * shutdown) by waiting on a shared counter and taking the message off the port at once.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { SET_BATCH, type SqlOp } from './sql-ops.js';

export interface BatchMessage {
  batch: number;
  items: SqlOp[][];
}

/**
 * On the wire a statement is its number: its text crosses once, the first time (`defs`, in
 * order), so a batch copies only parameters — not a few hundred bytes of SQL per row.
 */
interface WireBatch {
  batch: number;
  defs: string[];
  items: [number, unknown[]][][];
}

export type WorkerReport =
  | { type: 'committed'; batch: number; dropped: { index: number; message: string }[] }
  | { type: 'retrying'; batch: number; message: string };

// CommonJS, evaluated in the worker (as services/db/checkpointer.ts): better-sqlite3 is loaded
// from the path the host resolved, so it works from source, from dist/ and when packaged.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
// The proxy's event loop comes first: a commit that waits a moment costs nothing (balances are
// kept in memory meanwhile), a request that waits behind a commit costs its latency. On Linux
// the nice value is per thread; elsewhere, or where it is refused, the thread runs as is.
try { require('node:os').setPriority(10); } catch {}
const Database = require(workerData.driver);
const port = workerData.port;
const committed = new Int32Array(workerData.shared);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('wal_autocheckpoint = 0');
const statements = [];
const run = (ops) => { for (const [id, params] of ops) statements[id].run(...params); };
const setBatch = db.prepare(${JSON.stringify(SET_BATCH)});
const constraint = (e) => String((e && e.code) || '').startsWith('SQLITE_CONSTRAINT');
// Batches that queued up while the thread was busy (or kept waiting by its lower priority) are
// committed together: one transaction, one set of WAL page writes, each still reported on its
// own. So a loaded host commits less often without waiting longer for any batch.
const fast = db.transaction((group) => {
  for (const m of group) for (const ops of m.items) run(ops);
  setBatch.run(group[group.length - 1].batch);
});
const careful = db.transaction((m) => {
  const dropped = [];
  m.items.forEach((ops, index) => {
    try { db.transaction(run)(ops); } catch (e) { if (!constraint(e)) throw e; dropped.push({ index, message: String(e.message) }); }
  });
  setBatch.run(m.batch);
  return dropped;
});
const queue = [];
let retryTimer = null;
let drainQueued = false;
const drain = () => {
  retryTimer = null;
  drainQueued = false;
  while (queue.length) {
    const group = queue.slice();
    let dropped = null;
    try {
      // A constraint failure rolls the group back; then each batch is written on its own, the failing write dropped alone.
      try { fast(group); } catch (e) { if (!constraint(e)) throw e; dropped = []; for (const m of group) dropped.push(careful(m)); }
    } catch (e) {
      // careful() commits batch by batch: those it finished are done; retry from the first that is not.
      const done = dropped ? dropped.length : 0;
      for (let i = 0; i < done; i++) report(group[i], dropped[i]);
      queue.splice(0, done);
      port.postMessage({ type: 'retrying', batch: queue[0].batch, message: String((e && e.message) || e) });
      retryTimer = setTimeout(drain, 1000);
      return;
    }
    queue.splice(0, group.length);
    group.forEach((m, i) => report(m, dropped ? dropped[i] : []));
  }
};
const report = (m, dropped) => {
  port.postMessage({ type: 'committed', batch: m.batch, dropped });
  Atomics.store(committed, 0, m.batch);
  Atomics.notify(committed, 0);
};
port.on('message', (m) => {
  if (m === 'stop') {
    if (retryTimer) clearTimeout(retryTimer);
    else drain();
    db.close();
    port.close();
    return;
  }
  for (const sql of m.defs) statements.push(db.prepare(sql));
  queue.push(m);
  // Drain after every message already delivered has been queued (setImmediate runs after them).
  if (!retryTimer && !drainQueued) {
    drainQueued = true;
    setImmediate(drain);
  }
});
`;

export class WriteWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly committed: Int32Array;
  private dead = false;
  /** Statement numbers the thread knows, by SQL text. */
  private readonly ids = new Map<string, number>();

  /** `onReport` gets every report once, in order, whether it arrived by message or by waitFor(). */
  constructor(
    file: string,
    lastBatch: number,
    private readonly onReport: (report: WorkerReport) => void,
    onDied: (error: Error) => void,
  ) {
    const shared = new SharedArrayBuffer(4);
    this.committed = new Int32Array(shared);
    this.committed[0] = lastBatch;
    const channel = new MessageChannel();
    this.port = channel.port1;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, shared, port: channel.port2 }, transferList: [channel.port2] });
    this.worker.unref();
    this.port.on('message', (report: WorkerReport) => this.onReport(report));
    this.port.unref();
    this.worker.on('error', (error) => {
      this.dead = true;
      onDied(error);
    });
  }

  send(message: BatchMessage): void {
    const defs: string[] = [];
    const items = message.items.map((ops) =>
      ops.map(([sql, params]): [number, unknown[]] => {
        let id = this.ids.get(sql);
        if (id === undefined) {
          id = this.ids.size;
          this.ids.set(sql, id);
          defs.push(sql);
        }
        return [id, params];
      }),
    );
    const wire: WireBatch = { batch: message.batch, defs, items };
    this.port.postMessage(wire);
  }

  /**
   * Blocks the calling thread until batch `batch` is committed and its report handled, or
   * `timeoutMs` passed (false). Never call it inside a transaction on another connection: the
   * writer would wait for that transaction's lock.
   */
  waitFor(batch: number, isHandled: () => boolean, timeoutMs = 10_000): boolean {
    const deadline = Date.now() + timeoutMs;
    while (!isHandled()) {
      const received = receiveMessageOnPort(this.port);
      if (received) {
        this.onReport(received.message as WorkerReport);
        continue;
      }
      const seen = Atomics.load(this.committed, 0);
      if (seen >= batch) continue; // committed; its report is on its way to the port
      const left = deadline - Date.now();
      if (left <= 0 || this.dead) return false;
      Atomics.wait(this.committed, 0, seen, Math.min(left, 100));
    }
    return true;
  }

  async stop(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    // Referenced while it stops: at shutdown nothing else may be left on the event loop, and the
    // process must not end before the thread has committed and closed (nor skip what the caller
    // does after: the host removes host.json).
    this.worker.ref();
    this.port.postMessage('stop');
    await exited;
    this.port.close();
  }
}
