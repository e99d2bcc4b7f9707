/**
 * The fake bridge's proxy traffic (fake-bridge.ts): a deterministic request generator, 80
 * requests of history, per-model totals, and the live per-second tallies `proxy.stats` answers
 * from. Like installFakeBridge it runs in the page (Playwright serialises it), so it is
 * self-contained: installFakeProxyTraffic puts the factory on `globalThis.__arbdeskFakeTraffic`,
 * and installFakeBridge, added after it, calls it.
 */
import type { ModelUsage, ProxyRequestEvent, ProxyStats } from '../../../services/contract';

export interface FakeTraffic {
  /** Requests before the page opened, newest first (as usage.list answers). */
  history: ProxyRequestEvent[];
  /** Requests emitted live, oldest first (the last few hundred). */
  liveLog: ProxyRequestEvent[];
  byModel(): ModelUsage[];
  /** Totals per model of these requests, in the order the models first appear. */
  usageByModel(events: readonly ProxyRequestEvent[]): ModelUsage[];
  record(e: ProxyRequestEvent): void;
  proxyStats(): ProxyStats;
  makeRequest(atMs: number): ProxyRequestEvent;
  emitted(): number;
}

export type FakeTrafficFactory = (now: number, knownCustomerIds: string[], empty: boolean) => FakeTraffic;

export function installFakeProxyTraffic(): void {
  const factory: FakeTrafficFactory = (now, knownCustomerIds, empty) => {
    let seed = 42;
    const random = () => {
      // mulberry32: the same "random" traffic every run, so screenshots are comparable.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    // A customer added after customers.list was read: the screen shows their id until it re-reads.
    const customerIds = [...knownCustomerIds, 'cus_newbie05'];
    const customerWeights = [0.35, 0.25, 0.25, 0.1, 0.05];
    // µUSD per 1,000 tokens (prompt, completion), upstream price; the shop sells at +35 %.
    const models: [string, number, number][] = [
      ['openai/gpt-4o-mini', 150, 600],
      ['anthropic/claude-3.5-sonnet', 3_000, 15_000],
      ['meta-llama/llama-3.1-70b-instruct', 520, 750],
      ['google/gemini-flash-1.5', 75, 300],
    ];
    const pick = <T,>(items: readonly T[], weights?: readonly number[]): T => {
      let r = random();
      if (weights) {
        for (let i = 0; i < items.length; i++) {
          r -= weights[i]!;
          if (r <= 0) return items[i]!;
        }
        return items[items.length - 1]!;
      }
      return items[Math.floor(r * items.length)]!;
    };
    let requestSeq = 0;
    const makeRequest = (atMs: number): ProxyRequestEvent => {
      requestSeq += 1;
      const customerId = pick(customerIds, customerWeights);
      const [model, promptPrice, completionPrice] = pick(models);
      const r = random();
      const outcome = r < 0.02 ? 'upstream_error' : r < 0.03 ? 'client_aborted' : r < 0.034 ? 'timeout' : 'ok';
      const status = outcome === 'ok' ? 200 : outcome === 'upstream_error' ? 502 : outcome === 'timeout' ? 504 : 499;
      const promptTokens = 40 + Math.floor(random() * 1800);
      const completionTokens = outcome === 'upstream_error' ? 0 : 5 + Math.floor(random() * 700);
      const upstreamCostMicro = outcome === 'upstream_error' ? 0 : Math.ceil((promptTokens * promptPrice + completionTokens * completionPrice) / 1000);
      const chargedMicro = Math.ceil((upstreamCostMicro * 135) / 100);
      const slow = random() < 0.02;
      const latencyMs = Math.round((slow ? 2500 : 120) + random() * (slow ? 4000 : 700) * random());
      return {
        requestId: `req_${requestSeq.toString(36).padStart(8, '0')}`,
        at: new Date(atMs).toISOString(),
        keyId: `key_${customerId.slice(4, 10)}k1`,
        customerId,
        model,
        stream: random() < 0.6,
        status,
        outcome,
        latencyMs,
        promptTokens,
        completionTokens,
        chargedMicro,
        upstreamCostMicro,
        profitMicro: chargedMicro - upstreamCostMicro,
        allowanceTokens: 0,
      };
    };
    const history: ProxyRequestEvent[] = [];
    if (!empty) {
      for (let i = 0; i < 80; i++) history.push(makeRequest(now - 30 * 60_000 + i * 20_000));
      history.reverse(); // newest first, as usage.list answers
    }
    /** Totals per model of these requests, in the order the models first appear. */
    const usageByModel = (events: readonly ProxyRequestEvent[]): ModelUsage[] => {
      const totals = new Map<string, ModelUsage>();
      for (const e of events) {
        const t = totals.get(e.model) ?? { model: e.model, requests: 0, promptTokens: 0, completionTokens: 0, chargeMicro: 0, upstreamCostMicro: 0, profitMicro: 0 };
        t.requests += 1;
        t.promptTokens += e.promptTokens;
        t.completionTokens += e.completionTokens;
        t.chargeMicro += e.chargedMicro;
        t.upstreamCostMicro += e.upstreamCostMicro;
        t.profitMicro += e.profitMicro;
        totals.set(e.model, t);
      }
      return [...totals.values()];
    };
    const byModel = (): ModelUsage[] => usageByModel([...history, ...liveLog]).sort((a, b) => b.chargeMicro - a.chargeMicro);
    /** Per-second tallies of what was emitted (for proxy.stats) and the last few hundred requests (for usage.list). */
    const perSecond = new Map<number, { n: number; errors: Record<string, number>; charged: number; cost: number; latencies: number[] }>();
    const liveLog: ProxyRequestEvent[] = [];
    let emitted = 0;
    const record = (e: ProxyRequestEvent) => {
      emitted += 1;
      liveLog.push(e);
      if (liveLog.length > 1000) liveLog.splice(0, liveLog.length - 500);
      const sec = Math.floor(Date.parse(e.at) / 1000);
      let t = perSecond.get(sec);
      if (!t) {
        t = { n: 0, errors: {}, charged: 0, cost: 0, latencies: [] };
        perSecond.set(sec, t);
      }
      t.n += 1;
      if (e.outcome !== 'ok') t.errors[e.outcome] = (t.errors[e.outcome] ?? 0) + 1;
      t.charged += e.chargedMicro;
      t.cost += e.upstreamCostMicro;
      if (t.latencies.length < 50) t.latencies.push(e.latencyMs);
    };
    const proxyStats = () => {
      const nowSec = Math.floor(Date.now() / 1000);
      let n = 0;
      let charged = 0;
      let cost = 0;
      const errors: Record<string, number> = {};
      const latencies: number[] = [];
      for (const [sec, t] of perSecond) {
        if (sec <= nowSec - 60) {
          perSecond.delete(sec);
          continue;
        }
        n += t.n;
        charged += t.charged;
        cost += t.cost;
        for (const [k, v] of Object.entries(t.errors)) errors[k] = (errors[k] ?? 0) + v;
        latencies.push(...t.latencies);
      }
      // The host also counts rejections that never become proxy.request events.
      if (n > 0) {
        errors.rate_limited = (errors.rate_limited ?? 0) + Math.round(n * 0.004);
        errors.insufficient_balance = (errors.insufficient_balance ?? 0) + Math.round(n * 0.001);
        errors.auth = (errors.auth ?? 0) + 1;
      }
      const rejected = n > 0 ? Math.round(n * 0.005) + 1 : 0;
      latencies.sort((a, b) => a - b);
      const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]! : null);
      return {
        windowSeconds: 60,
        requestsPerSecond: Math.round(((n + rejected) / 60) * 100) / 100,
        p50Ms: pct(50),
        p99Ms: pct(99),
        requests: n + rejected,
        errors,
        chargedMicro: charged,
        upstreamCostMicro: cost,
        profitMicro: charged - cost,
      };
    };
    return { history, liveLog, byModel, usageByModel, record, proxyStats, makeRequest, emitted: () => emitted };
  };
  (globalThis as unknown as { __arbdeskFakeTraffic: FakeTrafficFactory }).__arbdeskFakeTraffic = factory;
}
