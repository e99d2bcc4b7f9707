/**
 * Pools the rounds of one measurement (run.ts runs BENCH_ROUNDS rounds per target, interleaved)
 * into the record the report shows: medians of the per-round throughput and percentiles,
 * pooled samples, summed errors and CPU per request.
 */
import { isHeld, medianOf, type RunRecord } from './report.js';
import type { RunResult } from './protocol.js';
import { summarize } from './stats.js';
import type { TargetId } from './targets.js';

/** One round of one target: the load generator's result and the CPU the processes used. */
export interface Part {
  result: RunResult;
  targetMs: number | null;
  upstreamMs: number | null;
  otherMs: number | null;
  wallMs: number;
}

export function pool(target: TargetId, mode: 'open' | 'closed', parts: Part[]): RunRecord {
  const first = parts[0]!.result;
  const sum = (f: (p: Part) => number) => parts.reduce((a, p) => a + f(p), 0);
  const sumOrNull = (f: (p: Part) => number | null) => (parts.some((p) => f(p) === null) ? null : sum((p) => f(p)!));
  const median = (f: (p: Part) => number) => {
    const v = parts.map(f).filter(Number.isFinite);
    return v.length ? medianOf(v) : NaN;
  };
  const samples = parts.flatMap((p) => p.result.samples);
  const scheduleSamples = parts.flatMap((p) => p.result.scheduleSamples);
  const errors: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.result.errors)) errors[k] = (errors[k] ?? 0) + v;
  const answered = sum((p) => p.result.answered);
  const targetMs = sumOrNull((p) => p.targetMs);
  const upstreamMs = sumOrNull((p) => p.upstreamMs);
  const otherMs = sumOrNull((p) => p.otherMs);
  const loadgenCpuMs = sum((p) => p.result.loadgenCpuMs);
  const pooled = summarize(Float64Array.from(samples), samples.length);
  const medianLatency = (pick: (l: RunResult['latency']) => number) => median((p) => pick(p.result.latency));
  const heldRounds = parts.filter((p) => isHeld(p.result)).length;
  return {
    label: first.label,
    mode,
    rate: first.rate,
    concurrency: first.concurrency,
    windowMs: sum((p) => p.result.windowMs),
    started: sum((p) => p.result.started),
    completed: sum((p) => p.result.completed),
    throughput: median((p) => p.result.throughput),
    latency: { count: pooled.count, mean: pooled.mean, p50: medianLatency((l) => l.p50), p90: medianLatency((l) => l.p90), p99: medianLatency((l) => l.p99), p999: medianLatency((l) => l.p999), max: pooled.max },
    pooledLatency: pooled,
    latencyFromSchedule: mode === 'open' ? summarize(Float64Array.from(scheduleSamples), scheduleSamples.length) : null,
    errors,
    errorCount: sum((p) => p.result.errorCount),
    skipped: sum((p) => p.result.skipped),
    abandoned: sum((p) => p.result.abandoned),
    answered,
    loadgenCpuMs,
    target,
    held: mode === 'open' ? heldRounds * 2 > parts.length : null,
    cpu: {
      targetUsPerReq: targetMs === null || !answered ? null : (targetMs * 1000) / answered,
      upstreamUsPerReq: upstreamMs === null || !answered ? null : (upstreamMs * 1000) / answered,
      loadgenUsPerReq: answered ? (loadgenCpuMs * 1000) / answered : null,
      otherCores: otherMs === null ? null : otherMs / sum((p) => p.wallMs),
    },
    rounds: parts.map((p) => ({
      throughput: p.result.throughput,
      p50: p.result.latency.p50,
      p99: p.result.latency.p99,
      held: mode === 'open' ? isHeld(p.result) : null,
      errors: p.result.errorCount + p.result.skipped,
      otherCores: p.otherMs === null ? null : p.otherMs / p.wallMs,
    })),
  };
}
