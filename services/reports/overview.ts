/**
 * The owner's overview: money of today / 7 / 30 UTC days, active customers, what waits for the
 * owner (pending invoices, open tickets), the upstream credit and the latest sales.
 *
 * The screen re-reads this every couple of seconds while requests flow, and it runs in the same
 * process as the proxy, so it must stay cheap however big the request table grows: the figures
 * and active customers of each past UTC day are read once and kept (a day is final a few minutes
 * after it ends — records are written in batches, a moment after their requests), and each call
 * scans only today (and yesterday, just after midnight).
 */
import type { OverviewView, PnlFigures, RecentSaleView } from '../contract-views.js';
import type { Db } from '../db/database.js';
import { plus, ZERO, type PnlQueries } from './pnl-queries.js';
import { dayAfterIso, dayOf, dayStartIso, daysOf } from './range.js';

const DAY_MS = 86_400_000;
export const ACTIVE_DAYS = 30;
export const RECENT_SALES = 10;
/** A UTC day's figures are taken as final this long after it ended. */
export const DAY_FINAL_AFTER_MS = 10 * 60_000;

export type UpstreamSummary = OverviewView['upstream'];

interface SaleRow {
  at: string;
  customerId: string;
  customerName: string | null;
  kind: 'package' | 'topup' | 'credit';
  what: string | null;
  amountMicro: number;
  method: string;
  invoiceId: string | null;
  flags: string | null;
}

export class OverviewQueries {
  private readonly active;
  /** Final past days: their figures and the customers active on them. */
  private readonly days = new Map<string, { figures: PnlFigures; active: Set<string> }>();
  private readonly counts;
  private readonly sales;

  constructor(
    db: Db,
    private readonly pnl: PnlQueries,
  ) {
    this.active = db.prepare(
      `SELECT substr(at, 1, 10) AS day, customer_id AS customerId FROM requests WHERE at >= ? AND at < ? GROUP BY 1, 2
       UNION SELECT substr(delivered_at, 1, 10), customer_id FROM orders WHERE status = 'delivered' AND delivered_at >= ? AND delivered_at < ?
       UNION SELECT substr(t.at, 1, 10), t.customer_id FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.tx_id
              WHERE e.account >= 'receipts:' AND e.account < 'receipts;' AND e.amount > 0 AND t.at >= ? AND t.at < ? AND t.customer_id IS NOT NULL`,
    );
    this.counts = db.prepare(
      `SELECT (SELECT COUNT(*) FROM customers) AS customers,
              (SELECT COUNT(*) FROM invoices WHERE status IN ('new', 'processing')) AS pendingInvoices,
              (SELECT COUNT(*) FROM tickets WHERE status = 'open') AS openTickets`,
    );
    this.sales = db.prepare(
      `SELECT * FROM (
         SELECT o.delivered_at AS at, o.customer_id AS customerId, c.name AS customerName, o.kind AS kind,
                CASE WHEN o.kind = 'topup' THEN 'Balance top-up' ELSE p.description END AS what,
                o.usd_micro AS amountMicro, COALESCE(i.method, 'unknown') AS method, i.id AS invoiceId, i.flags AS flags
           FROM orders o
           LEFT JOIN customers c ON c.id = o.customer_id
           LEFT JOIN packages p ON p.id = o.package_id
           LEFT JOIN invoices i ON i.id = (SELECT id FROM invoices WHERE order_id = o.id ORDER BY (status = 'settled') DESC, created_at DESC LIMIT 1)
          WHERE o.status = 'delivered'
          ORDER BY o.delivered_at DESC LIMIT ${RECENT_SALES}
       )
       UNION ALL
       SELECT * FROM (
         SELECT t.at, t.customer_id, c.name, 'credit', t.memo, e.amount, 'manual', NULL, NULL
           FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.tx_id LEFT JOIN customers c ON c.id = t.customer_id
          WHERE e.account = 'receipts:manual' AND t.kind = 'credit' AND e.amount > 0
          ORDER BY t.id DESC LIMIT ${RECENT_SALES}
       )
       ORDER BY at DESC LIMIT ${RECENT_SALES}`,
    );
  }

  /**
   * Per UTC day from `from` to `to`: figures and active customers. A customer is active on a day
   * with a proxy request, a delivered order (package or top-up) or money received into their
   * balance (a payment, or a credit the owner booked — found through the receipts accounts).
   */
  private read(from: string, to: string): Map<string, { figures: PnlFigures; active: Set<string> }> {
    const fromIso = dayStartIso(from);
    const toIso = dayAfterIso(to);
    const out = new Map(daysOf(from, to).map((d) => [d, { figures: ZERO, active: new Set<string>() }]));
    for (const [day, figures] of this.pnl.daily(fromIso, toIso)) {
      const entry = out.get(day);
      if (entry) entry.figures = figures;
    }
    for (const r of this.active.all(fromIso, toIso, fromIso, toIso, fromIso, toIso) as { day: string; customerId: string }[]) out.get(r.day)?.active.add(r.customerId);
    return out;
  }

  overview(now: Date, upstream: UpstreamSummary): OverviewView {
    const today = dayOf(now.getTime());
    const daysBack = (n: number) => dayOf(now.getTime() - (n - 1) * DAY_MS);
    const first = daysBack(ACTIVE_DAYS);
    const window = daysOf(first, today);
    const final = (day: string) => Date.parse(dayAfterIso(day)) + DAY_FINAL_AFTER_MS <= now.getTime();
    for (const day of this.days.keys()) if (day < first) this.days.delete(day);
    const missing = window.filter((d) => final(d) && !this.days.has(d));
    if (missing.length) for (const [day, v] of this.read(missing[0]!, missing[missing.length - 1]!)) if (final(day)) this.days.set(day, v);
    const open = window.filter((d) => !final(d));
    const live = open.length ? this.read(open[0]!, open[open.length - 1]!) : new Map<string, { figures: PnlFigures; active: Set<string> }>();
    const dayOfWindow = (d: string) => this.days.get(d) ?? live.get(d) ?? { figures: ZERO, active: new Set<string>() };

    const periods = ([
      ['today', 1],
      ['7d', 7],
      ['30d', 30],
    ] as const).map(([id, n]) => {
      const from = daysBack(n);
      return { id, from, to: today, figures: window.filter((d) => d >= from).reduce((f, d) => plus(f, dayOfWindow(d).figures), ZERO) };
    });
    const active = new Set<string>();
    for (const d of window) for (const c of dayOfWindow(d).active) active.add(c);
    const counts = this.counts.get() as { customers: number; pendingInvoices: number; openTickets: number };
    return {
      generatedAt: now.toISOString(),
      periods,
      activeCustomers: active.size,
      totalCustomers: counts.customers,
      pendingInvoices: counts.pendingInvoices,
      openTickets: counts.openTickets,
      upstream,
      recentSales: (this.sales.all() as SaleRow[]).map(toSale),
    };
  }
}

function toSale(r: SaleRow): RecentSaleView {
  return {
    at: r.at,
    customerId: r.customerId,
    customerName: r.customerName ?? r.customerId,
    kind: r.kind,
    what: r.what || (r.kind === 'credit' ? 'Credit added by you' : r.kind === 'topup' ? 'Balance top-up' : 'Package'),
    amountMicro: r.amountMicro,
    method: r.method,
    invoiceId: r.invoiceId,
    refunded: (r.flags ?? '').split(',').includes('refunded'),
  };
}
