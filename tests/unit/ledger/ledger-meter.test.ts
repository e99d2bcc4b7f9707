import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { Customers } from '../../../services/customers/customers.js';
import { migrate } from '../../../services/db/database.js';
import { migrations } from '../../../services/db/migrations/index.js';
import { Accounts } from '../../../services/ledger/accounts.js';
import { Ledger } from '../../../services/ledger/ledger.js';
import { Meter, type OpenHold } from '../../../services/metering/meter.js';
import { Allowances } from '../../../services/allowances/allowances.js';

let db: Database.Database;
let ledger: Ledger;
let meter: Meter;
let allowances: Allowances;
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
  allowances = new Allowances(db, ledger);
  meter = new Meter(db, ledger, allowances);
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
    expect(meter.reserve({ requestId: 'r1', customerId: customer, keyId: 'k', model: 'm', amountMicro: 1_001, tokens: 0 })).toEqual({ ok: false, availableMicro: 1_000, allowanceTokens: 0 });
    expect(meter.reserve({ requestId: 'r2', customerId: customer, keyId: 'k', model: 'm', amountMicro: 600, tokens: 0 })).toMatchObject({ ok: true, via: 'balance', hold: { requestId: 'r2', settled: false } });
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 400, heldMicro: 600 });
    expect(meter.reserve({ requestId: 'r3', customerId: customer, keyId: 'k', model: 'm', amountMicro: 600, tokens: 0 }).ok).toBe(false);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('settles to the actual charge, releases the rest, books cost and profit, once', () => {
    credit(customer, 1_000);
    meter.reserve({ requestId: 'r1', customerId: customer, keyId: 'k', model: 'm', amountMicro: 600, tokens: 0 });
    const settled = meter.settle({ requestId: 'r1', chargeMicro: 250, upstreamCostMicro: 200, record });
    expect(settled).toMatchObject({ chargedMicro: 250, upstreamCostMicro: 200, profitMicro: 50, uncollectedMicro: 0 });
    expect(meter.settle({ requestId: 'r1', chargeMicro: 250, upstreamCostMicro: 200, record })).toBeUndefined();
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 750, heldMicro: 0 });
    expect(-ledger.balance(Accounts.revenueUsage)).toBe(250);
    expect(ledger.balance(Accounts.expenseUpstream)).toBe(200);
    expect(db.prepare('SELECT COUNT(*) FROM requests').pluck().get()).toBe(1);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('settles each request once, in any order, by the hold reserve() returned or by its id', () => {
    credit(customer, 1_000);
    const holds = ['h1', 'h2', 'h3'].map((requestId) => {
      const r = meter.reserve({ requestId, customerId: customer, keyId: 'k', model: 'm', amountMicro: 100, tokens: 0 });
      if (!r.ok) throw new Error(`${requestId} should fit the balance`);
      return r.hold;
    });
    const [first, middle, last] = holds as [OpenHold, OpenHold, OpenHold];
    const settle = (requestId: string, hold?: OpenHold) => meter.settle({ requestId, ...(hold ? { hold } : {}), chargeMicro: 10, upstreamCostMicro: 4, record });
    expect(meter.openReservations()).toBe(3);
    expect(settle('h2', middle)).toMatchObject({ requestId: 'h2', chargedMicro: 10 });
    expect(settle('h2', middle)).toBeUndefined();
    expect(settle('h2')).toBeUndefined();
    expect(settle('h1')).toMatchObject({ requestId: 'h1', chargedMicro: 10 }); // found by id
    expect(settle('h1', first)).toBeUndefined();
    expect(meter.openReservations()).toBe(1);
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 880, heldMicro: 100 });
    expect(settle('h3', last)).toMatchObject({ requestId: 'h3', chargedMicro: 10 });
    expect(meter.openReservations()).toBe(0);
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 970, heldMicro: 0 });
    ledger.flush();
    expect(db.prepare('SELECT id FROM requests ORDER BY id').pluck().all()).toEqual(['h1', 'h2', 'h3']);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('never takes a balance below zero when the actual cost exceeds the hold', () => {
    credit(customer, 1_000);
    meter.reserve({ requestId: 'r1', customerId: customer, keyId: 'k', model: 'm', amountMicro: 900, tokens: 0 });
    const settled = meter.settle({ requestId: 'r1', chargeMicro: 1_500, upstreamCostMicro: 1_200, record })!;
    expect(settled).toMatchObject({ chargedMicro: 1_000, uncollectedMicro: 500 });
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 0, heldMicro: 0 });
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('records a request left in flight by a crash as interrupted, and the customer keeps their balance', () => {
    credit(customer, 1_000);
    meter.reserve({ requestId: 'r1', customerId: customer, keyId: 'k', model: 'm', amountMicro: 700, tokens: 0 });
    // The process dies: its memory (the hold) is gone; the database is what is left.
    const restarted = new Ledger(db);
    const reopened = new Meter(db, restarted);
    expect(reopened.reconcile()).toBe(1);
    expect(reopened.openReservations()).toBe(0);
    expect(restarted.customerBalance(customer)).toEqual({ availableMicro: 1_000, heldMicro: 0 });
    expect(db.prepare("SELECT outcome FROM requests WHERE id = 'r1'").pluck().get()).toBe('interrupted');
    expect(ledger.checkInvariants()).toEqual([]);
  });
});

describe('reservations booked by earlier versions', () => {
  it('gives a hold booked in the journal back at start-up', () => {
    credit(customer, 1_000);
    // What a crash under the previous version left: a reserve transaction and its row.
    ledger.post({ kind: 'reserve', customerId: customer, memo: 'old1', entries: [{ account: Accounts.available(customer), amount: 400 }, { account: Accounts.held(customer), amount: -400 }] });
    db.prepare("INSERT INTO reservations (id, customer_id, key_id, amount, model, created_at, allowance_lot, tokens) VALUES ('old1', ?, 'k', 400, 'm', '2026-01-01T00:00:00Z', NULL, 0)").run(customer);
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 600, heldMicro: 400 });
    expect(new Meter(db, ledger).reconcile()).toBe(1);
    expect(ledger.customerBalance(customer)).toEqual({ availableMicro: 1_000, heldMicro: 0 });
    expect(db.prepare("SELECT outcome FROM requests WHERE id = 'old1'").pluck().get()).toBe('interrupted');
    expect(ledger.checkInvariants()).toEqual([]);
  });
});

describe('token allowances', () => {
  const reserveTokens = (id: string, tokens: number, amountMicro = 1) => meter.reserve({ requestId: id, customerId: customer, keyId: 'k', model: 'gpt', amountMicro, tokens });
  const settleTokens = (id: string, prompt: number, completion: number, cost = 30) =>
    meter.settle({ requestId: id, chargeMicro: 999, upstreamCostMicro: cost, record: { ...record, promptTokens: prompt, completionTokens: completion } });

  it('pays a request from the allowance for its model, charging no money and booking the upstream cost', () => {
    credit(customer, 1_000);
    allowances.grant({ customerId: customer, model: 'gpt', tokens: 1_000, validityDays: 30, source: 'test' });
    expect(reserveTokens('a1', 300)).toMatchObject({ ok: true, via: 'allowance' });
    expect(allowances.list(customer)[0]).toMatchObject({ grantedTokens: 1_000, remainingTokens: 700 });
    expect(settleTokens('a1', 50, 100)).toMatchObject({ chargedMicro: 0, allowanceTokens: 150, upstreamCostMicro: 30 });
    expect(allowances.list(customer)[0]!.remainingTokens).toBe(850);
    expect(ledger.customerBalance(customer).availableMicro).toBe(1_000);
    expect(ledger.balance(Accounts.expenseUpstream)).toBe(30);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('falls back to the balance when no lot holds enough, and says what the allowance has when neither covers it', () => {
    allowances.grant({ customerId: customer, model: 'gpt', tokens: 100, validityDays: null, source: 'test' });
    expect(reserveTokens('b1', 500, 10)).toEqual({ ok: false, availableMicro: 0, allowanceTokens: 100 });
    credit(customer, 50);
    expect(reserveTokens('b2', 500, 10)).toMatchObject({ ok: true, via: 'balance' });
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('takes an overrun from the lot as far as it reaches and never below zero', () => {
    allowances.grant({ customerId: customer, model: 'gpt', tokens: 120, validityDays: null, source: 'test' });
    reserveTokens('c1', 100);
    settleTokens('c1', 100, 50); // used 150: 100 held + 20 left in the lot + 30 overrun
    expect(allowances.list(customer)[0]!.remainingTokens).toBe(0);
    expect(ledger.balance(Accounts.tokensOverrun('gpt'))).toBe(30);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('grants once per idempotency key and expires what is left of a lot past its date', () => {
    const first = allowances.grant({ customerId: customer, model: 'gpt', tokens: 500, validityDays: 1, source: 'pkg', idemKey: 'stars:charge-1' });
    const again = allowances.grant({ customerId: customer, model: 'gpt', tokens: 500, validityDays: 1, source: 'pkg', idemKey: 'stars:charge-1' });
    expect(again).toEqual({ lotId: first.lotId, duplicate: true });
    expect(allowances.list(customer)).toHaveLength(1);
    expect(allowances.expire(new Date(Date.now() + 2 * 86_400_000))).toBe(1);
    expect(allowances.list(customer)[0]).toMatchObject({ remainingTokens: 0, expired: true });
    expect(ledger.balance(Accounts.tokensExpired('gpt'))).toBe(-500);
    expect(reserveTokens('d1', 10).ok).toBe(false);
    expect(ledger.checkInvariants()).toEqual([]);
  });
});
