import { describe, expect, it } from 'vitest';
import type { ProxyRequestEvent, ProxyStats } from '../../../services/contract';
import { applyProxyEvents, applyProxyStats, initialProxy, type ProxyData } from '../../../renderer/store/proxy';
import { liveRate, secondSeries, windowFigures } from '../../../renderer/store/proxy-figures';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const S0 = T0 / 1000;
let n = 0;

function ev(atMs: number, overrides: Partial<ProxyRequestEvent> = {}): ProxyRequestEvent {
  n += 1;
  return {
    requestId: `req_${n}`,
    at: new Date(atMs).toISOString(),
    keyId: 'key_abcd',
    customerId: 'cus_alice',
    model: 'm',
    stream: false,
    status: 200,
    outcome: 'ok',
    latencyMs: 100,
    promptTokens: 1,
    completionTokens: 1,
    chargedMicro: 1_000,
    upstreamCostMicro: 700,
    profitMicro: 300,
    allowanceTokens: 0,
    ...overrides,
  };
}

/** `perSecond` events in each second [fromSec, toSec) relative to T0, applied as they would arrive. */
function flood(state: ProxyData, fromSec: number, toSec: number, perSecond: number, overrides: Partial<ProxyRequestEvent> = {}): ProxyData {
  for (let s = fromSec; s < toSec; s++) {
    for (let tick = 0; tick < 10; tick++) {
      const events = Array.from({ length: perSecond / 10 }, (_, i) => ev(T0 + s * 1000 + tick * 100 + i, overrides));
      state = applyProxyEvents(state, events, T0 + s * 1000 + tick * 100 + 100);
    }
  }
  return state;
}

const hostStats = (o: Partial<ProxyStats> = {}): ProxyStats => ({
  windowSeconds: 60,
  requestsPerSecond: 10,
  p50Ms: 80,
  p99Ms: 800,
  requests: 600,
  errors: { rate_limited: 5, auth: 1 },
  chargedMicro: 600_000,
  upstreamCostMicro: 420_000,
  profitMicro: 180_000,
  ...o,
});

describe('live requests per second', () => {
  it('reads a steady 1,000/s flood as about 1,000/s', () => {
    const state = flood(initialProxy(T0 - 60_000), 0, 10, 1000);
    const rate = liveRate(state, T0 + 10_000);
    expect(rate).toBeGreaterThan(950);
    expect(rate).toBeLessThan(1050);
  });

  it('falls to 0 when traffic stops', () => {
    const state = flood(initialProxy(T0 - 60_000), 0, 3, 100);
    expect(liveRate(state, T0 + 3_000)).toBeGreaterThan(0);
    expect(liveRate(state, T0 + 9_000)).toBe(0);
  });

  it('does not inflate the rate right after the renderer started listening', () => {
    const state = flood(initialProxy(T0), 0, 2, 100);
    const rate = liveRate(state, T0 + 2_000);
    expect(rate).toBeGreaterThan(90);
    expect(rate).toBeLessThan(115);
  });
});

describe('last-minute figures', () => {
  it('without a host answer: live events only', () => {
    const state = flood(initialProxy(T0 - 120_000), 0, 5, 10, { latencyMs: 45 });
    const w = windowFigures(state, T0 + 5_000);
    expect(w).toMatchObject({ basis: 'live', requests: 50, errors: 0, chargedMicro: 50_000, upstreamCostMicro: 35_000, profitMicro: 15_000, p50Ms: 45 });
    expect(w.errorRate).toBe(0);
  });

  it('host answer plus live events since, minus live seconds that slid out of the window', () => {
    // Listening for a long time: live events in seconds -70 … -1, then the host answers at 0.
    let state = flood(initialProxy(T0 - 300_000), -70, 0, 10);
    state = applyProxyStats(state, hostStats(), T0);
    expect(windowFigures(state, T0)).toMatchObject({ basis: 'host', requests: 600, errors: 6, errorKinds: { rate_limited: 5, auth: 1 }, chargedMicro: 600_000, profitMicro: 180_000 });

    // 3 s later: 30 new live requests (one failed upstream); seconds -59 … -57 (30 requests) slid out.
    state = flood(state, 0, 3, 10);
    state = applyProxyEvents(state, [ev(T0 + 2_950, { outcome: 'upstream_error', chargedMicro: 0, upstreamCostMicro: 0, profitMicro: 0 })], T0 + 2_990);
    const w = windowFigures(state, T0 + 3_000);
    expect(w.basis).toBe('host');
    expect(w.requests).toBe(600 + 31 - 30);
    expect(w.errorKinds).toEqual({ rate_limited: 5, auth: 1, upstream_error: 1 });
    expect(w.chargedMicro).toBe(600_000 + 30_000 - 30_000);
    expect(w.profitMicro).toBe(180_000 + 9_000 - 9_000);
    expect(w.requestsPerSecond).toBeCloseTo(601 / 60);
  });

  it('percentiles come from the host until the renderer has listened for a whole window', () => {
    let state = flood(initialProxy(T0 - 10_000), -5, 0, 10, { latencyMs: 40 });
    state = applyProxyStats(state, hostStats(), T0);
    expect(windowFigures(state, T0)).toMatchObject({ p50Ms: 80, p99Ms: 800 });
    const longer = { ...state, listeningSince: T0 - 120_000 };
    expect(windowFigures(longer, T0)).toMatchObject({ p50Ms: 40, p99Ms: 40 });
  });

  it('an answer older than the window is ignored', () => {
    let state = applyProxyStats(initialProxy(T0 - 120_000), hostStats(), T0 - 61_000);
    state = flood(state, -1, 0, 10);
    expect(windowFigures(state, T0)).toMatchObject({ basis: 'live', requests: 10 });
  });
});

describe('chart series', () => {
  it('one point per complete second, unknown before listening started, p99 per second', () => {
    let state = flood(initialProxy(T0 - 2_000), -2, 0, 10, { latencyMs: 30 });
    state = applyProxyEvents(state, [ev(T0 - 500, { latencyMs: 900 })], T0 - 100);
    const points = secondSeries(state, T0 + 300, 5);
    expect(points.map((p) => p.sec - S0)).toEqual([-5, -4, -3, -2, -1]);
    expect(points.map((p) => p.requests)).toEqual([null, null, null, 10, 11]);
    expect(points[3]!.p99Ms).toBe(30);
    expect(points[4]!.p99Ms).toBeGreaterThan(870);
    // The current second is not drawn until its last batch can have arrived.
    expect(secondSeries(state, T0 + 100, 5).at(-1)!.sec).toBe(S0 - 2);
  });
});
