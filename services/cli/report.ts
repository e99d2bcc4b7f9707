/**
 * `arbdesk report pnl --from D --to D --by day|week|month [--table …] [--json | --csv]`: the
 * Reports screen's profit and loss on the command line, through the contract (`reports.pnl`).
 */
import { Option, type Command } from 'commander';
import type { PnlFigures, PnlReport } from '../contract.js';
import { resolveDataDir } from '../config/data-dir.js';
import { formatUsd } from '../money/units.js';
import { breakdownCsv, marginPercent, periodsCsv } from '../../shared/report-csv.js';
import { invoke } from './invoke.js';
import { CliError, printJson, table, unwrap } from './output.js';

const TABLES = ['period', 'model', 'customer', 'method'] as const;
type TableName = (typeof TABLES)[number];

interface Options {
  dataDir?: string;
  json?: boolean;
  csv?: boolean;
  from: string;
  to: string;
  by: 'day' | 'week' | 'month';
  table: TableName;
}

const figures = (f: PnlFigures) => [formatUsd(f.revenueMicro), formatUsd(f.upstreamCostMicro), formatUsd(f.profitMicro), f.revenueMicro ? `${marginPercent(f.profitMicro, f.revenueMicro)} %` : '-', String(f.requests), String(f.sales)];
const HEAD = ['REVENUE', 'UPSTREAM COST', 'PROFIT', 'MARGIN', 'REQUESTS', 'SALES'];

function rowsOf(r: PnlReport, which: TableName): { head: string; rows: { key: string; label: string; f: PnlFigures }[] } {
  if (which === 'period') return { head: r.granularity.toUpperCase() + ' (UTC)', rows: r.periods.map((p) => ({ key: p.key, label: p.key, f: p })) };
  const list = which === 'model' ? r.byModel : which === 'customer' ? r.byCustomer : r.byMethod;
  return { head: which.toUpperCase(), rows: list.map((b) => ({ key: b.key, label: b.label, f: b })) };
}

export function csvOf(r: PnlReport, which: TableName): string {
  if (which === 'period') return periodsCsv(r.periods, r.totals, r.from, r.to);
  if (which === 'model') return breakdownCsv('model', r.byModel, r.totals);
  if (which === 'customer') return breakdownCsv('customer_id', r.byCustomer, r.totals);
  return breakdownCsv('method', r.byMethod, r.totals);
}

export function addReportCommands(program: Command, withCommon: (c: Command) => Command): void {
  const report = program.command('report').description('profit and loss reports (UTC days)');
  withCommon(
    report
      .command('pnl')
      .description('revenue, upstream cost, profit and margin per UTC day, ISO week or month, or by model, customer or payment method')
      .requiredOption('--from <date>', 'first UTC day, YYYY-MM-DD')
      .requiredOption('--to <date>', 'last UTC day (included), YYYY-MM-DD; at most 400 days after --from')
      .addOption(new Option('--by <period>', 'period size').choices(['day', 'week', 'month']).default('day'))
      .addOption(new Option('--table <table>', 'which table to print').choices([...TABLES]).default('period'))
      .option('--csv', 'print the table as CSV (RFC 4180, amounts in USD with six decimals)'),
  ).action(async (o: Options) => {
    if (o.json && o.csv) throw new CliError('choose --json or --csv, not both', 2);
    const r = unwrap(await invoke(resolveDataDir(o.dataDir), 'reports.pnl', { from: o.from, to: o.to, granularity: o.by }));
    if (o.json) return printJson(r);
    if (o.csv) return void process.stdout.write(csvOf(r, o.table));
    const { head, rows } = rowsOf(r, o.table);
    console.log(`Profit and loss ${r.from} to ${r.to} (UTC days, both included)`);
    console.log(table([[head, ...HEAD], ...rows.map((x) => [x.label, ...figures(x.f)]), ['TOTAL', ...figures(r.totals)]]));
    console.log('Revenue = package sales + per-request charges from balances; allowance-paid requests count at the sale. See docs/reports.md.');
  });
}
