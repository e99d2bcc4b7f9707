/**
 * Stage timing for ArbDesk's request path (BENCH_STAGES=1): loaded with `--import` into
 * `arbdesk serve` run from source (tsx), it wraps the methods every metered request goes
 * through and records the wall time of each call, plus each request's whole time in the server
 * (node:http's diagnostics channels) and the event loop's delay. Nothing in services/ changes:
 * the classes are patched on their prototypes before the host creates them.
 *
 * The bench sends SIGUSR2 after each run, having written that run's label to
 * `BENCH_STAGES_OUT.label`: what was recorded since the previous signal is filed under that
 * label (so timings at a moderate open-loop rate are not mixed with saturated closed-loop
 * ones). On exit (SIGTERM from the bench) it writes a JSON summary to BENCH_STAGES_OUT.
 *
 *   node --import tsx --import ./tests/bench/proxy/stages.ts services/cli/main.ts serve …
 */
import { subscribe } from 'node:diagnostics_channel';
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { summarize } from './stats.js';

const out = process.env.BENCH_STAGES_OUT;
/** Samples since the last SIGUSR2, by stage. */
let current = new Map<string, number[]>();
/** Filed samples: label → stage → samples. */
const filed = new Map<string, Map<string, number[]>>();
const record = (name: string, ms: number) => {
  let b = current.get(name);
  if (!b) current.set(name, (b = []));
  if (b.length < 2_000_000) b.push(ms);
};
process.on('SIGUSR2', () => {
  let label = 'unlabelled';
  try {
    label = readFileSync(`${out}.label`, 'utf8').trim() || label;
  } catch {
    // no label file: keep 'unlabelled'
  }
  const into = filed.get(label) ?? new Map<string, number[]>();
  for (const [stage, samples] of current) {
    const list = into.get(stage) ?? [];
    for (const v of samples) list.push(v);
    into.set(stage, list);
  }
  filed.set(label, into);
  current = new Map();
});
const missing: string[] = [];

type AnyFn = (...args: unknown[]) => unknown;
function wrap(proto: Record<string, unknown> | undefined, method: string, name: string): void {
  const original = proto?.[method] as AnyFn | undefined;
  if (typeof original !== 'function') {
    missing.push(name);
    return;
  }
  proto![method] = function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      return result.finally(() => record(name, performance.now() - t0));
    }
    record(name, performance.now() - t0);
    return result;
  };
}

/** Wall time from one method call to another on the same object (e.g. a request sent → its answer's head). */
function spanBetween(p: Record<string, unknown> | undefined, from: string, to: string, name: string): void {
  const first = p?.[from] as AnyFn | undefined;
  const second = p?.[to] as AnyFn | undefined;
  if (typeof first !== 'function' || typeof second !== 'function') {
    missing.push(name);
    return;
  }
  const begun = new WeakMap<object, number>();
  p![from] = function (this: object, ...args: unknown[]) {
    begun.set(this, performance.now());
    return first.apply(this, args);
  };
  p![to] = function (this: object, ...args: unknown[]) {
    const t0 = begun.get(this);
    if (t0 !== undefined) record(name, performance.now() - t0);
    return second.apply(this, args);
  };
}

async function load(spec: string): Promise<Record<string, unknown>> {
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch {
    missing.push(spec);
    return {};
  }
}
const proto = (mod: Record<string, unknown>, cls: string) => (mod[cls] as { prototype?: Record<string, unknown> } | undefined)?.prototype;

const keys = await load('../../../services/keys/key-store.js');
const meter = await load('../../../services/metering/meter.js');
const ledger = await load('../../../services/ledger/ledger.js');
const writeBehind = await load('../../../services/ledger/write-behind.js');
const relay = await load('../../../services/proxy/chat-relay.js');
const limits = await load('../../../services/proxy/rate-limits.js');
const sse = await load('../../../services/upstream/sse.js');
const stats = await load('../../../services/proxy/stats.js');
const host = await load('../../../services/host/host.js');

wrap(proto(keys, 'KeyStore'), 'lookup', 'key lookup (KeyStore.lookup)');
wrap(proto(limits, 'RateLimiter'), 'admit', 'limits (RateLimiter.admit)');
wrap(proto(meter, 'Meter'), 'reserve', 'reserve (Meter.reserve, in memory)');
wrap(proto(meter, 'Meter'), 'settle', 'settle (Meter.settle, queued)');
wrap(proto(ledger, 'Ledger'), 'postLater', '  of which queued postings (Ledger.postLater)');
wrap(proto(writeBehind, 'WriteBehind'), 'flush', 'write-behind batch (WriteBehind.flush: 1 SQLite txn per 20 ms; not on any request path)');
spanBetween(proto(relay, 'ChatRelay'), 'start', 'onHead', 'upstream: until the response head (ChatRelay.start → onHead)');
wrap(proto(sse, 'SseUsageScanner'), 'push', 'SSE scan per chunk (SseUsageScanner.push)');
wrap(proto(sse, 'SseUsageScanner'), 'end', 'SSE scan end (SseUsageScanner.end)');
wrap(proto(stats, 'ProxyStatsWindow'), 'record', 'live stats (ProxyStatsWindow.record)');
wrap(proto(host, 'Host'), 'publish', 'event publish (Host.publish)');

// Whole request in the proxy server: from node:http's request event to the response's finish.
const started = new WeakMap<IncomingMessage, number>();
subscribe('http.server.request.start', (m) => {
  const { request } = m as { request: IncomingMessage };
  if (request.url?.includes('/chat/completions')) started.set(request, performance.now());
});
subscribe('http.server.response.finish', (m) => {
  const { request } = m as { request: IncomingMessage };
  const t0 = started.get(request);
  if (t0 !== undefined) record('whole request in the server (request event → response finished)', performance.now() - t0);
});

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

function dump(): void {
  if (current.size) filed.set('after the last run', current);
  const byLabel: Record<string, Record<string, unknown>> = {};
  for (const [label, stages] of filed) {
    const summary: Record<string, unknown> = {};
    for (const [name, samples] of stages) {
      const s = summarize(Float64Array.from(samples), samples.length);
      summary[name] = { calls: s.count, meanMs: s.mean, p50Ms: s.p50, p99Ms: s.p99, maxMs: s.max, totalMs: s.mean * s.count };
    }
    byLabel[label] = summary;
  }
  const eventLoopDelay = { meanMs: loop.mean / 1e6, p50Ms: loop.percentile(50) / 1e6, p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 };
  const text = JSON.stringify({ byLabel, eventLoopDelay, notPatched: missing }, null, 2);
  if (out) writeFileSync(out, text);
  else process.stderr.write(text + '\n');
}
process.once('exit', dump);
