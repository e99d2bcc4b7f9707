/**
 * The metering cost alone, without HTTP: ArbDesk's own Meter (services/metering/meter.ts) on a
 * fresh database opened the way the host opens it, reserve + settle per request, as the proxy
 * does. Also how many bytes of write-ahead log one request writes, and the same work grouped
 * several requests per transaction, to size the options in docs/benchmarks.md.
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

function fresh(pragmas: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'arbdesk-meter-'));
  dirs.push(dir);
  const file = path.join(dir, 'arbdesk.db');
  const { db } = openDatabase(file);
  for (const p of pragmas) db.pragma(p);
  const ledger = new Ledger(db);
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
  return { db, meter, file };
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

function measure(name: string, pragmas: string[], group: number): void {
  const { db, meter, file } = fresh(pragmas);
  const batch = (count: number) => {
    for (let i = 0; i < count; i += group) {
      const ids = Array.from({ length: group }, () => `req_${++seq}`);
      if (group === 1) {
        meter.reserve(reservation(ids[0]!));
        meter.settle(settlement(ids[0]!));
      } else {
        db.transaction(() => ids.forEach((id) => meter.reserve(reservation(id))))();
        db.transaction(() => ids.forEach((id) => meter.settle(settlement(id))))();
      }
    }
  };
  batch(2000); // warm-up
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  batch(N);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  console.log(
    `${name.padEnd(52)} ${((wall * 1000) / N).toFixed(0).padStart(5)} µs wall  ${((c.user + c.system) / N).toFixed(0).padStart(5)} µs CPU (of which system ${(c.system / N).toFixed(0)})`,
  );
  db.close();
  void file;
}

/** WAL bytes one request writes: checkpoints off, WAL growth over 1,000 requests. */
function walPerRequest(): void {
  const { db, meter, file } = fresh(['wal_autocheckpoint = 0']);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const before = statSync(`${file}-wal`).size;
  for (let i = 0; i < 1000; i++) {
    const id = `req_${++seq}`;
    meter.reserve(reservation(id));
    meter.settle(settlement(id));
  }
  const after = statSync(`${file}-wal`).size;
  console.log(`write-ahead log written per request (reserve + settle): ${((after - before) / 1000 / 1024).toFixed(1)} KiB`);
  db.close();
}

console.log(`Meter.reserve + Meter.settle, ${N} requests each, per request:`);
measure('as the host runs it (WAL, synchronous=NORMAL)', [], 1);
measure('synchronous=OFF (no fsync at checkpoints)', ['synchronous = OFF'], 1);
measure('8 requests per transaction (group commit)', [], 8);
measure('32 requests per transaction (group commit)', [], 32);
walPerRequest();
for (const d of dirs) rmSync(d, { recursive: true, force: true });
