import { describe, expect, it } from 'vitest';
import { paired, type RoundSummary, type RunRecord } from '../../bench/proxy/report.js';

/** A measurement with only what paired() reads: its rounds and the medians. */
function measured(throughputs: number[]): RunRecord {
  const rounds: RoundSummary[] = throughputs.map((t) => ({ throughput: t, p50: 1000 / t, p99: 4000 / t, held: null, errors: 0, otherCores: 0 }));
  const sorted = [...throughputs].sort((a, b) => a - b);
  return { throughput: sorted[sorted.length >> 1]!, latency: { p50: 0, p99: 0 }, rounds } as unknown as RunRecord;
}

describe('paired rounds (bench report: ArbDesk against the bare pass-through)', () => {
  it('compares each round of ArbDesk with the same round of the bare pass-through, whatever the machine\'s speed that round', () => {
    // The machine's speed drifts from round to round; ArbDesk holds 85 % of bare in every round.
    const speed = [1, 0.8, 0.65, 0.9, 0.7];
    const bare = measured(speed.map((s) => 15_000 * s));
    const arbdesk = measured(speed.map((s) => 12_750 * s));
    const r = paired(arbdesk, bare, (a, b) => a.throughput / b.throughput);
    expect(r.values).toHaveLength(5);
    expect(r.median).toBeCloseTo(0.85, 6);
    expect(r.text((v) => `${Math.round(v * 100)} %`)).toBe(' (median of 5 paired rounds: 85 %, 85 %, 85 %, 85 %, 85 %)');
  });

  it('is not moved by one disturbed round', () => {
    const bare = measured([15_000, 15_000, 15_000, 15_000, 15_000]);
    const arbdesk = measured([12_000, 6_000, 12_300, 12_600, 11_700]); // round 2: something else ran
    expect(paired(arbdesk, bare, (a, b) => a.throughput / b.throughput).median).toBeCloseTo(0.8, 6);
  });

  it('falls back to the medians when there is one round or the rounds do not pair up', () => {
    const one = paired(measured([9_000]), measured([10_000]), (a, b) => a.throughput / b.throughput);
    expect(one.median).toBeCloseTo(0.9, 6);
    expect(one.text(String)).toBe('');
    const uneven = paired(measured([8_000, 9_000, 10_000]), measured([10_000, 10_000]), (a, b) => a.throughput / b.throughput);
    expect(uneven.median).toBeCloseTo(0.9, 6);
  });
});
