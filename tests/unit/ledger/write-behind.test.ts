/**
 * The proxy's write-behind: usage is charged in memory at once and written in batches. What a
 * customer or the owner would notice: balances are right before anything is written, a batch
 * is one commit, nothing is lost on a clean flush, a crash loses only what was still queued,
 * and one bad write never holds up the others.
 */
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Customers } from '../../../services/customers/customers.js';
import { migrate } from '../../../services/db/database.js';
import { migrations } from '../../../services/db/migrations/index.js';
import { Accounts } from '../../../services/ledger/accounts.js';
import { Ledger } from '../../../services/ledger/ledger.js';
import { Meter, PERSIST_AFTER_MS } from '../../../services/metering/meter.js';
import { Allowances } from '../../../services/allowances/allowances.js';
import { waitFor } from '../../helpers/wait.js';
import { requestRecordOp } from '../../helpers/ledger-writes.js';

let db: Database.Database;
let ledger: Ledger;
let meter: Meter;
let customer: string;
const errors: { label: string; dropped: boolean }[] = [];

const record = { stream: true, status: 200, outcome: 'ok' as const, promptTokens: 10, completionTokens: 5, latencyMs: 3, generationId: null };
const count = (sql: string) => db.prepare(sql).pluck().get() as number;

function open(delayMs: number) {
  ledger = new Ledger(db, { delayMs, onError: (_e, label, dropped) => errors.push({ label, dropped }) });
  meter = new Meter(db, ledger, new Allowances(db, ledger));
}

beforeEach(() => {
  db = new Database(':memory:');
  migrate(db, migrations);
  customer = new Customers(db).add({ name: 'Alice' }).id;
  errors.length = 0;
  open(60_000); // flushed by hand below, except where the timer is the point
  ledger.post({ kind: 'credit', customerId: customer, entries: [{ account: Accounts.receipts('manual'), amount: 10_000 }, { account: Accounts.available(customer), amount: -10_000 }] });
});

function serve(id: string, charge: number) {
  expect(meter.reserve({ requestId: id, customerId: customer, keyId: 'k', model: 'm', amountMicro: 1_000, tokens: 0 }).ok).toBe(true);
  return meter.settle({ requestId: id, chargeMicro: charge, upstreamCostMicro: charge - 100, record });
}

describe('write-behind metering', () => {
  it('charges at once in memory, then writes the batch', () => {
    for (let i = 0; i < 20; i++) serve(`r${i}`, 300);
    // Nothing written yet, yet every check already sees the charges.
    expect(count('SELECT COUNT(*) FROM requests')).toBe(0);
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 10_000 - 20 * 300, heldMicro: 0 });
    expect(meter.reserve({ requestId: 'big', customerId: customer, keyId: 'k', model: 'm', amountMicro: 4_001, tokens: 0 }).ok).toBe(false);

    ledger.flush();
    expect(count('SELECT COUNT(*) FROM requests')).toBe(20);
    // One journal transaction carries the batch's sums for this customer; each request keeps its record.
    expect(db.prepare("SELECT memo FROM ledger_transactions WHERE kind = 'usage'").pluck().all()).toEqual(['20 requests (m ×20)']);
    expect(-ledger.balance(Accounts.revenueUsage)).toBe(6_000);
    expect(ledger.balance(Accounts.expenseUpstream)).toBe(20 * 200);
    expect(count('SELECT COALESCE(SUM(charge), 0) FROM requests')).toBe(6_000);
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 4_000, heldMicro: 0 });
    expect(count("SELECT COUNT(*) FROM reservations")).toBe(0);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('keeps customers and kinds apart in a batch, and the journal balances', () => {
    const bob = new Customers(db).add({ name: 'Bob' }).id;
    ledger.post({ kind: 'credit', customerId: bob, entries: [{ account: Accounts.receipts('manual'), amount: 5_000 }, { account: Accounts.available(bob), amount: -5_000 }] });
    new Allowances(db, ledger).grant({ customerId: bob, model: 'gpt', tokens: 1_000, validityDays: null, source: 'test' });
    serve('a1', 300);
    serve('a2', 400);
    meter.reserve({ requestId: 'b1', customerId: bob, keyId: 'k2', model: 'gpt', amountMicro: 1, tokens: 100 });
    meter.settle({ requestId: 'b1', chargeMicro: 999, upstreamCostMicro: 50, record: { ...record, promptTokens: 30, completionTokens: 20 } });
    ledger.flush();
    const txs = db.prepare("SELECT kind, customer_id AS customer, memo FROM ledger_transactions WHERE kind IN ('usage', 'usage_tokens', 'upstream_cost') ORDER BY id").all();
    expect(txs).toEqual([
      { kind: 'usage', customer, memo: '2 requests (m ×2)' },
      { kind: 'upstream_cost', customer: bob, memo: 'gpt b1' },
      { kind: 'usage_tokens', customer: bob, memo: 'gpt b1' },
    ]);
    expect(ledger.customerBalance(customer).availableMicro).toBe(10_000 - 700);
    expect(ledger.customerBalance(bob).availableMicro).toBe(5_000);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('writes a reservation row only for a request in flight for PERSIST_AFTER_MS, not for short ones', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      open(60_000);
      serve('done', 200);
      meter.reserve({ requestId: 'short', customerId: customer, keyId: 'k', model: 'm', amountMicro: 1_000, tokens: 0 });
      meter.reserve({ requestId: 'long', customerId: customer, keyId: 'k', model: 'm', amountMicro: 1_000, tokens: 0 });
      ledger.flush();
      expect(count('SELECT COUNT(*) FROM reservations')).toBe(0); // young holds cost no row
      vi.advanceTimersByTime(PERSIST_AFTER_MS - 1);
      meter.settle({ requestId: 'short', chargeMicro: 100, upstreamCostMicro: 80, record });
      vi.advanceTimersByTime(1);
      ledger.flush();
      expect(db.prepare('SELECT id FROM reservations').pluck().all()).toEqual(['long']);
      meter.settle({ requestId: 'long', chargeMicro: 500, upstreamCostMicro: 400, record });
      ledger.flush();
      expect(count('SELECT COUNT(*) FROM reservations')).toBe(0);
      expect(count('SELECT COUNT(*) FROM requests')).toBe(3);
      expect(ledger.customerBalance(customer).availableMicro).toBe(10_000 - 800);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a crash loses only the queued writes and short requests; requests in flight that long are recorded as interrupted at restart', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      open(60_000);
      serve('written', 300);
      meter.reserve({ requestId: 'inflight', customerId: customer, keyId: 'k', model: 'm', amountMicro: 1_000, tokens: 0 });
      vi.advanceTimersByTime(PERSIST_AFTER_MS);
      ledger.flush();
      meter.reserve({ requestId: 'young', customerId: customer, keyId: 'k', model: 'm', amountMicro: 1_000, tokens: 0 });
      serve('queued', 300); // settled after the last flush: lost with the process
      open(60_000); // kill -9: memory gone
    } finally {
      vi.useRealTimers();
    }
    expect(meter.reconcile()).toBe(1);
    expect(db.prepare('SELECT id, outcome FROM requests ORDER BY id').all()).toEqual([
      { id: 'inflight', outcome: 'interrupted' },
      { id: 'written', outcome: 'ok' },
    ]);
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 9_700, heldMicro: 0 });
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('flushes by itself after the delay', async () => {
    open(5);
    serve('r1', 300);
    await waitFor(() => count('SELECT COUNT(*) FROM requests'), (n) => n === 1, { what: 'the batch to be written' });
    expect(ledger.queuedWrites).toBe(0);
  });

  it('does not flush inside another transaction (a rollback there would lose the batch)', () => {
    serve('r1', 300);
    expect(() =>
      db.transaction(() => {
        expect(ledger.flush()).toBe(0);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(ledger.flush()).toBeGreaterThan(0);
    expect(count('SELECT COUNT(*) FROM requests')).toBe(1);
    expect(db.prepare("SELECT memo FROM ledger_transactions WHERE kind = 'usage'").pluck().all()).toEqual(['m r1']);
  });

  it('drops a write that can never succeed, logs it, and writes the rest', () => {
    serve('dup', 300);
    ledger.flush();
    // A second record with the same id violates the primary key: only that write is dropped.
    ledger.writeLater('duplicate record', (out) => out.push(requestRecordOp('dup')));
    serve('fine', 300);
    ledger.flush();
    expect(errors).toEqual([{ label: 'duplicate record', dropped: true }]);
    expect(db.prepare('SELECT id FROM requests ORDER BY id').pluck().all()).toEqual(['dup', 'fine']);
    expect(ledger.customerBalance(customer).availableMicro).toBe(9_400);
    expect(ledger.checkInvariants()).toEqual([]);
  });
});
