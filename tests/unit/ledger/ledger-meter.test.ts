import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { Customers } from '../../../services/customers/customers.js';
import { migrate } from '../../../services/db/database.js';
import { migrations } from '../../../services/db/migrations/index.js';
import { Accounts } from '../../../services/ledger/accounts.js';
import { Ledger } from '../../../services/ledger/ledger.js';
import { Meter } from '../../../services/metering/meter.js';

let db: Database.Database;
let ledger: Ledger;
let meter: Meter;
let customer: string;

function credit(id: string, micro: number, idemKey?: string) {
  return ledger.post({
    kind: 'credit',
    customerId: id,
    memo: 'test',
    ...(idemKey ? { idemKey } : {}),
    entries: [
      { account: Accounts.receipts('manual'), amount: micro },
      { account: Accounts.available(id), amount: -micro },
    ],
  });
}

const record = { stream: false, status: 200, outcome: 'ok' as const, promptTokens: 10, completionTokens: 5, latencyMs: 3, generationId: 'gen-1' };

beforeEach(() => {
  db = new Database(':memory:');
  migrate(db, migrations);
  ledger = new Ledger(db);
  meter = new Meter(db, ledger);
  customer = new Customers(db).add({ name: 'Alice' }).id;
});

describe('ledger', () => {
  it('refuses unbalanced and fractional transactions', () => {
    expect(() => ledger.post({ kind: 'x', entries: [{ account: 'a', amount: 5 }, { account: 'b', amount: -4 }] })).toThrowError(/sum to 1/);
    expect(() => ledger.post({ kind: 'x', entries: [{ account: 'a', amount: 0.5 }, { account: 'b', amount: -0.5 }] })).toThrowError(/whole micro-USD/);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('credits once per idempotency key', () => {
    const first = credit(customer, 5_000_000, 'payment:abc');
    const again = credit(customer, 5_000_000, 'payment:abc');
    expect(again).toEqual({ txId: first.txId, duplicate: true });
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 5_000_000, heldMicro: 0 });
  });
});

describe('meter', () => {
  it('refuses a reservation the balance cannot cover, and holds one it can', () => {
    credit(customer, 1_000);
    expect(meter.reserve({ requestId: 'r1', customerId: customer, keyId: 'k', model: 'm', amountMicro: 1_001 })).toEqual({ ok: false, availableMicro: 1_000 });
    expect(meter.reserve({ requestId: 'r2', customerId: customer, keyId: 'k', model: 'm', amountMicro: 600 })).toEqual({ ok: true });
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 400, heldMicro: 600 });
    expect(meter.reserve({ requestId: 'r3', customerId: customer, keyId: 'k', model: 'm', amountMicro: 600 }).ok).toBe(false);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('settles to the actual charge, releases the rest, books cost and profit, once', () => {
    credit(customer, 1_000);
    meter.reserve({ requestId: 'r1', customerId: customer, keyId: 'k', model: 'm', amountMicro: 600 });
    const settled = meter.settle({ requestId: 'r1', chargeMicro: 250, upstreamCostMicro: 200, record });
    expect(settled).toMatchObject({ chargedMicro: 250, upstreamCostMicro: 200, profitMicro: 50, uncollectedMicro: 0 });
    expect(meter.settle({ requestId: 'r1', chargeMicro: 250, upstreamCostMicro: 200, record })).toBeUndefined();
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 750, heldMicro: 0 });
    expect(-ledger.balance(Accounts.revenueUsage)).toBe(250);
    expect(ledger.balance(Accounts.expenseUpstream)).toBe(200);
    expect(db.prepare('SELECT COUNT(*) FROM requests').pluck().get()).toBe(1);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('never takes a balance below zero when the actual cost exceeds the hold', () => {
    credit(customer, 1_000);
    meter.reserve({ requestId: 'r1', customerId: customer, keyId: 'k', model: 'm', amountMicro: 900 });
    const settled = meter.settle({ requestId: 'r1', chargeMicro: 1_500, upstreamCostMicro: 1_200, record })!;
    expect(settled).toMatchObject({ chargedMicro: 1_000, uncollectedMicro: 500 });
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 0, heldMicro: 0 });
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('releases holds left by a crash', () => {
    credit(customer, 1_000);
    meter.reserve({ requestId: 'r1', customerId: customer, keyId: 'k', model: 'm', amountMicro: 700 });
    const reopened = new Meter(db, new Ledger(db));
    expect(reopened.reconcile()).toBe(1);
    expect(reopened.openReservations()).toBe(0);
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 1_000, heldMicro: 0 });
    expect(db.prepare("SELECT outcome FROM requests WHERE id = 'r1'").pluck().get()).toBe('interrupted');
    expect(ledger.checkInvariants()).toEqual([]);
  });
});
