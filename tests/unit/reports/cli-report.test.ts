/**
 * `arbdesk report pnl` over a data dir with no host running: the table, the CSV (the same bytes
 * the Reports screen downloads) and a clear refusal of a bad range.
 */
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { breakdownCsv as uiBreakdownCsv, periodsCsv as uiPeriodsCsv } from '../../../shared/report-csv.js';
import { buildProgram } from '../../../services/cli/main-program.js';
import { defaultSettings } from '../../../services/config/schema.js';
import type { PnlReport } from '../../../services/contract.js';
import { openDatabase } from '../../../services/db/database.js';
import { Business } from '../../../services/host/business.js';
import { Accounts } from '../../../services/ledger/accounts.js';
import type { ProxyService } from '../../../services/proxy/proxy-service.js';
import { tempDir } from '../../helpers/temp.js';

let tmp: ReturnType<typeof tempDir>;
let out: string[];

/** Bob, credited $10, makes two requests on 2026-03-01 and 2026-03-02 (UTC). */
function seed(dir: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  const { db } = openDatabase(path.join(dir, 'arbdesk.db'));
  const b = new Business({
    db,
    logger: pino({ level: 'silent' }),
    settings: defaultSettings,
    publish: () => undefined,
    audit: () => undefined,
    proxy: () => undefined as unknown as ProxyService,
    storefront: () => undefined,
    crypto: { options: () => [], prepare: async () => Promise.reject(new Error('no crypto')) },
  });
  const bob = b.customers.add({ name: 'Bob, "the builder"' }).id;
  b.ledger.post({ kind: 'credit', customerId: bob, entries: [{ account: Accounts.receipts('manual'), amount: 10_000_000 }, { account: Accounts.available(bob), amount: -10_000_000 }] });
  let n = 0;
  for (const [at, charge, cost] of [['2026-03-01T12:00:00.000Z', 1_500_000, 1_000_000], ['2026-03-02T08:00:00.000Z', 250_000, 125_000]] as const) {
    vi.setSystemTime(new Date(at));
    const requestId = `req_${++n}`;
    b.meter.reserve({ requestId, customerId: bob, keyId: 'key_x', model: 'openai/gpt-4o-mini', amountMicro: charge, tokens: 0 });
    b.meter.settle({ requestId, chargeMicro: charge, upstreamCostMicro: cost, record: { stream: false, status: 200, outcome: 'ok', promptTokens: 10, completionTokens: 5, latencyMs: 3, generationId: null } });
  }
  vi.useRealTimers();
  db.close();
  return bob;
}

async function run(...args: string[]): Promise<string> {
  out = [];
  await buildProgram().exitOverride().parseAsync(['node', 'arbdesk', ...args, '--data-dir', tmp.dir]);
  return out.join('');
}

beforeEach(() => {
  tmp = tempDir('arbdesk-cli-report-');
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ') + '\n'));
});

afterEach(() => {
  vi.restoreAllMocks();
  tmp.cleanup();
});

it('prints the P&L per day, as CSV the same bytes as the Reports screen, and by customer', async () => {
  const bob = seed(tmp.dir);
  const text = await run('report', 'pnl', '--from', '2026-03-01', '--to', '2026-03-02');
  expect(text).toContain('Profit and loss 2026-03-01 to 2026-03-02 (UTC days, both included)');
  expect(text).toMatch(/2026-03-01\s+\$1\.50\s+\$1\.00\s+\$0\.50\s+33\.3 %\s+1\s+0/);
  expect(text).toMatch(/TOTAL\s+\$1\.75\s+\$1\.125\s+\$0\.625\s+35\.7 %\s+2\s+0/);

  const report = JSON.parse(await run('report', 'pnl', '--from', '2026-03-01', '--to', '2026-03-02', '--json')) as PnlReport;
  const csv = await run('report', 'pnl', '--from', '2026-03-01', '--to', '2026-03-02', '--csv');
  expect(csv).toBe(uiPeriodsCsv(report.periods, report.totals, report.from, report.to));
  expect(csv.split('\r\n')[3]).toBe('total,2026-03-01,2026-03-02,1.750000,0.000000,1.750000,1.125000,0.625000,35.7,2,0');

  const byCustomer = await run('report', 'pnl', '--from', '2026-03-01', '--to', '2026-03-02', '--table', 'customer', '--csv');
  expect(byCustomer).toBe(uiBreakdownCsv('customer_id', report.byCustomer, report.totals));
  expect(byCustomer.split('\r\n')[1]).toBe(`${bob},"Bob, ""the builder""",1.750000,0.000000,1.750000,1.125000,0.625000,35.7,2,0`);
});

it('refuses a range longer than 400 days, saying so', async () => {
  await expect(run('report', 'pnl', '--from', '2025-01-01', '--to', '2026-03-01')).rejects.toThrow(/at most 400 days/);
});
