/**
 * The live chart's geometry, as pure functions: per-second points in, SVG path strings and an
 * accessible summary out. LiveChart.tsx writes the result straight into the DOM.
 */
import type { SecondPoint } from '../../store/proxy-figures';
import { formatMs, formatRate } from './money';

export interface ChartModel {
  /** Filled area under requests/s (left scale). Empty when nothing is known yet. */
  rpsArea: string;
  /** The top edge of that area. */
  rpsLine: string;
  /** p99 latency (right scale); broken where a second had no requests. */
  p99Line: string;
  /** Values at the top of each scale. */
  rpsTop: number;
  p99Top: number;
  /** The last complete second. */
  latestRps: number | null;
  latestP99: number | null;
  peakRps: number;
  summary: string;
}

/** The smallest of 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ that is ≥ `value` (1 for nothing). */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const m of NICE_STEPS) {
    const candidate = m * magnitude;
    if (candidate >= value * (1 - 1e-12)) return candidate;
  }
  return 10 * magnitude;
}

/** A scale label: "500 ms", "1.25 s", "5 s". */
export function scaleLabelMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Math.round(ms / 10) / 100} s`;
}

const NICE_STEPS = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

const r1 = (v: number) => Math.round(v * 10) / 10;

function spanLabel(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;
}

export function buildChartModel(points: readonly SecondPoint[], width: number, height: number): ChartModel {
  const n = points.length;
  const step = n > 1 ? width / (n - 1) : 0;
  let peakRps = 0;
  let peakP99 = 0;
  for (const p of points) {
    if (p.requests !== null && p.requests > peakRps) peakRps = p.requests;
    if (p.p99Ms !== null && p.p99Ms > peakP99) peakP99 = p.p99Ms;
  }
  const rpsTop = niceCeil(peakRps * 1.05);
  const p99Top = niceCeil(peakP99 * 1.05);
  const yRps = (v: number) => r1(height - (v / rpsTop) * height);
  const yP99 = (v: number) => r1(height - (v / p99Top) * height);

  let rpsLine = '';
  let firstX: number | null = null;
  let lastX = 0;
  let p99Line = '';
  let inP99 = false;
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    const x = r1(i * step);
    if (p.requests !== null) {
      rpsLine += `${firstX === null ? 'M' : 'L'}${x},${yRps(p.requests)}`;
      firstX ??= x;
      lastX = x;
    }
    if (p.p99Ms !== null) {
      p99Line += inP99 ? `L${x},${yP99(p.p99Ms)}` : `M${x},${yP99(p.p99Ms)}h0.01`;
      inP99 = true;
    } else {
      inP99 = false;
    }
  }
  const rpsArea = firstX === null ? '' : `${rpsLine}L${lastX},${height}L${firstX},${height}Z`;

  const last = n > 0 ? points[n - 1]! : null;
  const latestRps = last?.requests ?? null;
  const latestP99 = last?.p99Ms ?? null;
  const span = spanLabel(n);
  const summary =
    peakRps === 0
      ? `Requests per second and p99 latency over the last ${span}: no requests.`
      : `Requests per second and p99 latency over the last ${span}. ` +
        `Last second: ${formatRate(latestRps ?? 0)} requests/s, p99 ${formatMs(latestP99)}. ` +
        `Peak ${formatRate(peakRps)} requests/s.`;
  return { rpsArea, rpsLine, p99Line, rpsTop, p99Top, latestRps, latestP99, peakRps, summary };
}
