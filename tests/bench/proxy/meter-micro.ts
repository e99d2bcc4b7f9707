/**
 * The metering cost alone, without HTTP: ArbDesk's own Meter (services/metering/meter.ts) on a
 * fresh database opened the way the host opens it, reserve + settle per request, as the proxy
 * does: written at once (delayMs 0: the CLI, tests) and with the host's write-behind, where
 * a batch is written every 5 ms (here: every 8 or 32 requests, i.e. at 1,600 or 6,400 req/s).
 * Also how many bytes of write-ahead log one request writes in each mode.
 *
 *   npx tsx tests/bench/proxy/meter-micro.ts [requests=20000]
 *
 * A diagnostic for whoever works on the meter; `npm run bench:proxy` is the benchmark.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Allowances } from '../../../services/allowances/allowances.js';
import { openDatabase } from '../../../services/db/database.js';
import { Accounts } from '../../../services/ledger/accounts.js';
import { Ledger } from '../../../services/ledger/ledger.js';
import { Meter } from '../../../services/metering/meter.js';

const N = Math.max(1000, Number(process.argv[2] ?? 20_000));
const dirs: string[] = [];

function fresh(pragmas: string[] = [], delayMs = 0) {
  const dir = mkdtempSync(path.join(tmpdir(), 'arbdesk-meter-'));
  dirs.push(dir);
  const file = path.join(dir, 'arbdesk.db');
  const { db } = openDatabase(file);
  for (const p of pragmas) db.pragma(p);
  // A delay that never fires inside the synchronous loop: the loop flushes by hand.
  const ledger = new Ledger(db, { delayMs: delayMs ? 3_600_000 : 0 });
  const meter = new Meter(db, ledger, new Allowances(db, ledger));
  db.prepare("INSERT INTO customers (id, name, created_at) VALUES ('cus_bench', 'bench', ?)").run(new Date().toISOString());
  ledger.post({
    kind: 'credit',
    customerId: 'cus_bench',
    entries: [
      { account: Accounts.available('cus_bench'), amount: -1_000_000_000_000 },
      { account: 'asset:bench', amount: 1_000_000_000_000 },
    ],
  });
  return { db, meter, ledger, file };
}

let seq = 0;
type Reserve = Parameters<Meter['reserve']>[0];
type Settle = Parameters<Meter['settle']>[0];
const reservation = (id: string) =>
  ({ requestId: id, customerId: 'cus_bench', keyId: 'key_bench', model: 'openai/gpt-4o-mini', amountMicro: 60, tokens: 90 }) as unknown as Reserve;
const settlement = (id: string) =>
  ({
    requestId: id,
    chargeMicro: 12,
    upstreamCostMicro: 9,
    record: { stream: false, status: 200, outcome: 'ok', promptTokens: 20, completionTokens: 12, latencyMs: 1, generationId: 'gen-1' },
  }) as unknown as Settle;

/** `flushEvery` 0: each request written at once; n: write-behind, a batch every n requests. */
function measure(name: string, pragmas: string[], flushEvery: number): void {
  const { db, meter, ledger } = fresh(pragmas, flushEvery);
  const run = (count: number) => {
    for (let i = 1; i <= count; i++) {
      const id = `req_${++seq}`;
      meter.reserve(reservation(id));
      meter.settle(settlement(id));
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
    const id = `req_${++seq}`;
    meter.reserve(reservation(id));
    meter.settle(settlement(id));
    if (flushEvery && i % flushEvery === 0) ledger.flush();
  }
  ledger.flush();
  const after = statSync(`${file}-wal`).size;
  console.log(`write-ahead log per request, ${name.padEnd(40)} ${((after - before) / 1000 / 1024).toFixed(2)} KiB`);
  db.close();
}

console.log(`Meter.reserve + Meter.settle, ${N} requests, per request:`);
measure('each request written at once (no write-behind)', [], 0);
measure('write-behind, a batch every 8 requests (1,600 req/s)', [], 8);
measure('write-behind, a batch every 32 requests (6,400 req/s)', [], 32);
walPerRequest('each written at once', 0);
walPerRequest('a batch every 8 requests', 8);
walPerRequest('a batch every 32 requests', 32);
for (const d of dirs) rmSync(d, { recursive: true, force: true });
