/**
 * Profit and loss from the books, in integer µUSD over UTC days.
 *
 * Where the money comes from (docs/reports.md says the same to the owner):
 *  - package revenue: the `revenue:packages` account of the ledger — a package sale is booked
 *    when the order is delivered (services/payments/fulfilment.ts) and a Stars refund books it
 *    back on the day of the refund (services/payments/refunds.ts);
 *  - usage revenue: `requests.charge`, what each proxy request took from the customer's prepaid
 *    balance (the part that exceeded the balance is uncollected and not revenue). A request paid
 *    from a token allowance has charge 0: the package sale already earned it, so it is never
 *    counted twice;
 *  - upstream cost: `requests.upstream_cost`, the same amount the meter books to
 *    `expense:upstream`, for every request whichever way it was paid.
 * Money received that is not yet spent (top-ups, manual credits) is a liability to the customer,
 * not revenue: it becomes revenue request by request.
 *
 * Each query aggregates per UTC day (or per model/customer/method over the range) in SQL and is
 * rolled up into weeks and months in code, so every bucket edge is exactly a UTC midnight.
 */
import type { PnlBreakdownRow, PnlFigures, PnlPeriodRow, PnlReport } from '../contract-views.js';
import type { Db } from '../db/database.js';
import { bucketsOf, dayAfterIso, dayStartIso, type Granularity } from './range.js';

const PACKAGE_REVENUE = 'revenue:packages';

export const ZERO: PnlFigures = { revenueMicro: 0, packageRevenueMicro: 0, usageRevenueMicro: 0, upstreamCostMicro: 0, profitMicro: 0, requests: 0, sales: 0 };

interface Part {
  key: string;
  pkg?: number;
  usage?: number;
  cost?: number;
  requests?: number;
  sales?: number;
}

function add(into: PnlFigures, p: Part): PnlFigures {
  const packageRevenueMicro = into.packageRevenueMicro + (p.pkg ?? 0);
  const usageRevenueMicro = into.usageRevenueMicro + (p.usage ?? 0);
  const upstreamCostMicro = into.upstreamCostMicro + (p.cost ?? 0);
  const revenueMicro = packageRevenueMicro + usageRevenueMicro;
  return {
    revenueMicro,
    packageRevenueMicro,
    usageRevenueMicro,
    upstreamCostMicro,
    profitMicro: revenueMicro - upstreamCostMicro,
    requests: into.requests + (p.requests ?? 0),
    sales: into.sales + (p.sales ?? 0),
  };
}

/** a + b, figure by figure. */
export function plus(a: PnlFigures, b: PnlFigures): PnlFigures {
  return add(a, { key: '', pkg: b.packageRevenueMicro, usage: b.usageRevenueMicro, cost: b.upstreamCostMicro, requests: b.requests, sales: b.sales });
}

function sumBy(parts: Part[]): Map<string, PnlFigures> {
  const out = new Map<string, PnlFigures>();
  for (const p of parts) out.set(p.key, add(out.get(p.key) ?? ZERO, p));
  return out;
}

export const METHOD_LABELS: Record<string, string> = {
  stars: 'Package sales — Telegram Stars',
  btc: 'Package sales — Bitcoin',
  eth: 'Package sales — Ether',
  balance: 'Per-request charges (prepaid balance)',
  allowance: 'Requests paid from token allowances',
  unknown: 'Package sales — method unknown',
};

export function methodLabel(method: string): string {
  if (method.startsWith('erc20:')) return `Package sales — ${method.slice('erc20:'.length).toUpperCase()} (ERC-20)`;
  return METHOD_LABELS[method] ?? method;
}

/**
 * Package revenue entries of the range, each with its order's customer, model and invoice
 * method. A sale names its order in its idempotency key (`order:<id>:sale`); a Stars refund names
 * the refunded payment (`refund:<outpoint>:sale`), whose invoice names the order.
 */
const PACKAGE_ROWS = `
  WITH pkg AS (
    SELECT t.at AS at, t.customer_id AS customer_id, -e.amount AS amount, t.kind AS kind,
           CASE
             WHEN t.idem_key LIKE 'order:%:sale' THEN substr(t.idem_key, 7, length(t.idem_key) - 11)
             WHEN t.idem_key LIKE 'refund:%:sale' THEN (
               SELECT i.order_id FROM payments p JOIN invoices i ON i.id = p.invoice_id
                WHERE p.outpoint = substr(t.idem_key, 8, length(t.idem_key) - 12))
           END AS order_id
      FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.tx_id
     WHERE e.account = '${PACKAGE_REVENUE}' AND t.at >= ? AND t.at < ?
  )
  SELECT pkg.at, pkg.customer_id AS customerId, pkg.amount, pkg.kind,
         COALESCE(p.model, '(no model)') AS model,
         COALESCE((SELECT i.method FROM invoices i WHERE i.order_id = pkg.order_id
                    ORDER BY (i.status = 'settled') DESC, i.created_at DESC LIMIT 1), 'unknown') AS method
    FROM pkg LEFT JOIN orders o ON o.id = pkg.order_id LEFT JOIN packages p ON p.id = o.package_id`;

interface PackageRow {
  at: string;
  customerId: string | null;
  amount: number;
  kind: string;
  model: string;
  method: string;
}

export class PnlQueries {
  private readonly packageRows;
  private readonly requestsByDay;
  private readonly requestsByModel;
  private readonly requestsByCustomer;
  private readonly requestsByMethod;
  private readonly customerNames;

  constructor(private readonly db: Db) {
    this.packageRows = db.prepare(PACKAGE_ROWS);
    const requests = (key: string) =>
      db.prepare(
        `SELECT ${key} AS key, COUNT(*) AS requests, COALESCE(SUM(charge), 0) AS usage, COALESCE(SUM(upstream_cost), 0) AS cost
           FROM requests WHERE at >= ? AND at < ? GROUP BY 1`,
      );
    this.requestsByDay = requests('substr(at, 1, 10)');
    this.requestsByModel = requests('model');
    this.requestsByCustomer = requests('customer_id');
    this.requestsByMethod = requests(`CASE WHEN allowance_tokens > 0 THEN 'allowance' ELSE 'balance' END`);
    this.customerNames = db.prepare('SELECT id, name FROM customers');
  }

  private packages(fromIso: string, toIso: string): PackageRow[] {
    return this.packageRows.all(fromIso, toIso) as PackageRow[];
  }

  private requestParts(stmt: { all: (...a: unknown[]) => unknown[] }, fromIso: string, toIso: string): Part[] {
    return (stmt.all(fromIso, toIso) as { key: string; requests: number; usage: number; cost: number }[]).map((r) => ({ key: r.key, usage: r.usage, cost: r.cost, requests: r.requests }));
  }

  private packageParts(rows: PackageRow[], keyOf: (r: PackageRow) => string): Part[] {
    return rows.map((r) => ({ key: keyOf(r), pkg: r.amount, sales: r.kind === 'sale' ? 1 : 0 }));
  }

  /** Figures per UTC day (`2026-03-01` → figures) of the events in [fromIso, toIso); days without any are absent. */
  daily(fromIso: string, toIso: string): Map<string, PnlFigures> {
    return sumBy([...this.packageParts(this.packages(fromIso, toIso), (r) => r.at.slice(0, 10)), ...this.requestParts(this.requestsByDay, fromIso, toIso)]);
  }

  /** The report of the UTC days `from`…`to` (both included), cut into days, ISO weeks or months. */
  report(from: string, to: string, granularity: Granularity, now: Date = new Date()): PnlReport {
    const fromIso = dayStartIso(from);
    const toIso = dayAfterIso(to);
    const pkgRows = this.packages(fromIso, toIso);

    const byDay = this.daily(fromIso, toIso);
    const periods: PnlPeriodRow[] = bucketsOf(from, to, granularity).map((b) => {
      const figures = b.days.reduce((f, day) => plus(f, byDay.get(day) ?? ZERO), ZERO);
      return { key: b.key, from: b.from, to: b.to, ...figures };
    });
    const totals = periods.reduce<PnlFigures>((t, p) => plus(t, p), ZERO);

    const names = new Map((this.customerNames.all() as { id: string; name: string }[]).map((c) => [c.id, c.name]));
    const rows = (m: Map<string, PnlFigures>, label: (key: string) => string): PnlBreakdownRow[] =>
      [...m.entries()]
        .map(([key, f]) => ({ key, label: label(key), ...f }))
        .sort((a, b) => b.revenueMicro - a.revenueMicro || b.upstreamCostMicro - a.upstreamCostMicro || a.label.localeCompare(b.label));

    return {
      from,
      to,
      granularity,
      generatedAt: now.toISOString(),
      totals,
      periods,
      byModel: rows(sumBy([...this.packageParts(pkgRows, (r) => r.model), ...this.requestParts(this.requestsByModel, fromIso, toIso)]), (k) => k),
      byCustomer: rows(
        sumBy([...this.packageParts(pkgRows, (r) => r.customerId ?? '(none)'), ...this.requestParts(this.requestsByCustomer, fromIso, toIso)]),
        (k) => names.get(k) ?? k,
      ),
      byMethod: rows(sumBy([...this.packageParts(pkgRows, (r) => r.method), ...this.requestParts(this.requestsByMethod, fromIso, toIso)]), methodLabel),
    };
  }
}
