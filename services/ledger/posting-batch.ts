/**
 * Usage postings of one customer queued in the same write-behind batch become one journal
 * transaction ("usage: 14 requests (gpt-4o ×12, claude-3 ×2)") instead of one per request:
 * a busy customer then costs a handful of journal rows per batch, not per request. Each
 * request keeps its own usage record (the `requests` table) with its charge, cost and tokens;
 * the journal carries the sums, which is what balances derive from.
 */
import type { Entry, PostTx } from './ledger.js';

export class PostingBatch {
  private readonly sums = new Map<string, number>();
  private readonly labels = new Map<string, number>();
  private count = 0;
  private memo = '';

  constructor(
    readonly kind: string,
    readonly customerId: string | undefined,
    readonly at: string,
  ) {}

  add(entries: readonly Entry[], label: string, memo: string): void {
    for (const e of entries) this.sums.set(e.account, (this.sums.get(e.account) ?? 0) + e.amount);
    this.labels.set(label, (this.labels.get(label) ?? 0) + 1);
    this.count += 1;
    this.memo = memo;
  }

  /** The one transaction this batch writes. */
  toTx(): PostTx {
    const what = [...this.labels].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join(', ');
    return {
      kind: this.kind,
      customerId: this.customerId,
      at: this.at,
      memo: this.count === 1 ? this.memo : `${this.count} requests (${what})`,
      entries: [...this.sums].map(([account, amount]) => ({ account, amount })),
    };
  }
}
