/** Read side of the per-request usage records: recent requests and totals per model. */
import type { ModelUsage, RequestView } from '../contract.js';
import type { Db } from '../db/database.js';

export class UsageQueries {
  /**
   * `beforeRead` writes the proxy's queued usage first (Ledger.flush): records are written in
   * batches a few ms after a request, and a customer asking /usage right after one must see it.
   */
  constructor(
    private readonly db: Db,
    private readonly beforeRead: () => void = () => undefined,
  ) {}

  recent(customerId: string | undefined, limit: number): RequestView[] {
    this.beforeRead();
    const where = customerId ? 'WHERE customer_id = ?' : '';
    const args = customerId ? [customerId, limit] : [limit];
    return this.db
      .prepare(
        `SELECT id, at, key_id AS keyId, customer_id AS customerId, model, stream, status, outcome,
                prompt_tokens AS promptTokens, completion_tokens AS completionTokens,
                upstream_cost AS upstreamCostMicro, charge AS chargeMicro, charge - upstream_cost AS profitMicro, latency_ms AS latencyMs, allowance_tokens AS allowanceTokens
           FROM requests ${where} ORDER BY at DESC, rowid DESC LIMIT ?`,
      )
      .all(...args)
      .map((r) => ({ ...(r as RequestView), stream: Boolean((r as { stream: number }).stream) }));
  }

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
}
