/**
 * Live proxy figures over the last minute, in memory: requests per second, latency
 * percentiles, errors by kind, money. Fed by every response (rejections included), read by
 * proxy.stats. Bounded: at most `maxSamples` latencies are kept.
 */
import type { ProxyStats } from '../contract.js';

/**
 * Responses of requests that reached the meter: their outcome is recorded when they settle
 * (with money), so the server's catch-all for rejected requests must not count them again.
 */
export const meteredResponses = new WeakSet<object>();

interface Sample {
  at: number;
  latencyMs: number;
  kind: string;
  charged: number;
  cost: number;
}

export class ProxyStatsWindow {
  private samples: Sample[] = [];
  constructor(
    private readonly windowMs = 60_000,
    private readonly maxSamples = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(kind: string, latencyMs: number, chargedMicro = 0, upstreamCostMicro = 0): void {
    this.samples.push({ at: this.now(), latencyMs, kind, charged: chargedMicro, cost: upstreamCostMicro });
    if (this.samples.length > this.maxSamples * 1.25) this.samples = this.samples.slice(-this.maxSamples);
  }

  snapshot(): ProxyStats {
    const cutoff = this.now() - this.windowMs;
    this.samples = this.samples.filter((s) => s.at >= cutoff);
    const latencies = this.samples.map((s) => s.latencyMs).sort((a, b) => a - b);
    const errors: Record<string, number> = {};
    let charged = 0;
    let cost = 0;
    for (const s of this.samples) {
      if (s.kind !== 'ok') errors[s.kind] = (errors[s.kind] ?? 0) + 1;
      charged += s.charged;
      cost += s.cost;
    }
    const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]! : null);
    return {
      windowSeconds: this.windowMs / 1000,
      requestsPerSecond: Math.round((this.samples.length / (this.windowMs / 1000)) * 100) / 100,
      p50Ms: pct(50),
      p99Ms: pct(99),
      requests: this.samples.length,
      errors,
      chargedMicro: charged,
      upstreamCostMicro: cost,
      profitMicro: charged - cost,
    };
  }
}
