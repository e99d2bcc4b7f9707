/**
 * The write-behind with its writer thread (a database file, as the host runs it): batches are
 * committed off the host's thread, and a balance is never counted twice or missed while a batch
 * is committed but not yet acknowledged.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Allowances } from '../../../services/allowances/allowances.js';
import { Customers } from '../../../services/customers/customers.js';
import { openDatabase, type Db } from '../../../services/db/database.js';
import { Accounts } from '../../../services/ledger/accounts.js';
import { Ledger } from '../../../services/ledger/ledger.js';
import { WRITE_BEHIND_MS, type WriteBehindOptions } from '../../../services/ledger/write-behind.js';
import { Meter } from '../../../services/metering/meter.js';
import { tempDir } from '../../helpers/temp.js';
import { requestRecordOp } from '../../helpers/ledger-writes.js';

let db: Db;
let ledger: Ledger;
let meter: Meter;
let customer: string;
let file: string;
let cleanup: () => void;

const record = { stream: false, status: 200, outcome: 'ok' as const, promptTokens: 10, completionTokens: 5, latencyMs: 3, generationId: null };
const count = (sql: string) => db.prepare(sql).pluck().get() as number;

function serve(id: string, charge: number) {
  expect(meter.reserve({ requestId: id, customerId: customer, keyId: 'k', model: 'm', amountMicro: 1_000, tokens: 0 }).ok).toBe(true);
  meter.settle({ requestId: id, chargeMicro: charge, upstreamCostMicro: charge - 100, record });
}

const credit = (micro: number) =>
  ledger.post({ kind: 'credit', customerId: customer, entries: [{ account: Accounts.receipts('manual'), amount: micro }, { account: Accounts.available(customer), amount: -micro }] });

/** The ledger again, logging failed writes as "label" or "label (dropped)" into the returned list. */
async function reopenCollectingErrors(): Promise<string[]> {
  const errors: string[] = [];
  await reopen({ onError: (_e, label, dropped) => errors.push(`${label}${dropped ? ' (dropped)' : ''}`) });
  return errors;
}

/** The ledger again, with these write-behind options (batches still cut by hand, well inside `delayMs`). */
async function reopen(options: Omit<WriteBehindOptions, 'delayMs'>, delayMs = 60_000): Promise<void> {
  await ledger.close();
  ledger = new Ledger(db, { ...options, delayMs });
  meter = new Meter(db, ledger, new Allowances(db, ledger));
}

/** Another connection takes the write lock: the writer thread cannot commit (batches queue) until release(). */
function holdWriteLock(): { release: () => void } {
  const other = new Database(file);
  other.prepare('BEGIN IMMEDIATE').run();
  return {
    release: () => {
      other.prepare('COMMIT').run();
      other.close();
    },
  };
}

/** Inside a transaction flush() only sends the batch to the thread (it cannot wait for it there). */
const sendOnly = () => db.transaction(() => ledger.flush())();

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  file = path.join(t.dir, 'arbdesk.db');
  db = openDatabase(file).db;
  ledger = new Ledger(db, { delayMs: 60_000 }); // batches are cut by hand below
  meter = new Meter(db, ledger, new Allowances(db, ledger));
  customer = new Customers(db).add({ name: 'Alice' }).id;
  credit(10_000);
});

afterEach(async () => {
  await ledger.close();
  expect(ledger.checkInvariants()).toEqual([]);
  db.close();
  cleanup();
});

describe('write-behind on the writer thread', () => {
  it('commits the batch on the thread; flush() waits for it, so SQL reads see every request', () => {
    expect(ledger.threaded).toBe(true);
    for (let i = 0; i < 20; i++) serve(`r${i}`, 300);
    expect(ledger.customerBalance(customer).availableMicro).toBe(10_000 - 6_000);
    expect(ledger.flush()).toBe(20 + 1); // 20 usage records and the customer's one merged posting
    expect(count('SELECT COUNT(*) FROM requests')).toBe(20);
    expect(db.prepare("SELECT memo FROM ledger_transactions WHERE kind = 'usage'").pluck().all()).toEqual(['20 requests (m ×20)']);
    expect(count('SELECT batch FROM write_behind_state')).toBe(1);
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 4_000, heldMicro: 0 });
  });

  it('a balance read between the thread\'s commit and its report counts the batch once', () => {
    serve('a', 300);
    serve('b', 200);
    credit(1_000); // a direct write: the customer's committed balance is read from SQLite again next time
    // Send the batch without waiting (flush inside a transaction only sends it) …
    db.transaction(() => ledger.flush())();
    // … and, without giving the event loop a turn (so the report cannot be handled), wait on
    // another connection until the thread has committed it.
    const peek = new Database(file, { readonly: true });
    const deadline = Date.now() + 10_000;
    while ((peek.prepare('SELECT batch FROM write_behind_state').pluck().get() as number) < 1) {
      if (Date.now() > deadline) throw new Error('the writer thread did not commit within 10 s');
    }
    expect(peek.prepare('SELECT COUNT(*) FROM requests').pluck().get()).toBe(2);
    peek.close();
    // SQLite now holds the batch and the queue still counts it: the read must take it once.
    expect(ledger.customerBalance(customer).availableMicro).toBe(10_000 + 1_000 - 500);
    ledger.flush();
    expect(ledger.customerBalance(customer).availableMicro).toBe(10_500);
  });

  it('a write that can never succeed is dropped alone, reported, and the rest of its batch is committed', async () => {
    const errors = await reopenCollectingErrors();
    serve('dup', 300);
    ledger.flush();
    ledger.writeLater('duplicate record', (out) => out.push(requestRecordOp('dup')));
    serve('fine', 300);
    ledger.flush();
    expect(errors).toEqual(['duplicate record (dropped)']);
    expect(db.prepare('SELECT id FROM requests ORDER BY id').pluck().all()).toEqual(['dup', 'fine']);
    expect(ledger.customerBalance(customer).availableMicro).toBe(9_400);
  });

  it('batches that wait behind a busy thread are committed together, each reported, a bad write still dropped alone', async () => {
    const errors = await reopenCollectingErrors();
    serve('first', 100);
    ledger.flush();
    // Another connection holds the write lock: the thread waits on it with the next batches queued.
    const lock = holdWriteLock();
    serve('a', 100);
    sendOnly();
    ledger.writeLater('duplicate record', (out) => out.push(requestRecordOp('first')));
    serve('b', 200);
    sendOnly();
    serve('c', 300);
    sendOnly();
    // The queued balance changes count while the batches wait.
    expect(ledger.customerBalance(customer).availableMicro).toBe(10_000 - 700);
    lock.release();
    ledger.flush();
    expect(errors).toEqual(['duplicate record (dropped)']);
    expect(db.prepare('SELECT id FROM requests ORDER BY id').pluck().all()).toEqual(['a', 'b', 'c', 'first']);
    expect(count('SELECT batch FROM write_behind_state')).toBe(4);
    expect(ledger.queuedWrites).toBe(0);
    expect(ledger.customerBalance(customer).availableMicro).toBe(10_000 - 700);
  });

  it.each([
    { name: 'a limit of 3', options: { backlogBatches: 3 }, delayMs: 60_000, limit: 3, caughtUpAt: 0 },
    // The default: a second of batches, 50 at the host's interval.
    { name: "by default, 50 at the host's 20 ms", options: {}, delayMs: WRITE_BEHIND_MS, limit: 50, caughtUpAt: 12 },
  ])('says when the writer thread falls behind, and when it has caught up: $name', async ({ options, delayMs, limit, caughtUpAt }) => {
    const backlog: [number, boolean][] = [];
    await reopen({ ...options, onBacklog: (waiting, behind) => backlog.push([waiting, behind]) }, delayMs);
    const lock = holdWriteLock();
    const sendOne = (i: number) => {
      serve(`r${i}`, 1);
      sendOnly();
    };
    for (let i = 1; i < limit; i++) sendOne(i);
    expect(backlog).toEqual([]);
    sendOne(limit);
    expect(backlog).toEqual([[limit, true]]);
    lock.release();
    ledger.flush();
    // Caught up once under a quarter of the limit waits.
    expect(backlog).toEqual([
      [limit, true],
      [caughtUpAt, false],
    ]);
    expect(count('SELECT COUNT(*) FROM requests')).toBe(limit);
  });

  it('stopping the threads keeps the process alive until they are done, so what follows the stop still runs', async () => {
    // The threads are unref'd; at shutdown nothing else may hold the event loop (the host then removes host.json).
    const t = tempDir();
    try {
      const marker = path.join(t.dir, 'closed');
      await promisify(execFile)(process.execPath, ['--import', 'tsx', path.resolve('tests/fixtures/close-then-mark.ts'), path.join(t.dir, 'x.db'), marker], { timeout: 30_000 });
      expect(existsSync(marker)).toBe(true);
      expect(readFileSync(marker, 'utf8')).toBe('closed with 1 row(s)');
    } finally {
      t.cleanup();
    }
  });
});
