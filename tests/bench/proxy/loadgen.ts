/**
 * The load generator, in a process of its own (forked by run.ts; one run at a time over IPC).
 *
 *   open loop    requests leave on a fixed schedule (rate per second) whatever the answers do,
 *                so a slow target cannot slow the offered load down (no coordinated omission);
 *                past `maxInFlight` outstanding requests the target is saturated and further
 *                sends are skipped and counted.
 *   closed loop  `concurrency` workers each send the next request as soon as the previous answer
 *                has fully arrived; the completion rate is the throughput held.
 *
 * Latency is measured from handing the request to the client (undici Pool, keep-alive, one
 * request per connection at a time) to the last byte of the answer. A request counts as
 * successful only with a 2xx status and a complete body: a JSON body ending in `}`, or an SSE
 * stream ending in `data: [DONE]`. Every request has a timeout, every run a deadline.
 */
import { Pool, type Dispatcher } from 'undici';
import type { FromLoadgen, RunResult, RunSpec, ToLoadgen } from './protocol.js';
import { SampleBuffer } from './stats.js';

const MAX_SAMPLES = 2_000_000;
const DONE = Buffer.from('[DONE]');
const CLOSE_BRACE = 0x7d;

interface Outcome {
  ok: boolean;
  /** 'status_502', 'timeout', 'ECONNRESET', 'bad_body' … when not ok. */
  error: string | null;
}

/** One request through the pool's dispatch API: no body buffering, only the last bytes are kept. */
function request(pool: Pool, options: Dispatcher.DispatchOptions, stream: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    let status = 0;
    let tail: Buffer | null = null;
    let prev: Buffer | null = null;
    let settled = false;
    const finish = (o: Outcome) => {
      if (!settled) {
        settled = true;
        resolve(o);
      }
    };
    const handler: Dispatcher.DispatchHandler = {
      // Its presence tells undici 7 this handler speaks the controller-based API.
      onRequestStart() {},
      onResponseStart(_controller, statusCode) {
        status = statusCode;
      },
      onResponseData(_controller, chunk) {
        if (chunk.length) {
          prev = tail;
          tail = chunk;
        }
      },
      onResponseEnd() {
        if (status < 200 || status > 299) return finish({ ok: false, error: `status_${status}` });
        finish(complete(tail, prev, stream) ? { ok: true, error: null } : { ok: false, error: 'incomplete_body' });
      },
      onResponseError(_controller, error) {
        finish({ ok: false, error: errorName(error) });
      },
    };
    try {
      pool.dispatch(options, handler);
    } catch (error) {
      finish({ ok: false, error: errorName(error) });
    }
  });
}

function complete(tail: Buffer | null, prev: Buffer | null, stream: boolean): boolean {
  if (!tail) return false;
  if (!stream) {
    let end = tail.length - 1;
    while (end >= 0 && (tail[end] === 0x0a || tail[end] === 0x0d || tail[end] === 0x20)) end--;
    return end >= 0 && tail[end] === CLOSE_BRACE;
  }
  // `data: [DONE]` may be split across the last two chunks.
  const last = prev && tail.length < 32 ? Buffer.concat([prev.subarray(Math.max(0, prev.length - 32)), tail]) : tail;
  return last.indexOf(DONE, Math.max(0, last.length - 32)) !== -1;
}

function errorName(error: unknown): string {
  const e = error as { code?: string; name?: string } | null;
  if (e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  return e?.code ?? e?.name ?? 'error';
}

class Errors {
  readonly counts: Record<string, number> = {};
  total = 0;
  add(name: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    this.total++;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function run(spec: RunSpec): Promise<RunResult> {
  const pool = new Pool(spec.origin, {
    connections: null,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: spec.timeoutMs,
    bodyTimeout: spec.timeoutMs,
  });
  const options: Dispatcher.DispatchOptions = {
    method: 'POST',
    path: spec.path,
    headers: { ...spec.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(spec.body)) },
    body: spec.body,
    headersTimeout: spec.timeoutMs,
    bodyTimeout: spec.timeoutMs,
  };
  const errors = new Errors();
  const expected = spec.mode === 'open' ? Math.ceil(((spec.rate ?? 0) * spec.durationMs) / 1000) : 100_000;
  const latency = new SampleBuffer(expected + 16, MAX_SAMPLES);
  const fromSchedule = new SampleBuffer(spec.mode === 'open' ? expected + 16 : 16, MAX_SAMPLES);
  let inFlight = 0;
  let started = 0;
  let completed = 0;
  let skipped = 0;
  let answered = 0;
  /** Good answers whose last byte arrived inside the measured window. */
  let arrived = 0;
  const cpu0 = process.cpuUsage();

  const t0 = performance.now() + 5;
  const tWarm = t0 + spec.warmupMs;
  const tEnd = tWarm + spec.durationMs;

  const fire = (scheduled: number): Promise<void> => {
    const measured = scheduled >= tWarm && scheduled < tEnd;
    if (measured) started++;
    inFlight++;
    const sent = performance.now();
    return request(pool, options, spec.stream).then((o) => {
      inFlight--;
      answered++;
      const end = performance.now();
      if (!o.ok) return errors.add(o.error ?? 'error');
      if (end >= tWarm && end < tEnd) arrived++;
      if (spec.mode === 'open') {
        if (!measured) return;
        completed++;
        latency.push(end - sent);
        fromSchedule.push(end - scheduled);
      } else if (end >= tWarm && end < tEnd) {
        // Closed loop: every answer that arrives in the window (the loop is at steady state by
        // then), so a target slower than the window still gets latency samples.
        completed++;
        latency.push(end - sent);
      }
    });
  };

  if (spec.mode === 'open') {
    const rate = spec.rate ?? 0;
    const interval = 1000 / rate;
    const total = Math.floor((rate * (spec.warmupMs + spec.durationMs)) / 1000);
    let i = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (i < total && t0 + i * interval <= now) {
          const scheduled = t0 + i * interval;
          i++;
          if (inFlight >= spec.maxInFlight) {
            if (scheduled >= tWarm) {
              skipped++;
              started++;
            }
            continue;
          }
          void fire(scheduled);
        }
        if (i < total) setTimeout(tick, Math.max(0, t0 + i * interval - performance.now() - 0.5));
        else resolve();
      };
      setTimeout(tick, 5);
    });
  } else {
    const workers: Promise<void>[] = [];
    for (let w = 0; w < (spec.concurrency ?? 1); w++) {
      workers.push(
        (async () => {
          while (performance.now() < tEnd) await fire(performance.now());
        })(),
      );
    }
    // Each worker stops after its last answer; that wait is bounded by the request timeout.
    await Promise.race([Promise.all(workers), sleep(spec.warmupMs + spec.durationMs + spec.timeoutMs + 1000)]);
  }

  // Let the last answers arrive (bounded), then give up on what is left.
  const deadline = performance.now() + spec.timeoutMs + 500;
  while (inFlight > 0 && performance.now() < deadline) await sleep(5);
  const abandoned = inFlight;
  if (abandoned > 0) for (let k = 0; k < abandoned; k++) errors.add('abandoned');
  await pool.destroy().catch(() => undefined);

  const windowMs = spec.durationMs;
  return {
    label: spec.label,
    mode: spec.mode,
    rate: spec.rate ?? null,
    concurrency: spec.concurrency ?? null,
    windowMs,
    started,
    completed,
    throughput: arrived / (windowMs / 1000),
    latency: latency.summary(),
    latencyFromSchedule: spec.mode === 'open' ? fromSchedule.summary() : null,
    errors: errors.counts,
    errorCount: errors.total,
    skipped,
    abandoned,
    answered,
    samples: latency.values(),
    scheduleSamples: spec.mode === 'open' ? fromSchedule.values() : [],
    loadgenCpuMs: (() => {
      const c = process.cpuUsage(cpu0);
      return (c.user + c.system) / 1000;
    })(),
  };
}

const send = (m: FromLoadgen) => process.send?.(m);
let busy = false;
process.on('message', (m: ToLoadgen) => {
  if (m.type === 'stop') process.exit(0);
  if (m.type !== 'run' || busy) return;
  busy = true;
  run(m.spec).then(
    (result) => {
      busy = false;
      send({ type: 'result', result });
    },
    (error: unknown) => {
      busy = false;
      send({ type: 'failed', message: (error as Error).stack ?? String(error) });
    },
  );
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
