/**
 * The owner's overview: money of today / 7 / 30 UTC days, active customers, what waits for the
 * owner (pending invoices, open tickets), the upstream credit and the latest sales. Read-only
 * queries, cheap enough to re-run every couple of seconds while the Overview screen is open.
 */
import type { OverviewView, RecentSaleView } from '../contract-views.js';
import type { Db } from '../db/database.js';
import type { PnlQueries } from './pnl-queries.js';
import { dayAfterIso, dayOf, dayStartIso } from './range.js';

const DAY_MS = 86_400_000;
export const ACTIVE_DAYS = 30;
export const RECENT_SALES = 10;

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
  private readonly counts;
  private readonly sales;

  constructor(
    db: Db,
    private readonly pnl: PnlQueries,
  ) {
    // A purchase is a delivered order; a credit is money received into the balance (a payment or
    // the owner's manual credit), found through the receipts accounts' index.
    this.active = db
      .prepare(
        `SELECT COUNT(*) FROM (
           SELECT customer_id FROM requests WHERE at >= ?
           UNION SELECT customer_id FROM orders WHERE status = 'delivered' AND delivered_at >= ?
           UNION SELECT t.customer_id FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.tx_id
                  WHERE e.account >= 'receipts:' AND e.account < 'receipts;' AND e.amount > 0 AND t.at >= ? AND t.customer_id IS NOT NULL
         )`,
      )
      .pluck();
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

  overview(now: Date, upstream: UpstreamSummary): OverviewView {
    const today = dayOf(now.getTime());
    const end = dayAfterIso(today);
    const daysBack = (n: number) => dayOf(now.getTime() - (n - 1) * DAY_MS);
    const periods = ([
      ['today', 1],
      ['7d', 7],
      ['30d', 30],
    ] as const).map(([id, n]) => ({ id, from: daysBack(n), to: today, figures: this.pnl.totals(dayStartIso(daysBack(n)), end) }));
    const since = dayStartIso(daysBack(ACTIVE_DAYS));
    const counts = this.counts.get() as { customers: number; pendingInvoices: number; openTickets: number };
    return {
      generatedAt: now.toISOString(),
      periods,
      activeCustomers: this.active.get(since, since, since) as number,
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
