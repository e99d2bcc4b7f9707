/** The owner's quick figures for /stats, /token_stats and /report, from the ledger and usage records. */
import type { Db } from '../db/database.js';
import { formatUsd } from '../money/units.js';

export class OwnerReports {
  /** `beforeRead` writes the proxy's queued usage first (see UsageQueries). */
  constructor(
    private readonly db: Db,
    private readonly beforeRead: () => void = () => undefined,
  ) {}

  /** Revenue (usage + packages), upstream cost and profit since `since`. */
  money(since: string): { revenue: number; cost: number; profit: number } {
    this.beforeRead();
    const sum = (accountLike: string) =>
      (this.db
        .prepare(`SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.tx_id WHERE e.account LIKE ? AND t.at >= ?`)
        .pluck()
        .get(accountLike, since) as number);
    const revenue = -sum('revenue:%');
    const cost = sum('expense:upstream');
    return { revenue, cost, profit: revenue - cost };
  }

  stats(): string {
    this.beforeRead();
    const one = (sql: string, ...args: unknown[]) => this.db.prepare(sql).pluck().get(...args) as number;
    const day = new Date(Date.now() - 86_400_000).toISOString();
    const month = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const d = this.money(day);
    const m = this.money(month);
    return [
      '📊 Stats',
      `Customers: ${one('SELECT COUNT(*) FROM customers')} (active in 30 days: ${one('SELECT COUNT(DISTINCT customer_id) FROM requests WHERE at >= ?', month)})`,
      `Active keys: ${one("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", new Date().toISOString())}`,
      `Requests 24 h: ${one('SELECT COUNT(*) FROM requests WHERE at >= ?', day)}`,
      `24 h: revenue ${formatUsd(d.revenue)}, upstream ${formatUsd(d.cost)}, profit ${formatUsd(d.profit)}`,
      `30 days: revenue ${formatUsd(m.revenue)}, upstream ${formatUsd(m.cost)}, profit ${formatUsd(m.profit)}`,
      `Open invoices: ${one("SELECT COUNT(*) FROM invoices WHERE status IN ('new', 'processing')")} · open tickets: ${one("SELECT COUNT(*) FROM tickets WHERE status = 'open'")}`,
    ].join('\n');
  }

  tokenStats(): string {
    this.beforeRead();
    const rows = this.db
      .prepare(
        `SELECT model, COUNT(*) AS requests, SUM(prompt_tokens + completion_tokens) AS tokens, SUM(charge) AS charge, SUM(upstream_cost) AS cost
           FROM requests WHERE at >= ? GROUP BY model ORDER BY tokens DESC LIMIT 15`,
      )
      .all(new Date(Date.now() - 30 * 86_400_000).toISOString()) as { model: string; requests: number; tokens: number; charge: number; cost: number }[];
    const sold = this.db.prepare("SELECT COUNT(*) FROM orders WHERE kind = 'package' AND status = 'delivered'").pluck().get() as number;
    if (!rows.length) return `🤖 Token stats (30 days)\nNo proxy requests yet. Packages sold: ${sold}.`;
    return [
      '🤖 Token stats (30 days)',
      ...rows.map((r) => `${r.model}: ${r.tokens} tokens in ${r.requests} requests · charged ${formatUsd(r.charge)} · upstream ${formatUsd(r.cost)}`),
      `Packages sold: ${sold}`,
    ].join('\n');
  }

  today(): string {
    const start = new Date();
    start.setUTCHours(0, 0, 0, 0);
    const since = start.toISOString();
    const m = this.money(since);
    const one = (sql: string) => this.db.prepare(sql).pluck().get(since) as number;
    return [
      `📅 Today (UTC, since ${since.slice(0, 10)})`,
      `Revenue ${formatUsd(m.revenue)} · upstream ${formatUsd(m.cost)} · profit ${formatUsd(m.profit)}`,
      `Sales: ${one("SELECT COUNT(*) FROM orders WHERE status = 'delivered' AND delivered_at >= ?")} · new customers: ${one('SELECT COUNT(*) FROM customers WHERE created_at >= ?')}`,
      `Requests: ${one('SELECT COUNT(*) FROM requests WHERE at >= ?')} · support tickets opened: ${one('SELECT COUNT(*) FROM tickets WHERE created_at >= ?')}`,
    ].join('\n');
  }
}
