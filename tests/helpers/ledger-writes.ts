/** Ledger writes the write-behind tests queue by hand. */
import type { SqlOp } from '../../services/ledger/sql-ops.js';

/** A usage record with this id: a second one violates the primary key (a write that can never succeed). */
export function requestRecordOp(id: string): SqlOp {
  return [
    "INSERT INTO requests (id, at, key_id, customer_id, model, stream, status, outcome, prompt_tokens, completion_tokens, upstream_cost, charge, latency_ms) VALUES (?, '', 'k', 'c', 'm', 0, 0, 'ok', 0, 0, 0, 0, 0)",
    [id],
  ];
}
