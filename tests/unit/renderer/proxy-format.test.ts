import { describe, expect, it } from 'vitest';
import type { ModelUsage, ProxyRequestEvent } from '../../../services/contract';
import { filterOptions, filterRequests, NO_FILTER, sameOptions } from '../../../renderer/features/proxy/filters';
import { formatCount, formatMargin, formatMs, formatPercent, formatRate, formatUsd } from '../../../renderer/features/proxy/money';
import { orderedErrorKinds } from '../../../renderer/features/proxy/outcomes';
import { customerLabel, topCustomers, topModels } from '../../../renderer/features/proxy/top';

const MINUS = '\u2212';

describe('money formatting (integer micro-USD, exact)', () => {
  it('formats exactly, with at least two decimals and no float rounding', () => {
    expect(formatUsd(1_250_000)).toBe('$1.25');
    expect(formatUsd(123)).toBe('$0.000123');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(1)).toBe('$0.000001');
    expect(formatUsd(1_000_000)).toBe('$1.00');
    expect(formatUsd(1_234_567)).toBe('$1.234567');
    expect(formatUsd(100_000)).toBe('$0.10');
    expect(formatUsd(-500_000)).toBe(`${MINUS}$0.50`);
    expect(formatUsd(1_234_567_890_123)).toBe('$1,234,567.890123');
    // Past 2^53 µUSD a float would already be wrong; integers up to there are shown digit for digit.
    expect(formatUsd(Number.MAX_SAFE_INTEGER)).toBe('$9,007,199,254.740991');
    // 0.1 + 0.2 style traps: sums of integers stay integers.
    expect(formatUsd(100_000 + 200_000)).toBe('$0.30');
  });

  it('rounds to the cent half away from zero on request, but never hides a sub-cent amount', () => {
    expect(formatUsd(1_234_567, 'cents')).toBe('$1.23');
    expect(formatUsd(1_235_000, 'cents')).toBe('$1.24');
    expect(formatUsd(-1_235_000, 'cents')).toBe(`${MINUS}$1.24`);
    expect(formatUsd(15_000, 'cents')).toBe('$0.02');
    expect(formatUsd(123, 'cents')).toBe('$0.000123');
    expect(formatUsd(9_999, 'cents')).toBe('$0.009999');
    expect(formatUsd(999_999_995_000, 'cents')).toBe('$1,000,000.00');
  });

  it('shows non-integers (which the contract never sends) as the nearest micro-dollar', () => {
    expect(formatUsd(1.6)).toBe('$0.000002');
    expect(formatUsd(Number.NaN)).toBe('$0.00');
  });

  it('margin is profit over charged, to a tenth of a percent, in integer math', () => {
    expect(formatMargin(350, 1_350)).toBe('25.9 %');
    expect(formatMargin(1, 3)).toBe('33.3 %');
    expect(formatMargin(2, 3)).toBe('66.7 %');
    expect(formatMargin(0, 5)).toBe('0.0 %');
    expect(formatMargin(-50, 100)).toBe(`${MINUS}50.0 %`);
    expect(formatMargin(10, 0)).toBe('—');
    expect(formatMargin(5_000_000_000_000, 5_000_000_000_000)).toBe('100.0 %');
  });
});

describe('other formats', () => {
  it('counts, rates, latencies and percentages', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(0.44)).toBe('0.4');
    expect(formatRate(9.96)).toBe('10');
    expect(formatRate(1002.4)).toBe('1,002');
    expect(formatMs(null)).toBe('—');
    expect(formatMs(412.4)).toBe('412 ms');
    expect(formatMs(1_250)).toBe('1.25 s');
    expect(formatMs(12_500)).toBe('12.5 s');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(0)).toBe('0.0 %');
    expect(formatPercent(0.0001)).toBe('<0.1 %');
    expect(formatPercent(0.125)).toBe('12.5 %');
  });

  it('orders error kinds: known ones first, then others alphabetically; zeros dropped', () => {
    expect(orderedErrorKinds({ zzz: 1, client_aborted: 2, insufficient_balance: 3, status_418: 1, auth: 0, upstream_error: 4 })).toEqual([
      ['insufficient_balance', 3],
      ['upstream_error', 4],
      ['client_aborted', 2],
      ['status_418', 1],
      ['zzz', 1],
    ]);
  });
});

let k = 0;
function ev(o: Partial<ProxyRequestEvent>): ProxyRequestEvent {
  k += 1;
  return {
    requestId: `req_${k}`,
    at: new Date(Date.UTC(2025, 0, 1, 12, 0, 0, 1000 - k)).toISOString(),
    keyId: 'key_abcd',
    customerId: 'cus_a',
    model: 'm1',
    stream: false,
    status: 200,
    outcome: 'ok',
    latencyMs: 1,
    promptTokens: 1,
    completionTokens: 1,
    chargedMicro: 100,
    upstreamCostMicro: 60,
    profitMicro: 40,
    allowanceTokens: 0,
    ...o,
  };
}

describe('top customers and models', () => {
  const recent = [
    ev({ customerId: 'cus_a', profitMicro: 40 }),
    ev({ customerId: 'cus_b', profitMicro: 500, chargedMicro: 900 }),
    ev({ customerId: 'cus_a', profitMicro: 40 }),
    ev({ customerId: 'cus_c', profitMicro: -5, chargedMicro: 0 }),
  ];

  it('sums the recent requests per customer, most profitable first, with names', () => {
    const top = topCustomers(recent, { cus_b: 'Bob' }, 2);
    expect(top.rows.map((r) => [r.name, r.requests, r.profitMicro, r.chargedMicro])).toEqual([
      ['Bob', 1, 500, 900],
      ['cus_a', 2, 80, 200],
    ]);
    expect(top.requests).toBe(4);
    expect(top.oldestAt).toBe(recent[3]!.at);
    expect(topCustomers([], {}).oldestAt).toBeNull();
  });

  it('orders models by profit (the host orders them by charge)', () => {
    const m = (model: string, chargeMicro: number, profitMicro: number): ModelUsage => ({ model, requests: 1, promptTokens: 1, completionTokens: 1, chargeMicro, upstreamCostMicro: chargeMicro - profitMicro, profitMicro });
    expect(topModels([m('big-cheap', 1000, 10), m('small-rich', 500, 300), m('mid', 700, 300)]).map((x) => x.model)).toEqual(['mid', 'small-rich', 'big-cheap']);
  });

  it('names a customer when known, else shows the id', () => {
    expect(customerLabel('cus_b', { cus_b: 'Bob' })).toBe('Bob');
    expect(customerLabel('cus_x', {})).toBe('cus_x');
  });
});

describe('request filters', () => {
  const recent = [
    ev({ customerId: 'cus_a', model: 'm1', outcome: 'ok' }),
    ev({ customerId: 'cus_b', model: 'm2', outcome: 'upstream_error', status: 502 }),
    ev({ customerId: 'cus_a', model: 'm2', outcome: 'ok' }),
    ev({ customerId: 'cus_a', model: 'm2', outcome: 'client_aborted', status: 499 }),
  ];

  it('option lists compare by content', () => {
    expect(sameOptions([{ value: 'a', label: 'A' }], [{ value: 'a', label: 'A' }])).toBe(true);
    expect(sameOptions([{ value: 'a', label: 'A' }], [{ value: 'a', label: 'Alice' }])).toBe(false);
    expect(sameOptions([], [{ value: 'a', label: 'A' }])).toBe(false);
  });

  it('no filter: the newest rows up to the limit', () => {
    const r = filterRequests(recent, NO_FILTER, 2);
    expect(r.rows).toEqual(recent.slice(0, 2));
    expect(r.matched).toBe(4);
  });

  it('filters by customer, model and outcome together and counts every match', () => {
    expect(filterRequests(recent, { customerId: 'cus_a', model: 'm2', outcome: null }, 1)).toEqual({ rows: [recent[2]], matched: 2 });
    expect(filterRequests(recent, { customerId: null, model: null, outcome: 'upstream_error' }, 10).rows).toEqual([recent[1]]);
    expect(filterRequests(recent, { customerId: 'cus_b', model: 'm1', outcome: null }, 10)).toEqual({ rows: [], matched: 0 });
  });

  it('offers every customer, model and outcome seen or known, and keeps a chosen value offered', () => {
    const o = filterOptions(recent, { cus_a: 'Alice', cus_z: 'Zoe' }, [{ model: 'm9', requests: 1, promptTokens: 0, completionTokens: 0, chargeMicro: 0, upstreamCostMicro: 0, profitMicro: 0 }], {
      customerId: null,
      model: 'gone-model',
      outcome: null,
    });
    expect(o.customers).toEqual([
      { value: 'cus_a', label: 'Alice (cus_a)' },
      { value: 'cus_b', label: 'cus_b' },
      { value: 'cus_z', label: 'Zoe (cus_z)' },
    ]);
    expect(o.models.map((x) => x.value)).toEqual(['gone-model', 'm1', 'm2', 'm9']);
    const outcomes = o.outcomes.map((x) => x.value);
    expect(outcomes[0]).toBe('ok');
    expect(outcomes).toEqual(expect.arrayContaining(['insufficient_balance', 'rate_limited', 'upstream_error', 'client_aborted']));
    expect(new Set(outcomes).size).toBe(outcomes.length);
  });
});
