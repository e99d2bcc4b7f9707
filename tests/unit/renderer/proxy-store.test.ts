import { describe, expect, it } from 'vitest';
import type { ProxyRequestEvent, ProxyStats, RequestView } from '../../../services/contract';
import type { Api } from '../../../renderer/api/types';
import { createAppStore, reduceBatch, initialData } from '../../../renderer/store/appStore';
import { startSync } from '../../../renderer/store/sync';
import {
  applyProxyEvents,
  applyProxyStats,
  clockSkew,
  initialProxy,
  mergeRecent,
  RECENT_CAPACITY,
  requestFromView,
  seedProxyRequests,
  SERIES_SECONDS,
} from '../../../renderer/store/proxy';
import { binValue, emptyHistogram, histogramPercentile, latencyBin } from '../../../renderer/store/proxy-latency';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0); // a whole second

let counter = 0;
function ev(overrides: Partial<ProxyRequestEvent> & { atMs?: number } = {}): ProxyRequestEvent {
  const { atMs, ...rest } = overrides;
  counter += 1;
  return {
    requestId: `req_${counter}`,
    at: new Date(atMs ?? T0).toISOString(),
    keyId: 'key_abcd',
    customerId: 'cus_alice',
    model: 'openai/gpt-4o-mini',
    stream: false,
    status: 200,
    outcome: 'ok',
    latencyMs: 120,
    promptTokens: 10,
    completionTokens: 20,
    chargedMicro: 1_350,
    upstreamCostMicro: 1_000,
    profitMicro: 350,
    allowanceTokens: 0,
    ...rest,
  };
}

function stats(overrides: Partial<ProxyStats> = {}): ProxyStats {
  return {
    windowSeconds: 60,
    requestsPerSecond: 1,
    p50Ms: 100,
    p99Ms: 900,
    requests: 60,
    errors: { rate_limited: 2 },
    chargedMicro: 60_000,
    upstreamCostMicro: 40_000,
    profitMicro: 20_000,
    ...overrides,
  };
}

describe('proxy slice: one batch, one update', () => {
  it('applies a batch of hundreds of events in a single store notification', () => {
    const store = createAppStore({ transport: 'ipc', now: () => T0 + 500 });
    let updates = 0;
    store.subscribe(() => (updates += 1));
    const events = Array.from({ length: 300 }, (_, i) => ev({ atMs: T0 + i }));
    store.getState().applyBatch({ stream: 'proxy.request', events });
    expect(updates).toBe(1);
    const proxy = store.getState().proxy;
    expect(proxy.recent).toHaveLength(300);
    expect(proxy.liveEvents).toBe(300);
    expect(proxy.buckets).toHaveLength(1);
    expect(proxy.buckets[0]!.requests).toBe(300);
  });

  it('a batch of duplicates changes nothing and notifies nobody', () => {
    const store = createAppStore({ transport: 'ipc', now: () => T0 + 500 });
    const events = [ev(), ev()];
    store.getState().applyBatch({ stream: 'proxy.request', events });
    const before = store.getState().proxy;
    let updates = 0;
    store.subscribe(() => (updates += 1));
    store.getState().applyBatch({ stream: 'proxy.request', events });
    expect(updates).toBe(0);
    expect(store.getState().proxy).toBe(before);
  });

  it('drops malformed events instead of summing them', () => {
    const good = ev();
    const bad = [{}, null, { ...ev(), requestId: '' }, { ...ev(), chargedMicro: Number.NaN }, { ...ev(), at: 5 }] as unknown as ProxyRequestEvent[];
    const state = applyProxyEvents(initialProxy(T0), [...bad, good], T0 + 10);
    expect(state.recent).toEqual([good]);
    expect(state.sinceStats.chargedMicro).toBe(good.chargedMicro);
    const untouched = initialProxy(T0);
    expect(applyProxyEvents(untouched, bad, T0 + 10)).toBe(untouched);
  });

  it('startSync delivers proxy.request batches from the transport to the slice', () => {
    let deliver: ((batch: import('../../../services/contract').EventBatch) => void) | undefined;
    const api: Api = {
      transport: 'ipc',
      invoke: (async () => ({ ok: false, error: { code: 'host_unavailable', message: 'not in this test' } })) as Api['invoke'],
      subscribe: (listener) => {
        deliver = listener;
        return () => undefined;
      },
      onLink: () => () => undefined,
      onUnauthorized: () => () => undefined,
    };
    const store = createAppStore({ transport: 'ipc', now: () => T0 + 100 });
    const sync = startSync(api, store);
    deliver!({ stream: 'proxy.request', events: [ev({ requestId: 'req_live' })] });
    expect(store.getState().proxy.recent.map((e) => e.requestId)).toEqual(['req_live']);
    sync.stop();
  });

  it('reduceBatch routes proxy.request to the proxy slice only', () => {
    const state = initialData('ipc', T0);
    const change = reduceBatch(state, { stream: 'proxy.request', events: [ev()] }, 1000, T0 + 10);
    expect(Object.keys(change)).toEqual(['proxy']);
    expect(change.proxy?.recent).toHaveLength(1);
  });
});

describe('recent requests (ring buffer)', () => {
  it('keeps the newest RECENT_CAPACITY, newest first', () => {
    let state = initialProxy(T0);
    for (let batch = 0; batch < 4; batch++) {
      const events = Array.from({ length: 200 }, (_, i) => ev({ atMs: T0 + batch * 200 + i, requestId: `r${batch * 200 + i}` }));
      state = applyProxyEvents(state, events, T0 + 1000);
    }
    expect(state.recent).toHaveLength(RECENT_CAPACITY);
    expect(state.recent[0]!.requestId).toBe('r799');
    expect(state.recent[RECENT_CAPACITY - 1]!.requestId).toBe('r300');
    // …but every live event counted, including those that no longer fit.
    expect(state.liveEvents).toBe(800);
    expect(state.buckets.reduce((n, b) => n + b.requests, 0)).toBe(800);
  });

  it('de-duplicates by requestId within a batch and against what is kept', () => {
    const a = ev({ requestId: 'req_a' });
    const b = ev({ requestId: 'req_b', atMs: T0 + 5 });
    let state = applyProxyEvents(initialProxy(T0), [a, a, b], T0 + 100);
    expect(state.recent.map((e) => e.requestId)).toEqual(['req_b', 'req_a']);
    state = applyProxyEvents(state, [b, ev({ requestId: 'req_c', atMs: T0 + 9 })], T0 + 200);
    expect(state.recent.map((e) => e.requestId)).toEqual(['req_c', 'req_b', 'req_a']);
    expect(state.liveEvents).toBe(3);
    expect(state.buckets[0]!.requests).toBe(3);
  });

  it('orders out-of-order events by time', () => {
    const { recent } = mergeRecent(
      [ev({ requestId: 'mid', atMs: T0 + 50 })],
      [ev({ requestId: 'late', atMs: T0 + 90 }), ev({ requestId: 'early', atMs: T0 + 10 }), ev({ requestId: 'later', atMs: T0 + 95 })],
    );
    expect(recent.map((e) => e.requestId)).toEqual(['later', 'late', 'mid', 'early']);
  });

  it('returns the same list when everything new is older than what fits', () => {
    const full = Array.from({ length: 3 }, (_, i) => ev({ requestId: `n${i}`, atMs: T0 + 100 - i }));
    const { recent, fresh } = mergeRecent(full, [ev({ requestId: 'old', atMs: T0 - 1000 })], 3);
    expect(recent).toBe(full);
    expect(fresh.map((e) => e.requestId)).toEqual(['old']);
  });

  it('seeds history from usage.list without counting it as live traffic, and live events overlap it once', () => {
    const view = {
      id: 'req_hist',
      at: new Date(T0 - 60_000).toISOString(),
      keyId: 'key_abcd',
      customerId: 'cus_bob',
      model: 'm',
      stream: true,
      status: 200,
      outcome: 'ok',
      promptTokens: 1,
      completionTokens: 2,
      upstreamCostMicro: 10,
      chargeMicro: 15,
      profitMicro: 5,
      latencyMs: 33,
      allowanceTokens: 0,
    } as RequestView;
    let state = seedProxyRequests(initialProxy(T0), [view]);
    expect(state.recent).toEqual([requestFromView(view)]);
    expect(state.recent[0]!.chargedMicro).toBe(15);
    expect(state.buckets).toEqual([]);
    expect(state.liveEvents).toBe(0);
    // Seeding again is a no-op (same object).
    expect(seedProxyRequests(state, [view])).toBe(state);
    // The live event for a seeded request is not added twice.
    state = applyProxyEvents(state, [requestFromView(view)], T0);
    expect(state.recent).toHaveLength(1);
  });
});

describe('per-second buckets', () => {
  it('counts requests, errors by outcome, money and latency per second', () => {
    const events = [
      ev({ atMs: T0 + 100, latencyMs: 50 }),
      ev({ atMs: T0 + 900, latencyMs: 70, outcome: 'upstream_error', status: 502, chargedMicro: 0, upstreamCostMicro: 0, profitMicro: 0 }),
      ev({ atMs: T0 + 1_100, latencyMs: 10, outcome: 'client_aborted', status: 499 }),
    ];
    const state = applyProxyEvents(initialProxy(T0), events, T0 + 1_200);
    expect(state.buckets.map((b) => b.sec)).toEqual([T0 / 1000, T0 / 1000 + 1]);
    const [first, second] = state.buckets;
    expect(first).toMatchObject({ requests: 2, errors: 1, errorKinds: { upstream_error: 1 }, chargedMicro: 1_350, upstreamCostMicro: 1_000, profitMicro: 350 });
    expect(histogramPercentile(first!.latency, 50)).toBe(50);
    expect(histogramPercentile(first!.latency, 99)).toBe(70);
    expect(second).toMatchObject({ requests: 1, errors: 1, errorKinds: { client_aborted: 1 } });
  });

  it('adds to the current second without mutating the stored bucket', () => {
    const s1 = applyProxyEvents(initialProxy(T0), [ev({ atMs: T0 + 10 })], T0 + 100);
    const bucket = s1.buckets[0]!;
    const latencyBefore = bucket.latency.slice();
    const s2 = applyProxyEvents(s1, [ev({ atMs: T0 + 20, outcome: 'timeout' })], T0 + 200);
    expect(s2.buckets[0]!.requests).toBe(2);
    expect(bucket.requests).toBe(1);
    expect(bucket.errorKinds).toEqual({});
    expect(bucket.latency).toEqual(latencyBefore);
  });

  it('keeps only the last SERIES_SECONDS seconds and drops events older than that', () => {
    let state = applyProxyEvents(initialProxy(T0), [ev({ atMs: T0 })], T0 + 10);
    const later = T0 + SERIES_SECONDS * 1000;
    state = applyProxyEvents(state, [ev({ atMs: later - 500 }), ev({ atMs: later - SERIES_SECONDS * 1000 - 1 })], later);
    expect(state.buckets.map((b) => b.sec)).toEqual([later / 1000 - 1]);
    // The too-old event still counts since the last stats answer.
    expect(state.sinceStats.requests).toBe(3);
  });

  it('places a batch from a host whose clock is off at our now', () => {
    const hostClockBehind = [ev({ atMs: T0 - 30_000 }), ev({ atMs: T0 - 30_500 })];
    expect(clockSkew(hostClockBehind, T0 + 50)).toBe(30_050);
    const state = applyProxyEvents(initialProxy(T0 - 60_000), hostClockBehind, T0 + 50);
    expect(state.buckets.map((b) => [b.sec - T0 / 1000, b.requests])).toEqual([
      [-1, 1],
      [0, 1],
    ]);
    // Clocks in step (a batch arrives ~100 ms after its newest event): no shift.
    expect(clockSkew([ev({ atMs: T0 })], T0 + 150)).toBe(0);
  });
});

describe('stats snapshot', () => {
  it('resets the since-stats tally when an answer arrives', () => {
    let state = applyProxyEvents(initialProxy(T0), [ev(), ev({ outcome: 'upstream_error' })], T0 + 100);
    expect(state.sinceStats).toMatchObject({ requests: 2, errors: 1, errorKinds: { upstream_error: 1 }, chargedMicro: 2_700 });
    state = applyProxyStats(state, stats(), T0 + 200);
    expect(state.stats).toEqual({ value: stats(), receivedAt: T0 + 200 });
    expect(state.sinceStats.requests).toBe(0);
    state = applyProxyEvents(state, [ev({ atMs: T0 + 250 })], T0 + 300);
    expect(state.sinceStats.requests).toBe(1);
  });

  it('store actions apply stats and seed history', () => {
    const store = createAppStore({ transport: 'http', now: () => T0 });
    store.getState().applyProxyStats(stats(), T0 + 1);
    expect(store.getState().proxy.stats?.receivedAt).toBe(T0 + 1);
    let updates = 0;
    store.subscribe(() => (updates += 1));
    store.getState().seedProxyRequests([]);
    expect(updates).toBe(0);
  });
});

describe('latency histogram', () => {
  it('is exact below 100 ms and within 2.5 % above', () => {
    for (const ms of [0, 1, 42, 99]) expect(binValue(latencyBin(ms))).toBe(ms);
    for (const ms of [100, 137, 412, 999, 1_234, 8_000, 65_432, 119_999]) {
      const back = binValue(latencyBin(ms));
      expect(Math.abs(back - ms) / ms).toBeLessThanOrEqual(0.025);
    }
    expect(latencyBin(-5)).toBe(0);
    expect(latencyBin(Number.NaN)).toBe(0);
    expect(latencyBin(1e12)).toBe(emptyHistogram().length - 1);
  });

  it('percentiles use nearest rank, like the host', () => {
    const h = emptyHistogram();
    for (let ms = 1; ms <= 100; ms++) h[latencyBin(ms < 100 ? ms : 99)]! += 1; // 1..99, 99
    expect(histogramPercentile(h, 50)).toBe(50);
    expect(histogramPercentile(h, 99)).toBe(99);
    expect(histogramPercentile(emptyHistogram(), 50)).toBeNull();
  });
});
