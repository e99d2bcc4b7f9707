/**
 * Per-user flood control: a token bucket per Telegram user (`limit` updates, refilled evenly
 * over `windowSeconds`). The first update over the limit gets one "slow down" answer; later
 * ones are dropped silently until the bucket has refilled, so a flooding client cannot make
 * the bot flood Telegram in return.
 */
export interface FloodOptions {
  limit: number;
  windowSeconds: number;
  now?: () => number;
  /** Buckets idle this long are forgotten (memory stays bounded). */
  idleMs?: number;
}

export type FloodVerdict = 'ok' | 'warn' | 'drop';

interface Bucket {
  tokens: number;
  at: number;
  warned: boolean;
}

export class FloodControl {
  private readonly buckets = new Map<number, Bucket>();
  private readonly now: () => number;
  private readonly perMs: number;
  private lastSweep = 0;

  constructor(private readonly options: FloodOptions) {
    this.now = options.now ?? Date.now;
    this.perMs = options.limit / (options.windowSeconds * 1000);
  }

  check(userId: number): FloodVerdict {
    const now = this.now();
    this.sweep(now);
    let b = this.buckets.get(userId);
    if (!b) {
      b = { tokens: this.options.limit, at: now, warned: false };
      this.buckets.set(userId, b);
    }
    b.tokens = Math.min(this.options.limit, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      // A full token back means the user has slowed down: warn again next time.
      if (b.tokens >= 1) b.warned = false;
      return 'ok';
    }
    if (b.warned) return 'drop';
    b.warned = true;
    return 'warn';
  }

  private sweep(now: number): void {
    const idle = this.options.idleMs ?? 10 * 60_000;
    if (now - this.lastSweep < idle) return;
    this.lastSweep = now;
    for (const [id, b] of this.buckets) if (now - b.at > idle) this.buckets.delete(id);
  }
}
