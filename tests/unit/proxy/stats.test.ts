import { describe, expect, it } from 'vitest';
import { ProxyStatsWindow } from '../../../services/proxy/stats.js';

/** A seeded generator, so the sampled percentiles are the same on every run. */
function seeded(seed = 42): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('ProxyStatsWindow (the Proxy screen figures)', () => {
  it('gives exact percentiles, errors and money for a small sample', () => {
    let now = 1_000_000;
    const stats = new ProxyStatsWindow(60_000, 2_000, () => now);
    for (let i = 1; i <= 100; i++) stats.record(i % 10 === 0 ? 'upstream_error' : 'ok', i, 1_000, 400);
    stats.record('rate_limited', 0.5);
    now += 5_000;
    const s = stats.snapshot();
    expect(s.requests).toBe(101);
    expect(s.requestsPerSecond).toBeCloseTo(101 / 60, 2);
    expect(s.errors).toEqual({ upstream_error: 10, rate_limited: 1 });
    expect(s.chargedMicro).toBe(100_000);
    expect(s.upstreamCostMicro).toBe(40_000);
    expect(s.profitMicro).toBe(60_000);
    expect(s.p50Ms).toBe(50);
    expect(s.p99Ms).toBe(99);
  });

  it('counts every request at thousands per second (latencies sampled, still close)', () => {
    let now = 2_000_000;
    const stats = new ProxyStatsWindow(60_000, 500, () => now, seeded());
    // 8,000 requests per second for 10 s; latencies spread evenly over 0–10 ms each second.
    for (let second = 0; second < 10; second++) {
      for (let i = 0; i < 8_000; i++) {
        now = 2_000_000 + second * 1_000 + i / 8;
        stats.record('ok', (i % 1_000) / 100, 10, 4);
      }
    }
    const s = stats.snapshot();
    expect(s.requests).toBe(80_000);
    expect(s.requestsPerSecond).toBeCloseTo(80_000 / 60, 2);
    expect(s.chargedMicro).toBe(800_000);
    expect(s.p50Ms).toBeGreaterThan(4.5);
    expect(s.p50Ms).toBeLessThan(5.5);
    expect(s.p99Ms).toBeGreaterThan(9.7);
  });

  it('forgets what is older than the window', () => {
    let now = 3_000_000;
    const stats = new ProxyStatsWindow(60_000, 2_000, () => now);
    stats.record('ok', 100, 5, 1);
    now += 30_000;
    stats.record('ok', 1, 7, 2);
    expect(stats.snapshot()).toMatchObject({ requests: 2, chargedMicro: 12, p99Ms: 100 });
    now += 31_000;
    expect(stats.snapshot()).toMatchObject({ requests: 1, chargedMicro: 7, p50Ms: 1, p99Ms: 1 });
    now += 60_000;
    expect(stats.snapshot()).toMatchObject({ requests: 0, requestsPerSecond: 0, p50Ms: null, p99Ms: null, errors: {} });
  });
});
