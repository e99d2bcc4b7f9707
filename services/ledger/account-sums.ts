/**
 * A running sum per account that keeps going back to zero: what holds in flight add to an
 * account (Ledger), what queued postings add to it (WriteBehind). Both change on every proxied
 * request.
 *
 * A zero is kept rather than deleted. Deleting a key of a long-lived Map and adding it again a
 * moment later makes V8 rebuild the Map's table, and a table that has reached the old
 * generation is rebuilt there: old-generation garbage for every request, which only a full
 * (mark-compact) collection frees — and those pauses were the proxy's slowest requests
 * (docs/benchmarks.md, "The 0 ms p99 tail"). Zeros are swept out only once there are many, so
 * the map stays about the size of the accounts in use.
 */
const SWEEP_ABOVE = 4096;

export class AccountSums {
  private readonly sums = new Map<string, number>();
  /** Sweep again only once the map has doubled since the last sweep (the accounts in use may be many). */
  private sweepAt = SWEEP_ABOVE;

  get(account: string): number {
    return this.sums.get(account) ?? 0;
  }

  add(account: string, delta: number): void {
    this.sums.set(account, (this.sums.get(account) ?? 0) + delta);
    if (this.sums.size > this.sweepAt) this.sweep();
  }

  private sweep(): void {
    for (const [account, sum] of this.sums) if (sum === 0) this.sums.delete(account);
    this.sweepAt = Math.max(SWEEP_ABOVE, 2 * this.sums.size);
  }
}
