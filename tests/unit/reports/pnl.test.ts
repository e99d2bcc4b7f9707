/**
 * Profit and loss over a real database, seeded through the real stores (the shop and invoice
 * engine for a Stars sale, the meter for requests, the ledger for a manual credit): exact
 * totals, UTC day / ISO week / month edges, and allowance-paid requests never counted twice.
 */
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../../services/config/schema.js';
import { checkCommand, type CommandName, type CommandOutput } from '../../../services/contract.js';
import { openDatabase, type Db } from '../../../services/db/database.js';
import { Business } from '../../../services/host/business.js';
import { Accounts } from '../../../services/ledger/accounts.js';
import type { ProxyService } from '../../../services/proxy/proxy-service.js';
import { bucketsOf, isoWeek } from '../../../services/reports/range.js';
import { tempDir } from '../../helpers/temp.js';

const model = { id: 'openai/gpt-4o-mini', name: 'mini', contextLength: 128_000, maxCompletionTokens: 16_000, priced: true as const, promptPico: 150_000, completionPico: 600_000, requestMicro: 0 };
const other = 'anthropic/claude-3-haiku';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let business: Business;
type Handlers = Record<string, (i: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>>;
let handlers: Handlers | undefined;

function at(iso: string) {
  vi.setSystemTime(new Date(iso));
}

async function call<M extends CommandName>(method: M, input?: unknown): Promise<CommandOutput<M>> {
  const checked = checkCommand(method, input);
  if (!checked.ok) throw new Error(checked.error.message);
  // One handler map per host, as the Host builds it (the overview keeps past days between calls).
  handlers ??= business.handlers() as unknown as Handlers;
  const result = await handlers[method]!(checked.input);
  if (!result.ok) throw new Error(result.error!.message);
  return result.value as CommandOutput<M>;
}

let n = 0;
/** One proxy request through the meter: balance-paid when `tokens` is 0, allowance-paid otherwise. */
function request(customerId: string, m: string, o: { chargeMicro: number; costMicro: number; tokens?: number }) {
  const requestId = `req_${++n}`;
  const reserved = business.meter.reserve({ requestId, customerId, keyId: 'key_test', model: m, amountMicro: Math.max(o.chargeMicro, 1), tokens: o.tokens ?? 0 });
  expect(reserved.ok).toBe(true);
  const settled = business.meter.settle({
    requestId,
    chargeMicro: o.chargeMicro,
    upstreamCostMicro: o.costMicro,
    record: { stream: false, status: 200, outcome: 'ok', promptTokens: o.tokens ? o.tokens - 10 : 100, completionTokens: 10, latencyMs: 5, generationId: null },
  });
  return { via: 'via' in reserved ? reserved.via : null, settled: settled! };
}

function manualCredit(customerId: string, micro: number) {
  business.ledger.post({
    kind: 'credit',
    customerId,
    actor: 'owner',
    memo: 'cash',
    entries: [
      { account: Accounts.receipts('manual'), amount: micro },
      { account: Accounts.available(customerId), amount: -micro },
    ],
  });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  handlers = undefined;
  tmp = tempDir('arbdesk-reports-');
  db = openDatabase(path.join(tmp.dir, 'arbdesk.db')).db;
  const bot = { invoiceChanged: async () => true, delivered: async () => true, ownerAlert: async () => 1, ticketReply: async () => true, refundStars: async () => undefined };
  business = new Business({
    db,
    logger: pino({ level: 'silent' }),
    settings: defaultSettings,
    publish: () => undefined,
    audit: () => undefined,
    proxy: () => ({ model: (id: string) => (id === model.id ? model : undefined), localUrl: () => undefined, credit: () => null }) as unknown as ProxyService,
    storefront: () => bot,
    crypto: { options: () => [], prepare: async () => Promise.reject(new Error('no crypto')) },
  });
});

afterEach(async () => {
  vi.useRealTimers();
  // Delivery notices run on setImmediate after their transaction; let them finish before closing.
  await new Promise((resolve) => setImmediate(resolve));
  db.close();
  tmp.cleanup();
});

/**
 * Bob pays per request from a $10 manual credit; Alice buys a 100k-token package with Stars and
 * uses it. Times straddle a UTC midnight, an ISO week edge (Sunday → Monday) and a month edge.
 */
function seed() {
  at('2026-02-20T10:00:00.000Z');
  const bob = business.customers.add({ name: 'Bob' }).id;
  const { customer: alice } = business.shop.register(777, 'Alice', 'en');
  const pkg = business.packages.import([{ kind: 'tokens', model: model.id, tokens: 100_000, description: 'mini 100k', categoryId: null, subcategoryId: null, validityDays: null }], business.pricingContext())[0]!;
  const price = pkg.priceMicro!;
  manualCredit(bob, 10_000_000);

  // Sunday 2026-03-01, the last millisecond of the day (ISO week 2026-W09).
  at('2026-03-01T23:59:59.999Z');
  request(bob, model.id, { chargeMicro: 1_500_000, costMicro: 1_000_000 });

  // Monday 2026-03-02 at midnight (2026-W10): Alice buys the package with Stars and uses it.
  at('2026-03-02T00:00:00.000Z');
  const { orderId } = business.shop.order(alice.id, { packageId: pkg.id });
  const stars = business.shop.starsInvoice(orderId);
  business.shop.starsPaid(stars.payload, 'charge-1', stars.stars, 777);
  const used = request(alice.id, model.id, { chargeMicro: 0, costMicro: 200_000, tokens: 5_000 });
  expect(used.via).toBe('allowance');
  expect(used.settled.chargedMicro).toBe(0);
  request(bob, other, { chargeMicro: 300_000, costMicro: 250_000 });

  // The month edge: March 31 late, April 1 at midnight.
  at('2026-03-31T23:59:59.999Z');
  request(bob, model.id, { chargeMicro: 700_000, costMicro: 400_000 });
  at('2026-04-01T00:00:00.000Z');
  request(bob, model.id, { chargeMicro: 900_000, costMicro: 500_000 });

  return { bob, alice: alice.id, price, invoiceId: stars.invoice.id };
}

describe('ISO weeks and buckets', () => {
  it('puts days in their ISO 8601 week and cuts edge buckets to the range', () => {
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2021-01-04')).toBe('2021-W01');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2026-03-01')).toBe('2026-W09');
    expect(isoWeek('2026-03-02')).toBe('2026-W10');
    expect(bucketsOf('2026-02-27', '2026-03-03', 'week').map((b) => [b.key, b.from, b.to])).toEqual([
      ['2026-W09', '2026-02-27', '2026-03-01'],
      ['2026-W10', '2026-03-02', '2026-03-03'],
    ]);
    expect(bucketsOf('2026-01-31', '2026-02-01', 'month').map((b) => b.key)).toEqual(['2026-01', '2026-02']);
  });
});

describe('reports.pnl', () => {
  it('books package sales at sale and per-request charges, never allowance usage twice, by UTC day', async () => {
    const s = seed();
    const r = await call('reports.pnl', { from: '2026-03-01', to: '2026-03-02', granularity: 'day' });
    expect(r.periods.map((p) => [p.key, p.packageRevenueMicro, p.usageRevenueMicro, p.upstreamCostMicro, p.profitMicro, p.requests, p.sales])).toEqual([
      ['2026-03-01', 0, 1_500_000, 1_000_000, 500_000, 1, 0],
      ['2026-03-02', s.price, 300_000, 450_000, s.price + 300_000 - 450_000, 2, 1],
    ]);
    // Revenue is the sale plus the charges: not the $10 credit, not the Stars payment, not the allowance request.
    expect(r.totals).toEqual({
      revenueMicro: s.price + 1_800_000,
      packageRevenueMicro: s.price,
      usageRevenueMicro: 1_800_000,
      upstreamCostMicro: 1_450_000,
      profitMicro: s.price + 1_800_000 - 1_450_000,
      requests: 3,
      sales: 1,
    });
  });

  it('agrees with the ledger over all time', async () => {
    seed();
    const r = await call('reports.pnl', { from: '2026-02-01', to: '2026-04-30', granularity: 'month' });
    const ledgerRevenue = -(business.ledger.balance('revenue:packages') + business.ledger.balance(Accounts.revenueUsage));
    expect(r.totals.revenueMicro).toBe(ledgerRevenue);
    expect(r.totals.upstreamCostMicro).toBe(business.ledger.balance(Accounts.expenseUpstream));
  });

  it('cuts ISO weeks on Monday 00:00 UTC and months on the 1st 00:00 UTC', async () => {
    const s = seed();
    const weeks = await call('reports.pnl', { from: '2026-02-23', to: '2026-03-08', granularity: 'week' });
    expect(weeks.periods.map((p) => [p.key, p.from, p.to, p.revenueMicro, p.upstreamCostMicro])).toEqual([
      ['2026-W09', '2026-02-23', '2026-03-01', 1_500_000, 1_000_000],
      ['2026-W10', '2026-03-02', '2026-03-08', s.price + 300_000, 450_000],
    ]);
    const months = await call('reports.pnl', { from: '2026-03-01', to: '2026-04-15', granularity: 'month' });
    expect(months.periods.map((p) => [p.key, p.from, p.to, p.usageRevenueMicro, p.upstreamCostMicro, p.requests])).toEqual([
      ['2026-03', '2026-03-01', '2026-03-31', 2_500_000, 1_850_000, 4],
      ['2026-04', '2026-04-01', '2026-04-15', 900_000, 500_000, 1],
    ]);
    const edge = await call('reports.pnl', { from: '2026-04-01', to: '2026-04-01', granularity: 'day' });
    expect(edge.totals).toMatchObject({ usageRevenueMicro: 900_000, upstreamCostMicro: 500_000, requests: 1 });
  });

  it('breaks down by model, customer and payment method with the same totals', async () => {
    const s = seed();
    const r = await call('reports.pnl', { from: '2026-03-01', to: '2026-03-31', granularity: 'day' });
    const pick = (rows: typeof r.byModel) => Object.fromEntries(rows.map((x) => [x.key, [x.revenueMicro, x.upstreamCostMicro, x.requests]]));
    expect(pick(r.byModel)).toEqual({ [model.id]: [s.price + 2_200_000, 1_600_000, 3], [other]: [300_000, 250_000, 1] });
    expect(pick(r.byCustomer)).toEqual({ [s.bob]: [2_500_000, 1_650_000, 3], [s.alice]: [s.price, 200_000, 1] });
    expect(r.byCustomer.find((c) => c.key === s.alice)?.label).toBe('Alice');
    expect(pick(r.byMethod)).toEqual({ stars: [s.price, 0, 0], balance: [2_500_000, 1_650_000, 3], allowance: [0, 200_000, 1] });
    expect(r.byMethod.find((m) => m.key === 'allowance')?.label).toBe('Requests paid from token allowances');
    for (const rows of [r.byModel, r.byCustomer, r.byMethod]) {
      expect(rows.reduce((t, x) => t + x.profitMicro, 0)).toBe(r.totals.profitMicro);
    }
  });

  it('books a Stars refund back on the day of the refund, against the sale method and model', async () => {
    const s = seed();
    at('2026-04-02T09:00:00.000Z');
    await business.refundStars(s.invoiceId, 'changed their mind');
    const april = await call('reports.pnl', { from: '2026-04-01', to: '2026-04-02', granularity: 'day' });
    expect(april.periods.map((p) => [p.key, p.packageRevenueMicro, p.sales])).toEqual([
      ['2026-04-01', 0, 0],
      ['2026-04-02', -s.price, 0],
    ]);
    expect(april.byMethod.find((m) => m.key === 'stars')?.revenueMicro).toBe(-s.price);
    expect(april.byModel.find((m) => m.key === model.id)?.packageRevenueMicro).toBe(-s.price);
    const march = await call('reports.pnl', { from: '2026-03-01', to: '2026-03-31', granularity: 'month' });
    expect(march.totals.packageRevenueMicro).toBe(s.price);
  });

  it('refuses bad ranges with messages that say what to fix', () => {
    const err = (input: unknown) => {
      const c = checkCommand('reports.pnl', input);
      return c.ok ? null : c.error.message;
    };
    expect(err({ from: '2026-02-30', to: '2026-03-01' })).toMatch(/from: is not a calendar date/);
    expect(err({ from: '2026-03-01', to: '01/03/2026' })).toMatch(/to: must be a date such as 2026-01-31/);
    expect(err({ from: '2026-03-02', to: '2026-03-01' })).toMatch(/to: must not be before from/);
    expect(err({ from: '2025-01-01', to: '2026-02-05' })).toMatch(/at most 400 days/);
    expect(err({ from: '2025-01-01', to: '2026-02-04', granularity: 'year' })).toMatch(/granularity/);
    expect(err({ from: '2025-01-01', to: '2026-02-04' })).toBeNull();
  });
});

describe('reports.overview', () => {
  it('shows today / 7 / 30 UTC days, active customers, what waits and the latest sales', async () => {
    const s = seed();
    // An unpaid order, and a support ticket, for the counts.
    at('2026-04-01T12:00:00.000Z');
    const { orderId } = business.shop.order(s.alice, { topupUsd: '5' });
    business.shop.starsInvoice(orderId);
    business.shop.openTicket(777, 'help');
    business.customers.add({ name: 'Carol (never active)' });

    const o = await call('reports.overview');
    const period = (id: string) => o.periods.find((p) => p.id === id)!;
    expect(period('today')).toMatchObject({ from: '2026-04-01', to: '2026-04-01' });
    expect(period('today').figures).toMatchObject({ revenueMicro: 900_000, upstreamCostMicro: 500_000, profitMicro: 400_000 });
    expect(period('7d')).toMatchObject({ from: '2026-03-26' });
    expect(period('7d').figures).toMatchObject({ revenueMicro: 1_600_000, upstreamCostMicro: 900_000 });
    expect(period('30d')).toMatchObject({ from: '2026-03-03' });
    expect(period('30d').figures.revenueMicro).toBe(1_600_000);
    // Only Bob was active in the last 30 days (Alice bought and used her package on 2026-03-02); Carol never was.
    expect(o).toMatchObject({ activeCustomers: 1, totalCustomers: 3, pendingInvoices: 1, openTickets: 1 });
    expect(o.upstream).toEqual({ configured: false, credit: null, lowCreditThresholdMicro: expect.any(Number) });
    expect(o.recentSales.map((x) => [x.kind, x.customerName, x.what, x.amountMicro, x.method])).toEqual([
      ['package', 'Alice', 'mini 100k', s.price, 'stars'],
      ['credit', 'Bob', 'cash', 10_000_000, 'manual'],
    ]);

    // A new request shows at once; past days (read once and kept) still count after midnight.
    at('2026-04-01T18:00:00.000Z');
    request(s.bob, model.id, { chargeMicro: 100_000, costMicro: 60_000 });
    const later = await call('reports.overview');
    expect(later.periods.find((p) => p.id === 'today')!.figures).toMatchObject({ revenueMicro: 1_000_000, upstreamCostMicro: 560_000, requests: 2 });
    at('2026-04-02T00:00:01.000Z');
    const nextDay = await call('reports.overview');
    expect(nextDay.periods.find((p) => p.id === 'today')!.figures.revenueMicro).toBe(0);
    expect(nextDay.periods.find((p) => p.id === '7d')!.figures).toMatchObject({ revenueMicro: 1_700_000, upstreamCostMicro: 960_000 });
    at('2026-04-02T01:00:00.000Z');
    request(s.bob, other, { chargeMicro: 40_000, costMicro: 10_000 });
    const afterMidnight = await call('reports.overview');
    expect(afterMidnight.periods.find((p) => p.id === '7d')!.figures).toMatchObject({ revenueMicro: 1_740_000, upstreamCostMicro: 970_000 });
    expect(afterMidnight.periods.find((p) => p.id === '30d')!.figures.revenueMicro).toBe(1_740_000);
  });
});
