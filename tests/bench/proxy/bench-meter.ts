/**
 * The setup the metering diagnostics share (meter-micro.ts, writer-thread.ts): ArbDesk's own
 * Ledger and Meter on a fresh database opened the way the host opens it, one customer with
 * plenty of credit, and one request reserved and settled the way the proxy does it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Allowances } from '../../../services/allowances/allowances.js';
import { openDatabase, type Db } from '../../../services/db/database.js';
import { Accounts } from '../../../services/ledger/accounts.js';
import { Ledger } from '../../../services/ledger/ledger.js';
import type { WriteBehindOptions } from '../../../services/ledger/write-behind.js';
import { Meter } from '../../../services/metering/meter.js';

const CUSTOMER = 'cus_bench';

export interface BenchMeter {
  db: Db;
  ledger: Ledger;
  meter: Meter;
  /** The database file. */
  file: string;
  /** Deletes the database's directory (after the database is closed). */
  remove(): void;
}

export function openBenchMeter(writeBehind: WriteBehindOptions, pragmas: readonly string[] = []): BenchMeter {
  const dir = mkdtempSync(path.join(tmpdir(), 'arbdesk-meter-bench-'));
  const file = path.join(dir, 'arbdesk.db');
  const { db } = openDatabase(file);
  for (const p of pragmas) db.pragma(p);
  const ledger = new Ledger(db, writeBehind);
  const meter = new Meter(db, ledger, new Allowances(db, ledger));
  db.prepare('INSERT INTO customers (id, name, created_at) VALUES (?, ?, ?)').run(CUSTOMER, 'bench', new Date().toISOString());
  ledger.post({
    kind: 'credit',
    customerId: CUSTOMER,
    entries: [
      { account: Accounts.available(CUSTOMER), amount: -1_000_000_000_000 },
      { account: 'asset:bench', amount: 1_000_000_000_000 },
    ],
  });
  return { db, ledger, meter, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One request as the proxy meters it: a hold at reserve, the actual charge at settle. */
export function meterOneRequest(meter: Meter, requestId: string): void {
  meter.reserve({ requestId, customerId: CUSTOMER, keyId: 'key_bench', model: 'openai/gpt-4o-mini', amountMicro: 60, tokens: 90 });
  meter.settle({
    requestId,
    chargeMicro: 12,
    upstreamCostMicro: 9,
    record: { stream: false, status: 200, outcome: 'ok', promptTokens: 20, completionTokens: 12, latencyMs: 1, generationId: 'gen-1' },
  });
}
