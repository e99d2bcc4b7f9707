/**
 * The Reports screen's CSV (exact decimal USD, RFC 4180 quoting) and the Overview's live
 * refresh (one read per burst of events, at most one per interval, one trailing read).
 */
import { describe, expect, it } from 'vitest';
import type { EventBatch, PnlBreakdownRow, PnlFigures } from '../../../services/contract';
import { createLiveRefresh } from '../../../renderer/features/overview/live-refresh';
import { fakeClock } from '../../helpers/fake-clock';
import { breakdownCsv, csvField, marginPercent, microToDecimal, periodsCsv } from '../../../shared/report-csv';
import { presetRange, rangeProblem } from '../../../renderer/features/reports/range';

const figures = (revenue: number, cost: number, extra: Partial<PnlFigures> = {}): PnlFigures => ({
  revenueMicro: revenue,
  packageRevenueMicro: 0,
  usageRevenueMicro: revenue,
  upstreamCostMicro: cost,
  profitMicro: revenue - cost,
  requests: 1,
  sales: 0,
  ...extra,
});

describe('CSV export', () => {
  it('writes µUSD as decimal USD with six decimals, exactly, for any size and sign', () => {
    expect(microToDecimal(0)).toBe('0.000000');
    expect(microToDecimal(1)).toBe('0.000001');
    expect(microToDecimal(1_250_000)).toBe('1.250000');
    expect(microToDecimal(-500_000)).toBe('-0.500000');
    expect(microToDecimal(9_007_199_254_740_991)).toBe('9007199254.740991');
    expect(microToDecimal(123_456_789_012_345_678n)).toBe('123456789012.345678');
  });

  it('gives margin as profit ÷ revenue to a tenth of a percent, blank without revenue', () => {
    expect(marginPercent(350_000, 1_000_000)).toBe('35.0');
    expect(marginPercent(1, 3)).toBe('33.3');
    expect(marginPercent(2, 3)).toBe('66.7');
    expect(marginPercent(-125_000, 1_000_000)).toBe('-12.5');
    expect(marginPercent(-200_000, 0)).toBe('');
  });

  it('quotes fields per RFC 4180 and ends records with CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Smith, John')).toBe('"Smith, John"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const rows: PnlBreakdownRow[] = [{ key: 'cus_1', label: 'Acme, "Inc"', ...figures(1_500_000, 1_000_000) }];
    expect(breakdownCsv('customer_id', rows, figures(1_500_000, 1_000_000))).toBe(
      'customer_id,label,revenue_usd,package_revenue_usd,usage_revenue_usd,upstream_cost_usd,profit_usd,margin_percent,requests,package_sales\r\n' +
        'cus_1,"Acme, ""Inc""",1.500000,0.000000,1.500000,1.000000,0.500000,33.3,1,0\r\n' +
        'total,,1.500000,0.000000,1.500000,1.000000,0.500000,33.3,1,0\r\n',
    );
  });

  it('lists every period with its UTC days and a total line', () => {
    const csv = periodsCsv([{ key: '2026-W09', from: '2026-02-27', to: '2026-03-01', ...figures(2_000_000, 500_000) }], figures(2_000_000, 500_000), '2026-02-27', '2026-03-01');
    expect(csv.split('\r\n')).toEqual([
      'period,from_utc,to_utc,revenue_usd,package_revenue_usd,usage_revenue_usd,upstream_cost_usd,profit_usd,margin_percent,requests,package_sales',
      '2026-W09,2026-02-27,2026-03-01,2.000000,0.000000,2.000000,0.500000,1.500000,75.0,1,0',
      'total,2026-02-27,2026-03-01,2.000000,0.000000,2.000000,0.500000,1.500000,75.0,1,0',
      '',
    ]);
  });
});

describe('report ranges', () => {
  it('makes presets of UTC days and refuses ranges the host would refuse', () => {
    const now = Date.parse('2026-03-01T00:30:00Z');
    expect(presetRange('7d', now)).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(presetRange('month', now)).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(presetRange('prev-month', now)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetRange('12m', now)).toEqual({ from: '2025-04-01', to: '2026-03-01' });
    expect(rangeProblem({ from: '2026-03-02', to: '2026-03-01' })).toMatch(/before/);
    expect(rangeProblem({ from: '2025-01-01', to: '2026-02-05' })).toMatch(/400 days/);
    expect(rangeProblem({ from: '2025-01-01', to: '2026-02-04' })).toBeNull();
  });
});

describe('Overview live refresh', () => {
  it('re-reads once for a burst, at most once per interval, once more after the last event, and ignores other streams', async () => {
    const { clock, advanceAsync: advance } = fakeClock();
    let listener: (b: EventBatch) => void = () => undefined;
    const reads: number[] = [];
    const live = createLiveRefresh({
      subscribe: (l) => ((listener = l), () => undefined),
      refresh: async () => void reads.push(clock.now()),
      intervalMs: 2_000,
      settleMs: 2_500,
      clock,
    });
    const proxy = { stream: 'proxy.request', events: [{}] } as unknown as EventBatch;
    listener({ stream: 'log', events: [{}] } as unknown as EventBatch);
    expect(reads).toEqual([]);
    // Ten batches a second for five seconds (the last at 4.9 s).
    for (let i = 0; i < 50; i++) {
      listener(proxy);
      await advance(100);
    }
    // A read at once, then at most one per 2 s while events flow.
    expect(reads).toEqual([0, 2_000, 4_000]);
    await advance(10_000);
    // The throttle's trailing read (6 s) picks up the last batch; one more read after the stream
    // has been quiet for 2.5 s (records written a moment after their events); then nothing.
    expect(reads).toEqual([0, 2_000, 4_000, 6_000, 8_000]);
    listener({ stream: 'invoice.changed', events: [{}] } as unknown as EventBatch);
    await advance(0);
    expect(reads).toHaveLength(6);
    live.dispose();
    listener(proxy);
    await advance(10_000);
    expect(reads).toHaveLength(6);
  });
});
