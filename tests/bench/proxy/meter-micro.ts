/**
 * The metering cost alone, without HTTP: ArbDesk's own Meter (services/metering/meter.ts) on a
 * fresh database opened the way the host opens it, reserve + settle per request, as the proxy
 * does: written at once (delayMs 0: the CLI, tests) and with the host's write-behind, where
 * a batch is written every 20 ms (here: every 20 or 80 requests, i.e. at 1,000 or 4,000 req/s).
 * Also how many bytes of write-ahead log one request writes in each mode.
 *
 *   npx tsx tests/bench/proxy/meter-micro.ts [requests=20000]
 *
 * A diagnostic for whoever works on the meter; `npm run bench:proxy` is the benchmark.
 */
import { statSync } from 'node:fs';
import { meterOneRequest, openBenchMeter, type BenchMeter } from './bench-meter.js';

const N = Math.max(1000, Number(process.argv[2] ?? 20_000));
const opened: BenchMeter[] = [];

function fresh(pragmas: string[] = [], delayMs = 0): BenchMeter {
  // A delay that never fires inside the synchronous loop: the loop flushes by hand.
  const bench = openBenchMeter({ delayMs: delayMs ? 3_600_000 : 0 }, pragmas);
  opened.push(bench);
  return bench;
}

let seq = 0;

/** `flushEvery` 0: each request written at once; n: write-behind, a batch every n requests. */
function measure(name: string, pragmas: string[], flushEvery: number): void {
  const { db, meter, ledger } = fresh(pragmas, flushEvery);
  const run = (count: number) => {
    for (let i = 1; i <= count; i++) {
      meterOneRequest(meter, `req_${++seq}`);
      if (flushEvery && i % flushEvery === 0) ledger.flush();
    }
    ledger.flush();
  };
  run(2000); // warm-up
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  run(N);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  console.log(
    `${name.padEnd(60)} ${((wall * 1000) / N).toFixed(1).padStart(6)} µs wall  ${((c.user + c.system) / N).toFixed(1).padStart(6)} µs CPU (of which system ${(c.system / N).toFixed(1)})`,
  );
  db.close();
}

/** WAL bytes one request writes: checkpoints off, WAL growth over 1,000 requests. */
function walPerRequest(name: string, flushEvery: number): void {
  const { db, meter, ledger, file } = fresh(['wal_autocheckpoint = 0'], flushEvery);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const before = statSync(`${file}-wal`).size;
  for (let i = 1; i <= 1000; i++) {
    meterOneRequest(meter, `req_${++seq}`);
    if (flushEvery && i % flushEvery === 0) ledger.flush();
  }
  ledger.flush();
  const after = statSync(`${file}-wal`).size;
  console.log(`write-ahead log per request, ${name.padEnd(40)} ${((after - before) / 1000 / 1024).toFixed(2)} KiB`);
  db.close();
}

console.log(`Meter.reserve + Meter.settle, ${N} requests, per request:`);
measure('each request written at once (no write-behind)', [], 0);
measure('write-behind, a batch every 20 requests (1,000 req/s)', [], 20);
measure('write-behind, a batch every 80 requests (4,000 req/s)', [], 80);
walPerRequest('each written at once', 0);
walPerRequest('a batch every 20 requests', 20);
walPerRequest('a batch every 80 requests', 80);
for (const bench of opened) bench.remove();
