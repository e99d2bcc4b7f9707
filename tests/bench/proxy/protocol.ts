/**
 * Messages between the bench orchestrator (run.ts) and its child processes (upstream-proc.ts,
 * passthrough.ts, loadgen.ts), sent over Node's IPC channel. Every role runs in its own
 * process so no two of them share an event loop.
 */

/** One measured run of the load generator against one target. */
export interface RunSpec {
  /** Free text for logs: "bare 0ms non-stream closed". */
  label: string;
  /** http://127.0.0.1:port */
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  stream: boolean;
  mode: 'open' | 'closed';
  /** Open loop: requests per second, sent on schedule whatever the answers do. */
  rate?: number;
  /** Closed loop: this many requests in flight at all times. */
  concurrency?: number;
  /** Not measured: JIT, connection pools and caches warm up. */
  warmupMs: number;
  /** Measured window after the warm-up. */
  durationMs: number;
  /** A request taking longer than this fails (timeout) — bounds every run. */
  timeoutMs: number;
  /** Open loop: past this many requests in flight the target is saturated; further sends are skipped and counted. */
  maxInFlight: number;
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface RunResult {
  label: string;
  mode: 'open' | 'closed';
  rate: number | null;
  concurrency: number | null;
  /** Measured window, ms (excludes warm-up). */
  windowMs: number;
  /** Requests started in the measured window (open loop: scheduled). */
  started: number;
  /** Good answers (2xx, complete body): open loop, to requests scheduled in the window; closed loop, arriving in it. */
  completed: number;
  /** Good answers whose last byte arrived inside the measured window, per second. */
  throughput: number;
  /** Latency from sending the request to the last byte of the answer, ms (open loop: requests scheduled in the window; closed loop: answers arriving in it). */
  latency: LatencySummary;
  /** Open loop only: latency from the request's scheduled send time (includes load-generator lag). */
  latencyFromSchedule: LatencySummary | null;
  /** Whole run, warm-up included: non-2xx answers by status, failures by code, bad bodies. */
  errors: Record<string, number>;
  errorCount: number;
  /** Open loop: sends skipped because maxInFlight requests were outstanding (the target could not keep up). */
  skipped: number;
  /** Every request that got an answer or failed, warm-up included (for CPU per request). */
  answered: number;
  /** Load generator's own CPU over the run, ms. */
  loadgenCpuMs: number;
  /** Requests still unanswered when the run gave up waiting (counted as errors too). */
  abandoned: number;
  /** The raw latencies behind `latency` / `latencyFromSchedule` (ms), so rounds can be pooled. */
  samples: number[];
  scheduleSamples: number[];
}

export type ToLoadgen = { type: 'run'; spec: RunSpec } | { type: 'stop' };
export type FromLoadgen = { type: 'ready' } | { type: 'result'; result: RunResult } | { type: 'failed'; message: string };

export type ToUpstream = { type: 'set'; latencyMs: number } | { type: 'stop' };
export type FromUpstream = { type: 'ready'; baseUrl: string; origin: string; apiKey: string } | { type: 'set'; latencyMs: number };

export type FromPassthrough = { type: 'ready'; origin: string };
