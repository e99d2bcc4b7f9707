/**
 * What the write-behind's writer thread costs, per commit interval, side by side in one run:
 * a Ledger + Meter on a fresh database file reserve and settle requests at a fixed rate (as
 * the proxy does, without HTTP) for a few seconds, and the CPU time of each thread is read from
 * /proc (Linux). Each interval runs in a process of its own.
 *
 *   npm run bench:writer -- [rate req/s = 4000] [intervals ms = 5,20,50] [seconds = 5]
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { meterOneRequest, openBenchMeter } from './bench-meter.js';

interface Result {
  delayMs: number;
  requests: number;
  seconds: number;
  /** CPU ms per thread over the window, busiest first: [0] is the host's event loop, the writer is the next busiest. */
  threads: number[];
}

/** utime + stime of each thread of this process, in ms (clock ticks of 10 ms). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(tid, (Number(fields[11]) + Number(fields[12])) * 10);
  }
  return out;
}

async function measure(rate: number, delayMs: number, seconds: number): Promise<Result> {
  const { db, ledger, meter, remove } = openBenchMeter({ delayMs });
  let n = 0;
  const perMs = rate / 1000;
  let owed = 0;
  const tick = setInterval(() => {
    owed += perMs;
    for (; owed >= 1; owed--) meterOneRequest(meter, `req_${(n++).toString(36)}`);
  }, 1);
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await wait(1000); // warm-up: JIT, the writer thread's statements
  const before = threadCpu();
  const from = n;
  const started = performance.now();
  await wait(seconds * 1000);
  const after = threadCpu();
  const requests = n - from;
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(tick);
  await ledger.close();
  db.close();
  remove();
  const threads = [...after].map(([tid, ms]) => ms - (before.get(tid) ?? 0)).sort((a, b) => b - a);
  return { delayMs, requests, seconds: elapsed, threads };
}

const self = fileURLToPath(import.meta.url);

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 4000);
  const intervals = (process.argv[3] ?? '5,20,50').split(',').map(Number);
  const seconds = Number(process.argv[4] ?? 5);
  if (!(rate > 0) || intervals.some((d) => !(d > 0)) || !(seconds > 0)) throw new Error('usage: writer-thread.ts [rate req/s] [intervals ms, comma-separated] [seconds]');
  console.log(`write-behind writer thread at ${rate} req/s for ${seconds} s per interval (CPU ms per second of wall time)`);
  console.log('  interval  requests/s  host loop  writer thread  other threads  writer µs/request');
  for (const delayMs of intervals) {
    const result = await new Promise<Result>((resolve, reject) => {
      const child = fork(self, ['--child', String(rate), String(delayMs), String(seconds)], { execArgv: ['--import', 'tsx'] });
      child.once('message', (m) => resolve(m as Result));
      // 'exit' can be seen before the last message is: a result that arrives at all wins.
      child.once('exit', (code) => setTimeout(() => reject(new Error(`interval ${delayMs} ms: the measuring process exited (${code}) without a result`)), 500));
    });
    const [host = 0, writer = 0, ...others] = result.threads;
    const perSecond = (ms: number) => (ms / result.seconds).toFixed(0).padStart(5);
    console.log(
      `  ${String(delayMs).padStart(5)} ms  ${(result.requests / result.seconds).toFixed(0).padStart(10)}  ${perSecond(host)} ms   ${perSecond(writer)} ms       ${perSecond(others.reduce((a, b) => a + b, 0))} ms       ${((writer * 1000) / result.requests).toFixed(1).padStart(8)}`,
    );
  }
}

// No top-level await: the child is loaded through require() when forked with tsx.
if (process.argv[2] === '--child') {
  void measure(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])).then((result) => {
    // exit once the message is out (an exit right after send() can drop it)
    process.send?.(result, () => process.exit(0));
  });
} else {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
