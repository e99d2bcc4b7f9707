/**
 * Live proxy figures over the last minute, in memory: requests per second, latency
 * percentiles, errors by kind, money. Fed by every response (rejections included), read by
 * proxy.stats.
 *
 * One bucket per second (a ring of `windowMs / 1000`): counts and sums are exact at any rate;
 * latencies are kept whole up to `latencySamples` per second and sampled uniformly beyond
 * (reservoir), each sample then weighing for the requests it stands for. Recording costs no
 * allocation per request, and memory stays bounded at thousands of requests per second.
 */
import type { ProxyStats } from '../contract.js';

class Bucket {
  second = -1;
  count = 0;
  charged = 0;
  cost = 0;
  errors = new Map<string, number>();
  latencies: number[] = [];

  reset(second: number): void {
    this.second = second;
    this.count = this.charged = this.cost = 0;
    this.errors.clear();
    this.latencies.length = 0;
  }
}

export class ProxyStatsWindow {
  private readonly buckets: Bucket[];

  constructor(
    private readonly windowMs = 60_000,
    private readonly latencySamples = 500,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.buckets = Array.from({ length: Math.max(1, Math.round(windowMs / 1000)) }, () => new Bucket());
  }

  record(kind: string, latencyMs: number, chargedMicro = 0, upstreamCostMicro = 0): void {
    const second = Math.floor(this.now() / 1000);
    const bucket = this.buckets[second % this.buckets.length]!;
    if (bucket.second !== second) bucket.reset(second);
    bucket.count += 1;
    bucket.charged += chargedMicro;
    bucket.cost += upstreamCostMicro;
    if (kind !== 'ok') bucket.errors.set(kind, (bucket.errors.get(kind) ?? 0) + 1);
    if (bucket.latencies.length < this.latencySamples) bucket.latencies.push(latencyMs);
    else {
      // Reservoir sampling: every request of this second has had the same chance to be kept.
      const slot = Math.floor(this.random() * bucket.count);
      if (slot < this.latencySamples) bucket.latencies[slot] = latencyMs;
    }
  }

  snapshot(): ProxyStats {
    const newest = Math.floor(this.now() / 1000);
    const oldest = newest - this.buckets.length + 1;
    const errors: Record<string, number> = {};
    const samples: { latencyMs: number; weight: number }[] = [];
    let requests = 0;
    let charged = 0;
    let cost = 0;
    for (const b of this.buckets) {
      if (b.second < oldest || b.second > newest || b.count === 0) continue;
      requests += b.count;
      charged += b.charged;
      cost += b.cost;
      for (const [kind, n] of b.errors) errors[kind] = (errors[kind] ?? 0) + n;
      const weight = b.count / b.latencies.length;
      for (const latencyMs of b.latencies) samples.push({ latencyMs, weight });
    }
    samples.sort((a, b) => a.latencyMs - b.latencyMs);
    return {
      windowSeconds: this.windowMs / 1000,
      requestsPerSecond: Math.round((requests / (this.windowMs / 1000)) * 100) / 100,
      p50Ms: percentile(samples, requests, 50),
      p99Ms: percentile(samples, requests, 99),
      requests,
      errors,
      chargedMicro: charged,
      upstreamCostMicro: cost,
      profitMicro: charged - cost,
    };
  }
}

/** The latency at or below which p % of the requests fall (nearest rank, weighted by what each sample stands for). */
function percentile(sorted: readonly { latencyMs: number; weight: number }[], requests: number, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * requests);
  let seen = 0;
  for (const s of sorted) {
    seen += s.weight;
    // Weights are fractions when sampled: allow for rounding at the last sample.
    if (seen >= rank - 1e-9) return s.latencyMs;
  }
  return sorted[sorted.length - 1]!.latencyMs;
}
