/**
 * Read side of the per-request records: recent requests (served ones from `requests`, refused
 * ones from `refused_requests`, migration 0009), totals per model of the served ones, and the
 * refusals counted by what the customer got.
 */
import type { ModelUsage, RefusedUsage, RequestView } from '../contract.js';
import type { Db } from '../db/database.js';

const SERVED_COLUMNS = `id, at, key_id AS keyId, customer_id AS customerId, model, stream, status, outcome,
  prompt_tokens AS promptTokens, completion_tokens AS completionTokens,
  upstream_cost AS upstreamCostMicro, charge AS chargeMicro, charge - upstream_cost AS profitMicro, latency_ms AS latencyMs, allowance_tokens AS allowanceTokens`;
// A refusal in the same shape: its code is the outcome, it cost nothing.
const REFUSED_COLUMNS = `id, at, key_id AS keyId, customer_id AS customerId, model, stream, status, code AS outcome,
  0 AS promptTokens, 0 AS completionTokens, 0 AS upstreamCostMicro, 0 AS chargeMicro, 0 AS profitMicro, latency_ms AS latencyMs, 0 AS allowanceTokens`;

export class UsageQueries {
  /**
   * `beforeRead` writes the proxy's queued usage first (Ledger.flush): records are written in
   * batches a few ms after a request, and a customer asking /usage right after one must see it.
   */
  constructor(
    private readonly db: Db,
    private readonly beforeRead: () => void = () => undefined,
  ) {}

  /** The newest `limit` requests, served and refused (each side limited first, so both use their (customer, at) index). */
  recent(customerId: string | undefined, limit: number): RequestView[] {
    this.beforeRead();
    const where = customerId ? 'WHERE customer_id = ?' : '';
    const side = (table: string, columns: string) => `SELECT * FROM (SELECT ${columns}, rowid AS seq FROM ${table} ${where} ORDER BY at DESC, rowid DESC LIMIT ?)`;
    const args = customerId ? [customerId, limit, customerId, limit, limit] : [limit, limit, limit];
    return this.db
      .prepare(`${side('requests', SERVED_COLUMNS)} UNION ALL ${side('refused_requests', REFUSED_COLUMNS)} ORDER BY at DESC, seq DESC LIMIT ?`)
      .all(...args)
      .map((r) => {
        const { seq: _seq, stream, ...row } = r as Omit<RequestView, 'stream'> & { seq: number; stream: number };
        return { ...row, stream: Boolean(stream) };
      });
  }

  /** Totals per model of the requests that were served (refusals cost nothing and are counted by refused()). */
  byModel(customerId: string | undefined): ModelUsage[] {
    this.beforeRead();
    const where = customerId ? 'WHERE customer_id = ?' : '';
    return this.db
      .prepare(
        `SELECT model, COUNT(*) AS requests, SUM(prompt_tokens) AS promptTokens, SUM(completion_tokens) AS completionTokens,
                SUM(charge) AS chargeMicro, SUM(upstream_cost) AS upstreamCostMicro, SUM(charge) - SUM(upstream_cost) AS profitMicro
           FROM requests ${where} GROUP BY model ORDER BY chargeMicro DESC`,
      )
      .all(...(customerId ? [customerId] : [])) as ModelUsage[];
  }

  /** Refused requests by status and error code, most frequent first. */
  refused(customerId: string | undefined): RefusedUsage[] {
    this.beforeRead();
    const where = customerId ? 'WHERE customer_id = ?' : '';
    return this.db
      .prepare(`SELECT status, code, COUNT(*) AS requests FROM refused_requests ${where} GROUP BY status, code ORDER BY requests DESC, status`)
      .all(...(customerId ? [customerId] : [])) as RefusedUsage[];
  }
}
