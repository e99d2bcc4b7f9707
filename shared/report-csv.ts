/**
 * CSV of the P&L report tables, the one implementation for both sides: the Reports screen's
 * downloads (renderer/features/reports) and `arbdesk report pnl --csv` (services/cli). Exact:
 * amounts are integer µUSD written as decimal USD with six decimals ("12.345678",
 * "-0.500000") by integer arithmetic, never through a float; fields are quoted per RFC 4180
 * (a field holding a comma, a quote, CR or LF is wrapped in quotes, its quotes doubled) and
 * records end with CRLF.
 *
 * shared/ holds pure code both the sandboxed renderer and the services host may run: no Node
 * built-ins, no DOM, type-only imports of the contract (lint enforces it).
 */
import type { PnlBreakdownRow, PnlFigures, PnlPeriodRow } from '../services/contract-views.js';

/** 1_234_567 → "1.234567"; -500_000 → "-0.500000". Exact for any integer µUSD. */
export function microToDecimal(micro: number | bigint): string {
  let v = typeof micro === 'bigint' ? micro : BigInt(Math.round(Number.isFinite(micro) ? micro : 0));
  const negative = v < 0n;
  if (negative) v = -v;
  const text = `${v / 1_000_000n}.${(v % 1_000_000n).toString().padStart(6, '0')}`;
  return negative ? `-${text}` : text;
}

/**
 * Profit ÷ revenue in percent with one decimal, rounded half away from zero ("35.0", "-12.5");
 * empty when there was no revenue. Integer arithmetic only.
 */
export function marginPercent(profitMicro: number, revenueMicro: number): string {
  const revenue = BigInt(Math.round(revenueMicro));
  if (revenue === 0n) return '';
  const profit = BigInt(Math.round(profitMicro));
  const negative = profit < 0n !== revenue < 0n && profit !== 0n;
  const p = profit < 0n ? -profit : profit;
  const r = revenue < 0n ? -revenue : revenue;
  const tenths = (2n * p * 1000n + r) / (2n * r);
  const text = `${tenths / 10n}.${tenths % 10n}`;
  return negative && tenths !== 0n ? `-${text}` : text;
}

export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const FIGURE_COLUMNS = [
  'revenue_usd',
  'package_revenue_usd',
  'usage_revenue_usd',
  'upstream_cost_usd',
  'profit_usd',
  'margin_percent',
  'requests',
  'package_sales',
] as const;

function figureCells(f: PnlFigures): (string | number)[] {
  return [
    microToDecimal(f.revenueMicro),
    microToDecimal(f.packageRevenueMicro),
    microToDecimal(f.usageRevenueMicro),
    microToDecimal(f.upstreamCostMicro),
    microToDecimal(f.profitMicro),
    marginPercent(f.profitMicro, f.revenueMicro),
    f.requests,
    f.sales,
  ];
}

/** The periods table: `period,from_utc,to_utc,…`, one line per day/week/month, then the total. */
export function periodsCsv(rows: readonly PnlPeriodRow[], totals: PnlFigures, from: string, to: string): string {
  return toCsv(
    ['period', 'from_utc', 'to_utc', ...FIGURE_COLUMNS],
    [...rows.map((r) => [r.key, r.from, r.to, ...figureCells(r)]), ['total', from, to, ...figureCells(totals)]],
  );
}

/** A breakdown table: `<keyColumn>,label,…`, then the total. */
export function breakdownCsv(keyColumn: string, rows: readonly PnlBreakdownRow[], totals: PnlFigures): string {
  return toCsv([keyColumn, 'label', ...FIGURE_COLUMNS], [...rows.map((r) => [r.key, r.label, ...figureCells(r)]), ['total', '', ...figureCells(totals)]]);
}
