import { describe, expect, it } from 'vitest';
import type { CustomerView, KeyView, ModelUsage } from '../../../services/contract';
import { formatDate, formatSignedUsd, formatUsd } from '../../../renderer/components/format';
import { parseUsdInput, parseWholeNumber } from '../../../renderer/features/customers/inputs';
import { DEFAULT_SORT, nextSort, parseTelegramId, searchCustomers, sortCustomers } from '../../../renderer/features/customers/table';
import { adjustText, creditText, describeLimits, grantText, possessive, revokeText, rotateText } from '../../../renderer/features/customers/texts';
import { buildUsageChart } from '../../../renderer/features/customers/usage-chart';
import { DEFAULT_ROUTE, hrefFor, parseHash } from '../../../renderer/router/routes';

const MINUS = '\u2212';

const customer = (id: string, name: string, availableMicro: number, overrides: Partial<CustomerView> = {}): CustomerView => ({
  id,
  name,
  telegramId: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  availableMicro,
  heldMicro: 0,
  activeKeys: 1,
  ...overrides,
});

const people = [
  customer('cus_alice001', 'Alice Trading', 12_400_000, { telegramId: 4242 }),
  customer('cus_bob00002', "Bob's Bots", 3_150_000, { telegramId: 777, heldMicro: 20_000 }),
  customer('cus_carol003', 'Carol Labs', 48_000_000, { activeKeys: 3 }),
  customer('cus_zoe00004', 'Zoë Müller', 250_000, { telegramId: 99 }),
];

describe('customers table', () => {
  it('searches name (ignoring case and accents), id and Telegram id; every word must match', () => {
    expect(searchCustomers(people, 'alice').map((c) => c.id)).toEqual(['cus_alice001']);
    expect(searchCustomers(people, 'zoe muller').map((c) => c.id)).toEqual(['cus_zoe00004']);
    expect(searchCustomers(people, 'CUS_BOB').map((c) => c.id)).toEqual(['cus_bob00002']);
    expect(searchCustomers(people, '777').map((c) => c.id)).toEqual(['cus_bob00002']);
    expect(searchCustomers(people, 'labs alice')).toEqual([]);
    expect(searchCustomers(people, '  ')).toHaveLength(4);
  });

  it('sorts by each column, ties by name, and Telegram-less customers last either way', () => {
    expect(sortCustomers(people, DEFAULT_SORT).map((c) => c.name)).toEqual(['Alice Trading', "Bob's Bots", 'Carol Labs', 'Zoë Müller']);
    expect(sortCustomers(people, { key: 'availableMicro', direction: 'desc' }).map((c) => c.id)).toEqual(['cus_carol003', 'cus_alice001', 'cus_bob00002', 'cus_zoe00004']);
    expect(sortCustomers(people, { key: 'telegramId', direction: 'asc' }).map((c) => c.telegramId)).toEqual([99, 777, 4242, null]);
    expect(sortCustomers(people, { key: 'telegramId', direction: 'desc' }).map((c) => c.telegramId)).toEqual([4242, 777, 99, null]);
    expect(sortCustomers(people, { key: 'activeKeys', direction: 'desc' }).map((c) => c.name)).toEqual(['Carol Labs', 'Alice Trading', "Bob's Bots", 'Zoë Müller']);
    expect(sortCustomers(people, { key: 'heldMicro', direction: 'desc' })[0]!.id).toBe('cus_bob00002');
  });

  it('a click on the sorted column flips it; a new column starts the useful way round', () => {
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ key: 'name', direction: 'desc' });
    expect(nextSort(DEFAULT_SORT, 'availableMicro')).toEqual({ key: 'availableMicro', direction: 'desc' });
    expect(nextSort({ key: 'availableMicro', direction: 'desc' }, 'telegramId')).toEqual({ key: 'telegramId', direction: 'asc' });
  });

  it('reads a Telegram id', () => {
    expect(parseTelegramId('')).toEqual({ ok: true, value: null });
    expect(parseTelegramId(' 123456789 ')).toEqual({ ok: true, value: 123456789 });
    expect(parseTelegramId('@alice').ok).toBe(false);
    expect(parseTelegramId('0').ok).toBe(false);
  });
});

describe('amount inputs (exact)', () => {
  it('reads USD into micro-dollars without floats, and the decimal string the contract takes', () => {
    expect(parseUsdInput('25')).toEqual({ ok: true, micro: 25_000_000n, usd: '25' });
    expect(parseUsdInput('$1,250.50')).toEqual({ ok: true, micro: 1_250_500_000n, usd: '1250.5' });
    expect(parseUsdInput('0.1')).toEqual({ ok: true, micro: 100_000n, usd: '0.1' });
    expect(parseUsdInput('0.000001')).toEqual({ ok: true, micro: 1n, usd: '0.000001' });
    expect(parseUsdInput('007.20')).toEqual({ ok: true, micro: 7_200_000n, usd: '7.2' });
    expect(parseUsdInput('999999999.999999')).toEqual({ ok: true, micro: 999_999_999_999_999n, usd: '999999999.999999' });
  });

  it('refuses what the host would refuse, saying why', () => {
    expect(parseUsdInput('')).toMatchObject({ ok: false });
    expect(parseUsdInput('0.00')).toEqual({ ok: false, message: 'The amount must not be zero.' });
    expect(parseUsdInput('1.0000001')).toEqual({ ok: false, message: 'USD amounts have at most 6 decimals (one micro-dollar).' });
    expect(parseUsdInput('1000000000')).toEqual({ ok: false, message: 'That is more than 999,999,999 USD.' });
    expect(parseUsdInput('1e3')).toMatchObject({ ok: false });
    expect(parseUsdInput('12,34')).toMatchObject({ ok: false });
    expect(parseUsdInput('-5')).toEqual({ ok: false, message: 'Enter a positive amount.' });
  });

  it('reads signed amounts for adjustments, with a typed or a typographic minus', () => {
    expect(parseUsdInput('-2.50', { signed: true })).toEqual({ ok: true, micro: -2_500_000n, usd: '-2.5' });
    expect(parseUsdInput('\u22123', { signed: true })).toEqual({ ok: true, micro: -3_000_000n, usd: '-3' });
    expect(parseUsdInput('+5', { signed: true })).toEqual({ ok: true, micro: 5_000_000n, usd: '5' });
    expect(parseUsdInput('-$0.000001', { signed: true })).toEqual({ ok: true, micro: -1n, usd: '-0.000001' });
  });

  it('reads whole numbers (tokens, days, rpm)', () => {
    expect(parseWholeNumber('1,000,000', 'the tokens', 1e12)).toEqual({ ok: true, value: 1_000_000 });
    expect(parseWholeNumber('1 000', 'the tokens', 1e12)).toEqual({ ok: true, value: 1000 });
    expect(parseWholeNumber('1.5', 'the tokens', 1e12)).toEqual({ ok: false, message: 'Enter the tokens as a whole number.' });
    expect(parseWholeNumber('0', 'the days', 3650)).toEqual({ ok: false, message: 'The days must be more than zero.' });
    expect(parseWholeNumber('4000', 'the days', 3650)).toEqual({ ok: false, message: 'At most 3,650.' });
  });
});

describe('confirmation texts', () => {
  it('credit: says how much goes where, recorded as what, and the balance after', () => {
    const t = creditText('Alice', 25_000_000n, ' bank transfer ', 12_400_000);
    expect(t.lines[0]).toBe("Add $25.00 to Alice's balance, recorded as money received: “bank transfer”.");
    expect(t.lines[1]).toBe('Available balance: $12.40 → $37.40.');
    expect(t.confirmLabel).toBe('Add $25.00');
    expect(t.danger).toBeFalsy();
    expect(creditText('Carol Labs', 1n, '', 0).lines[0]).toBe("Add $0.000001 to Carol Labs' balance, recorded as money received (no memo).");
  });

  it('adjust: either sign, not money received, and a warning when it would go below zero', () => {
    const up = adjustText('Alice', 5_000_000n, 'goodwill', 1_000_000);
    expect(up.lines[0]).toBe("Add $5.00 to Alice's balance as an adjustment: “goodwill”.");
    expect(up.lines).toContain('It is recorded in the ledger and the audit trail; it is not money received.');
    const down = adjustText('Alice', -2_500_000n, 'double charge', 12_400_000);
    expect(down.lines[0]).toBe("Take $2.50 from Alice's balance as an adjustment: “double charge”.");
    expect(down.lines[1]).toBe('Available balance: $12.40 → $9.90.');
    expect(down.danger).toBe(true);
    const below = adjustText('Dave', -3_000_000n, 'x', 250_000);
    expect(below.lines[1]).toBe(`Available balance: $0.25 → ${MINUS}$2.75.`);
    expect(below.lines).toContain('That is below zero: the host will refuse it.');
  });

  it('grant, revoke and rotate say exactly what happens', () => {
    expect(grantText('Alice', 'openai/gpt-4o-mini', 1_000_000, 30, 'promo').lines[0]).toBe('Give Alice 1,000,000 tokens of openai/gpt-4o-mini, valid for 30 days: “promo”.');
    expect(grantText('Alice', 'm', 5, null, 'x').lines[0]).toBe('Give Alice 5 tokens of m, with no expiry: “x”.');
    expect(grantText('Alice', 'm', 5, 1, 'x').lines[0]).toContain('valid for 1 day:');
    const key = { id: 'key_1', hint: 'sk-arb-…Xy3Q', label: 'bot', rpm: 60, tpm: null, maxConcurrent: 4 } as KeyView;
    expect(revokeText(key, 'Alice').lines[0]).toBe('Revoke key sk-arb-…Xy3Q (“bot”) of Alice: every request made with it is refused from now on.');
    expect(rotateText({ ...key, label: '' }, 'Alice').lines[0]).toBe('Replace key sk-arb-…Xy3Q of Alice with a new key with the same limits; the old key stops working at once.');
    expect(describeLimits(key)).toBe('60 rpm · 4 at once');
    expect(describeLimits({ rpm: null, tpm: 100_000, maxConcurrent: null })).toBe('100,000 tpm');
    expect(describeLimits({ rpm: null, tpm: null, maxConcurrent: null })).toBe('no limits');
    expect(possessive('James')).toBe("James'");
  });
});

describe('usage chart', () => {
  const usage = (model: string, chargeMicro: number, upstreamCostMicro: number, requests = 10): ModelUsage => ({
    model,
    requests,
    promptTokens: 1000,
    completionTokens: 500,
    chargeMicro,
    upstreamCostMicro,
    profitMicro: chargeMicro - upstreamCostMicro,
  });

  it('one bar per model, widest first, split into cost and profit, with a sentence for screen readers', () => {
    const chart = buildUsageChart([usage('b', 1_000_000, 740_000), usage('a', 4_000_000, 2_960_000, 40), usage('idle', 0, 0, 0)]);
    expect(chart.bars.map((b) => b.model)).toEqual(['a', 'b']);
    expect(chart.bars[0]!.chargeShare).toBe(1);
    expect(chart.bars[1]!.chargeShare).toBe(0.25);
    expect(chart.bars[0]!.costShare).toBeCloseTo(0.74);
    expect(chart.bars[0]!.label).toBe('$4.00 · 40 req');
    expect(chart.summary).toBe('Charged per model, all time: a $4.00 over 40 requests; b $1.00 over 10 requests.');
  });

  it('folds the rest into "more models" and says when there is nothing', () => {
    const many = Array.from({ length: 10 }, (_, i) => usage(`m${i}`, (10 - i) * 1_000_000, 0));
    const chart = buildUsageChart(many, 8);
    expect(chart.bars).toHaveLength(8);
    expect(chart.others).toEqual({ models: 2, chargeMicro: 3_000_000 });
    expect(buildUsageChart([]).summary).toBe('No usage recorded yet.');
  });
});

describe('shared formatters and detail routes', () => {
  it('formats signed changes and accepts bigint micro-dollars', () => {
    expect(formatSignedUsd(5_000_000)).toBe('+$5.00');
    expect(formatSignedUsd(-2_500_000)).toBe(`${MINUS}$2.50`);
    expect(formatSignedUsd(0)).toBe('$0.00');
    expect(formatUsd(9_007_199_254_740_993n)).toBe('$9,007,199,254.740993');
    expect(formatDate(new Date(2024, 0, 2, 3, 4).toISOString())).toBe('2024-01-02');
  });

  it('parses record pages, keeping the id as typed', () => {
    expect(parseHash('#/customers/cus_AbC123')).toEqual({ id: 'customers', path: 'customers/cus_AbC123', param: 'cus_AbC123' });
    expect(parseHash('#/Invoices/inv_XyZ9/')).toEqual({ id: 'invoices', path: 'invoices/inv_XyZ9', param: 'inv_XyZ9' });
    expect(parseHash('#/support/tkt_Q1?x=1')).toMatchObject({ id: 'support', param: 'tkt_Q1' });
    expect(parseHash('#/settings/foo')).toEqual({ id: null, path: 'settings/foo' });
    expect(parseHash('#/customers/a/b')).toMatchObject({ id: null });
    expect(parseHash('#/customers')).toEqual({ id: 'customers', path: 'customers' });
    expect(parseHash('').id).toBe(DEFAULT_ROUTE);
  });

  it('builds record links that round-trip, encoding what needs it', () => {
    expect(hrefFor('customers', 'cus_AbC123')).toBe('#/customers/cus_AbC123');
    expect(hrefFor('customers')).toBe('#/customers');
    expect(parseHash(hrefFor('invoices', 'inv_a b'))).toMatchObject({ id: 'invoices', param: 'inv_a b' });
  });
});
