/**
 * Slows key guessing: an address that sends more than `maxFailures` requests with a missing or
 * wrong key within a minute gets 429 until the minute is over. In memory, bounded.
 */
export class AuthFailureGuard {
  private readonly failures = new Map<string, { count: number; windowStart: number }>();

  constructor(
    private readonly maxFailures = 30,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait when the address is blocked, else 0. */
  blockedFor(ip: string): number {
    const f = this.failures.get(ip);
    if (!f) return 0;
    const elapsed = this.now() - f.windowStart;
    if (elapsed >= this.windowMs) {
      this.failures.delete(ip);
      return 0;
    }
    return f.count >= this.maxFailures ? Math.ceil((this.windowMs - elapsed) / 1000) : 0;
  }

  fail(ip: string): void {
    const now = this.now();
    const f = this.failures.get(ip);
    if (!f || now - f.windowStart >= this.windowMs) {
      if (this.failures.size > 100_000) this.failures.clear();
      this.failures.set(ip, { count: 1, windowStart: now });
    } else f.count += 1;
  }
}
