import Database from 'better-sqlite3';
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { Allowances } from '../../../services/allowances/allowances.js';
import { Customers } from '../../../services/customers/customers.js';
import { migrate } from '../../../services/db/database.js';
import { migrations } from '../../../services/db/migrations/index.js';
import { KeyStore } from '../../../services/keys/key-store.js';
import { Ledger } from '../../../services/ledger/ledger.js';
import { PackageStore } from '../../../services/packages/package-store.js';
import { OrderFulfilment, type DeliveryNotice } from '../../../services/payments/fulfilment.js';
import { baseToMicro, InvoiceEngine } from '../../../services/payments/invoice-engine.js';
import { InvoiceStore } from '../../../services/payments/invoice-store.js';
import type { ObservedTransfer } from '../../../services/payments/types.js';

let db: Database.Database;
let ledger: Ledger;
let allowances: Allowances;
let engine: InvoiceEngine;
let customer: string;
let packageId: string;
let clock: Date;
const attention: string[] = [];
const notices: DeliveryNotice[] = [];

function makeEngine() {
  const store = new InvoiceStore(db);
  const keys = new KeyStore(db);
  const packages = new PackageStore(db);
  return new InvoiceEngine({
    store,
    ledger,
    logger: pino({ level: 'silent' }),
    fulfilment: new OrderFulfilment({ db, ledger, allowances, packages, keys, logger: pino({ level: 'silent' }), notify: (n) => notices.push(n) }),
    confirmationsFor: (m) => (m === 'btc' ? 2 : m === 'stars' ? 0 : 12),
    underpayTolerancePercent: () => 1,
    onInvoiceChanged: () => undefined,
    onAttention: (kind) => attention.push(kind),
    now: () => clock,
  });
}

/** A $10 order for a 100k-token package, invoiced as 10_000 sats at $100_000/BTC. */
function btcInvoice(address = 'bc1qtest0') {
  const order = engine.createOrder({ customerId: customer, kind: 'package', packageId, usdMicro: 10_000_000 });
  return engine.createInvoice({ order, method: 'btc', asset: 'BTC', decimals: 8, amountBase: 10_000n, rate: '100000', address, derivationIndex: 0, uri: null, ttlMinutes: 60 });
}

const tx = (outpoint: string, sats: bigint, confirmations: number, address = 'bc1qtest0'): ObservedTransfer => ({
  outpoint,
  method: 'btc',
  address,
  amountBase: sats,
  blockNumber: confirmations ? 100 : null,
  blockHash: confirmations ? '0xabc' : null,
  confirmations,
  detail: {},
});

const balance = () => ledger.customerBalance(customer).availableMicro;
const invoiceRow = (id: string) => db.prepare('SELECT * FROM invoices WHERE id = ?').get(id) as { status: string; flags: string; paid_base: string };

beforeEach(() => {
  db = new Database(':memory:');
  migrate(db, migrations);
  ledger = new Ledger(db);
  allowances = new Allowances(db, ledger);
  customer = new Customers(db).add({ name: 'Payer' }).id;
  packageId = new PackageStore(db).import(
    [{ kind: 'tokens', model: 'openai/gpt-4o-mini', tokens: 100_000, description: '100k', categoryId: null, subcategoryId: null, validityDays: 30 }],
    { lookup: () => undefined, settings: { markupBps: 2500, minProfitMicro: 100_000, bulkThresholdTokens: 1_000_000, bulkDiscountBps: 500 }, overrides: new Map() },
  )[0]!.id;
  clock = new Date('2026-11-21T10:00:00Z');
  attention.length = 0;
  notices.length = 0;
  engine = makeEngine();
});

describe('baseToMicro', () => {
  it('converts base units at a decimal rate, rounding down', () => {
    expect(baseToMicro(10_000n, 8, '100000')).toBe(10_000_000);
    expect(baseToMicro(1n, 18, '3000.5')).toBe(0);
    expect(baseToMicro(1_000_000_000_000_000n, 18, '3000.5')).toBe(3_000_500); // 0.001 ETH
    expect(baseToMicro(1_234_567n, 6, '1')).toBe(1_234_567);
  });
});

describe('crypto invoice lifecycle', () => {
  it('new → processing on sight → credited once and settled at the required confirmations → order delivered', () => {
    const inv = btcInvoice();
    engine.observe([tx('btc:t1:0', 10_000n, 0)], [inv.id]);
    expect(invoiceRow(inv.id).status).toBe('processing');
    engine.observe([tx('btc:t1:0', 10_000n, 1)], [inv.id]);
    expect(invoiceRow(inv.id).status).toBe('processing');
    expect(balance()).toBe(0);
    engine.observe([tx('btc:t1:0', 10_000n, 2)], [inv.id]);
    engine.observe([tx('btc:t1:0', 10_000n, 3)], [inv.id]); // a re-scan: no second credit
    engine.observe([tx('btc:t1:0', 10_000n, 3), tx('btc:t1:0', 10_000n, 3)], [inv.id]); // a duplicate event
    expect(invoiceRow(inv.id).status).toBe('settled');
    expect(balance()).toBe(0); // paid $10, spent $10 on the package
    expect(-ledger.balance('revenue:packages')).toBe(10_000_000);
    expect(allowances.list(customer)).toEqual([expect.objectContaining({ model: 'openai/gpt-4o-mini', remainingTokens: 100_000 })]);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('survives a restart between detection and settlement, crediting once', () => {
    const inv = btcInvoice();
    engine.observe([tx('btc:t1:0', 10_000n, 1)], [inv.id]);
    engine = makeEngine(); // a new process on the same database
    engine.observe([tx('btc:t1:0', 10_000n, 2)], [inv.id]);
    engine = makeEngine();
    engine.observe([tx('btc:t1:0', 10_000n, 5)], [inv.id]);
    expect(invoiceRow(inv.id).status).toBe('settled');
    expect(db.prepare("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'payment'").pluck().get()).toBe(1);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('never credits a payment that vanishes in a reorg before confirming', () => {
    const inv = btcInvoice();
    engine.observe([tx('btc:t1:0', 10_000n, 1)], [inv.id]);
    engine.observe([], [inv.id]); // gone
    expect(invoiceRow(inv.id).status).toBe('new');
    expect(balance()).toBe(0);
    engine.observe([tx('btc:t2:0', 10_000n, 2)], [inv.id]); // paid again in the new chain
    expect(invoiceRow(inv.id).status).toBe('settled');
    expect(db.prepare("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'payment'").pluck().get()).toBe(1);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('settles an underpayment within the tolerance, absorbing the shortfall', () => {
    const inv = btcInvoice();
    engine.observe([tx('btc:t1:0', 9_950n, 2)], [inv.id]); // 0.5% short, tolerance 1%
    expect(invoiceRow(inv.id).status).toBe('settled');
    expect(balance()).toBe(0);
    expect(ledger.balance('loss:underpayment')).toBe(50_000);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('credits a short payment to the balance and flags the invoice when it expires', () => {
    const inv = btcInvoice();
    engine.observe([tx('btc:t1:0', 5_000n, 2)], [inv.id]);
    expect(invoiceRow(inv.id).status).toBe('processing');
    clock = new Date(clock.getTime() + 61 * 60_000);
    expect(engine.expireDue()).toBe(1);
    expect(invoiceRow(inv.id)).toMatchObject({ status: 'expired', flags: 'underpaid' });
    expect(balance()).toBe(5_000_000);
    expect(attention).toContain('underpaid');
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('keeps an overpayment in the balance, flagged', () => {
    const inv = btcInvoice();
    engine.observe([tx('btc:t1:0', 15_000n, 2)], [inv.id]);
    expect(invoiceRow(inv.id)).toMatchObject({ status: 'settled', flags: 'overpaid' });
    expect(balance()).toBe(5_000_000);
    expect(ledger.checkInvariants()).toEqual([]);
  });

  it('credits a late payment to the balance, flags it, and does not deliver by itself', () => {
    const inv = btcInvoice();
    clock = new Date(clock.getTime() + 61 * 60_000);
    engine.expireDue();
    engine.observe([tx('btc:t1:0', 10_000n, 0)], [inv.id]);
    engine.observe([tx('btc:t1:0', 10_000n, 2)], [inv.id]);
    expect(invoiceRow(inv.id)).toMatchObject({ status: 'expired', flags: 'late' });
    expect(balance()).toBe(10_000_000);
    expect(attention).toContain('late');
    expect(allowances.list(customer)).toEqual([]);
    // The owner decides: settle it by hand, and the order is delivered from that balance.
    engine.resolve(inv.id, 'settle', 'late but fine');
    expect(allowances.list(customer)).toHaveLength(1);
    expect(balance()).toBe(0);
    expect(ledger.checkInvariants()).toEqual([]);
  });
});

describe('Telegram Stars', () => {
  it('credits a charge id once however often it is replayed', () => {
    const order = engine.createOrder({ customerId: customer, kind: 'topup', packageId: null, usdMicro: 1_300_000 });
    const inv = engine.createInvoice({ order, method: 'stars', asset: 'XTR', decimals: 0, amountBase: 100n, rate: '0.013', address: null, derivationIndex: null, uri: null, ttlMinutes: 60 });
    const star: ObservedTransfer = { outpoint: 'stars:charge-1', method: 'stars', address: inv.id, amountBase: 100n, blockNumber: null, blockHash: null, confirmations: 1, detail: {} };
    engine.observe([star]);
    engine.observe([star]);
    engine = makeEngine();
    engine.observe([star]);
    expect(invoiceRow(inv.id).status).toBe('settled');
    expect(balance()).toBe(1_300_000);
    expect(ledger.checkInvariants()).toEqual([]);
  });
});
