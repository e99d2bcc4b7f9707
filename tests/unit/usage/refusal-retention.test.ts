import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../services/db/database.js';
import { migrations } from '../../../services/db/migrations/index.js';
import { Ledger } from '../../../services/ledger/ledger.js';
import { Meter } from '../../../services/metering/meter.js';
import { PRUNE_SLICE, RefusalRetention } from '../../../services/usage/refusal-retention.js';
import { UsageQueries } from '../../../services/usage/usage-queries.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();

let db: Database.Database;
let ledger: Ledger;
let meter: Meter;
let retention: RefusalRetention | undefined;

function refuse(id: string, at: string, outcome = 'insufficient_balance') {
  meter.recordRefusal({ requestId: id, at, keyId: 'key_1', customerId: 'cus_1', model: 'm', stream: false, status: 402, outcome, latencyMs: 1 });
}
const refusedIds = () => (db.prepare('SELECT id FROM refused_requests ORDER BY id').pluck().all() as string[]);

beforeEach(() => {
  db = new Database(':memory:');
  migrate(db, migrations);
  ledger = new Ledger(db);
  meter = new Meter(db, ledger);
});
afterEach(() => retention?.stop());

describe('refused requests are kept for proxy.refusedRetentionDays', () => {
  it('deletes the ones older than the window and keeps the rest, served requests untouched', () => {
    refuse('old-1', daysAgo(45));
    refuse('old-2', daysAgo(30.5));
    refuse('recent', daysAgo(29));
    refuse('today', daysAgo(0));
    db.prepare("INSERT INTO requests (id, at, key_id, customer_id, model, stream, status, outcome, prompt_tokens, completion_tokens, upstream_cost, charge, latency_ms) VALUES ('served-old', ?, 'key_1', 'cus_1', 'm', 0, 200, 'ok', 1, 1, 0, 0, 1)").run(daysAgo(400));

    retention = new RefusalRetention(db, ledger, 30, undefined, () => NOW);
    expect(retention.prune()).toBe(2);
    ledger.flush();

    expect(refusedIds()).toEqual(['recent', 'today']);
    expect(db.prepare('SELECT COUNT(*) FROM requests').pluck().get()).toBe(1);
    // What `arbdesk usage` counts follows: only the kept refusals.
    expect(new UsageQueries(db).refused(undefined)).toEqual([{ status: 402, code: 'insufficient_balance', requests: 2 }]);
  });

  it('keeps every refusal when set to 0', () => {
    refuse('ancient', daysAgo(3000));
    retention = new RefusalRetention(db, ledger, 0, undefined, () => NOW);
    retention.start();
    ledger.flush();
    expect(refusedIds()).toEqual(['ancient']);
  });

  it('deletes a large backlog in slices, each a bounded batch', () => {
    const insert = db.prepare("INSERT INTO refused_requests (id, at, key_id, customer_id, model, stream, status, code) VALUES (?, ?, 'key_1', 'cus_1', 'm', 0, 429, 'rate_limited')");
    db.transaction(() => {
      for (let i = 0; i < PRUNE_SLICE + 5; i++) insert.run(`old-${i}`, daysAgo(60));
    })();
    refuse('recent', daysAgo(1));

    retention = new RefusalRetention(db, ledger, 30, undefined, () => NOW);
    expect(retention.prune()).toBe(PRUNE_SLICE);
    ledger.flush();
    expect(db.prepare('SELECT COUNT(*) FROM refused_requests').pluck().get()).toBe(6);
    expect(retention.prune()).toBe(5);
    ledger.flush();
    expect(refusedIds()).toEqual(['recent']);
    expect(retention.prune()).toBe(0);
  });
});
