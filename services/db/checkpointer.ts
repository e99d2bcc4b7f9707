/**
 * WAL checkpoints off the event loop. A checkpoint copies the write-ahead log into the database
 * file and, under `synchronous = NORMAL`, fsyncs it: several milliseconds that, on the host's
 * own connection, stall every proxied request waiting behind it (the proxy's p99). So the host
 * keeps `wal_autocheckpoint = 0` and a worker thread with its own connection runs a PASSIVE
 * checkpoint (never blocks the writer, never waits for readers) every `everyMs`.
 *
 * Where worker threads are not available, the checkpoint runs on a timer in-process instead.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.js';

// CommonJS, evaluated in the worker: better-sqlite3 is loaded from the path the host resolved,
// so it works the same from source, from dist/ and inside the packaged app.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Background work: lowest priority (per thread on Linux), so checkpoints never take the CPU
// from the proxy's event loop or the write-behind.
try { require('node:os').setPriority(19); } catch {}
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('wal_autocheckpoint = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error && error.message || error)); }
}, workerData.everyMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); db.close(); process.exit(0); } });
`;

/** Starts the checkpointer for the database behind `db`; returns a function that stops it. */
export function startCheckpoints(db: Db, everyMs = 1000, onError?: (message: string) => void): () => Promise<void> {
  if (db.memory) return async () => undefined;
  let worker: Worker;
  try {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: db.name, everyMs } });
  } catch {
    return inProcess(db, everyMs);
  }
  worker.unref();
  worker.on('message', (m: string) => onError?.(m));
  worker.on('error', (e) => onError?.(e.message));
  return async () => {
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Referenced while it stops: with nothing else left on the event loop, the process would
    // otherwise end before the thread has closed the database (and before the caller's next step).
    worker.ref();
    worker.postMessage('stop');
    await exited;
  };
}

function inProcess(db: Db, everyMs: number): () => Promise<void> {
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // the database is closing
    }
  }, everyMs);
  timer.unref();
  return async () => clearInterval(timer);
}
