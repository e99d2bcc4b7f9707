/** Latency summaries and small number helpers shared by the load generator and the report. */
import type { LatencySummary } from './protocol.js';

/** Nearest-rank percentiles of the first `count` samples (sorted in place). */
export function summarize(samples: Float64Array, count: number): LatencySummary {
  if (count === 0) return { count: 0, mean: NaN, p50: NaN, p90: NaN, p99: NaN, p999: NaN, max: NaN };
  const sorted = samples.subarray(0, count).sort();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i]!;
  const at = (p: number) => sorted[Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1))]!;
  return { count, mean: sum / count, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: sorted[count - 1]! };
}

/** A growable Float64Array with a hard cap (samples past it are dropped, never grown without bound). */
export class SampleBuffer {
  private data: Float64Array;
  length = 0;
  dropped = 0;
  constructor(initial: number, private readonly cap: number) {
    this.data = new Float64Array(Math.max(16, Math.min(initial, cap)));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      if (this.data.length >= this.cap) {
        this.dropped++;
        return;
      }
      const next = new Float64Array(Math.min(this.cap, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  summary(): LatencySummary {
    return summarize(Float64Array.from(this.data.subarray(0, this.length)), this.length);
  }
  values(): number[] {
    return Array.from(this.data.subarray(0, this.length), (v) => Math.round(v * 1000) / 1000);
  }
}

export const round = (n: number, digits = 2): number => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);
