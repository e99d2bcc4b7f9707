/**
 * How long refused requests are kept (`proxy.refusedRetentionDays`). A refusal costs nothing
 * and is written for the owner's view of what customers were told (400/402/403/404/413/429…),
 * but a client stuck in a retry loop on a 402 or 429 can send hundreds a second with a valid
 * key, and one row each would grow the database without end. Served requests (`requests`) are
 * the money's history and are never pruned.
 *
 * Rows older than the window are deleted in slices of PRUNE_SLICE through the write-behind (the
 * writer thread is the only writer; a slice keeps each batch short), again and again while older
 * rows are left, then once an hour.
 */
import type { Db } from '../db/database.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Logger } from '../log/logger.js';

export const PRUNE_SLICE = 10_000;
const HOURLY_MS = 60 * 60_000;
/** Between slices while older rows are left: the next batch has committed the last slice by then. */
const CATCH_UP_MS = 1_000;
const DAY_MS = 24 * 60 * 60_000;

const DELETE_SLICE = `DELETE FROM refused_requests WHERE rowid IN (SELECT rowid FROM refused_requests WHERE at < ? ORDER BY at LIMIT ${PRUNE_SLICE})`;

export class RefusalRetention {
  private timer: NodeJS.Timeout | undefined;
  private readonly countOlder;

  constructor(
    db: Db,
    private readonly ledger: Ledger,
    /** 0 keeps every refusal. */
    private readonly days: number,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.countOlder = db.prepare(`SELECT COUNT(*) FROM (SELECT 1 FROM refused_requests WHERE at < ? LIMIT ${PRUNE_SLICE})`).pluck();
  }

  start(): void {
    if (this.days > 0) this.prune();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Queues one slice of deletions when rows older than the window exist; returns how many it queued (at most PRUNE_SLICE). */
  prune(): number {
    this.timer = undefined;
    if (this.days <= 0) return 0;
    const cutoff = new Date(this.now() - this.days * DAY_MS).toISOString();
    const older = this.countOlder.get(cutoff) as number;
    if (older > 0) {
      this.ledger.writeLater('prune refused requests', (out) => out.push([DELETE_SLICE, [cutoff]]));
      this.logger?.info({ event: 'usage.refusals_pruned', rows: older, before: cutoff }, `deleting ${older} refused-request records older than ${this.days} days`);
    }
    // A full slice may leave more behind: come back soon (a crash in between loses nothing but time).
    this.schedule(older === PRUNE_SLICE ? CATCH_UP_MS : HOURLY_MS);
    return older;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.prune(), ms);
    this.timer.unref();
  }
}
