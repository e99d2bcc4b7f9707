/**
 * Per-model token allowances: lots of N tokens for one model, each with its own expiry, granted
 * by a token package or by the owner. Spending is done by the meter (a request on a model the
 * customer holds enough allowance for is paid in tokens, not dollars); this module grants,
 * lists, finds the lot to spend from, and expires what is past its date.
 */
import type { AllowanceView } from '../contract.js';
import { newId } from '../customers/customers.js';
import type { Db } from '../db/database.js';
import { Accounts, creditBalance } from '../ledger/accounts.js';
import type { Ledger } from '../ledger/ledger.js';

export interface Grant {
  customerId: string;
  model: string;
  tokens: number;
  /** null: never expires. */
  validityDays: number | null;
  source: string;
  memo?: string;
  actor?: string;
  /** Grants from a payment pass its identity so a replay grants once. */
  idemKey?: string;
}

interface LotRow {
  id: string;
  customer_id: string;
  model: string;
  tokens: number;
  expires_at: string | null;
  expired_at: string | null;
  created_at: string;
  source: string;
}

export class Allowances {
  private readonly lotsFor;

  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
  ) {
    this.lotsFor = db.prepare(
      `SELECT id, expires_at FROM allowance_lots
        WHERE customer_id = ? AND model = ? AND expired_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
        ORDER BY expires_at IS NULL, expires_at, created_at`,
    );
  }

  grant(g: Grant): { lotId: string; duplicate: boolean } {
    if (!Number.isSafeInteger(g.tokens) || g.tokens <= 0) throw new RangeError('tokens must be a positive whole number');
    return this.db.transaction(() => {
      const lotId = newId('lot');
      const now = new Date();
      const expiresAt = g.validityDays ? new Date(now.getTime() + g.validityDays * 86_400_000).toISOString() : null;
      const posted = this.ledger.post({
        kind: 'allowance_grant',
        customerId: g.customerId,
        memo: g.memo ?? `${g.tokens} tokens of ${g.model}`,
        actor: g.actor ?? 'system',
        ...(g.idemKey ? { idemKey: g.idemKey } : {}),
        entries: [
          { account: Accounts.tokensIssued(g.model), amount: g.tokens },
          { account: Accounts.lot(g.customerId, lotId), amount: -g.tokens },
        ],
      });
      if (posted.duplicate) {
        const existing = this.db.prepare("SELECT id FROM allowance_lots WHERE source = ?").pluck().get(`tx:${posted.txId}`) as string | undefined;
        return { lotId: existing ?? '', duplicate: true };
      }
      this.db
        .prepare('INSERT INTO allowance_lots (id, customer_id, model, tokens, expires_at, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(lotId, g.customerId, g.model, g.tokens, expiresAt, `tx:${posted.txId}`, now.toISOString());
      this.withLots = undefined;
      return { lotId, duplicate: false };
    })();
  }

  /** What is left of a lot for new requests (tokens held by requests in flight excluded). */
  remaining(customerId: string, lotId: string): number {
    return creditBalance(this.ledger.balance(Accounts.lot(customerId, lotId)));
  }

  /** Customers with at least one lot not yet expired; refreshed on grant and expiry (hot-path guard). */
  private withLots: Set<string> | undefined;

  private hasLots(customerId: string): boolean {
    this.withLots ??= new Set(this.db.prepare('SELECT DISTINCT customer_id FROM allowance_lots WHERE expired_at IS NULL').pluck().all() as string[]);
    return this.withLots.has(customerId);
  }

  /** The lot to spend `tokens` from: the soonest-expiring live lot that holds them all. */
  findLot(customerId: string, model: string, tokens: number, now = new Date()): string | undefined {
    if (!this.hasLots(customerId)) return undefined;
    for (const lot of this.lotsFor.all(customerId, model, now.toISOString()) as { id: string }[]) {
      if (this.remaining(customerId, lot.id) >= tokens) return lot.id;
    }
    return undefined;
  }

  /** Live tokens for a model (all lots), for a 402 message. */
  liveTokens(customerId: string, model: string, now = new Date()): number {
    return (this.lotsFor.all(customerId, model, now.toISOString()) as { id: string }[]).reduce((sum, l) => sum + this.remaining(customerId, l.id), 0);
  }

  list(customerId: string, now = new Date()): AllowanceView[] {
    const rows = this.db.prepare('SELECT * FROM allowance_lots WHERE customer_id = ? ORDER BY created_at').all(customerId) as LotRow[];
    return rows.map((r) => ({
      lotId: r.id,
      model: r.model,
      grantedTokens: r.tokens,
      remainingTokens: this.remaining(customerId, r.id),
      expiresAt: r.expires_at,
      expired: r.expired_at !== null || (r.expires_at !== null && r.expires_at <= now.toISOString()),
      createdAt: r.created_at,
    }));
  }

  /** Books what is left of lots past their expiry as expired. Returns how many lots expired. */
  expire(now = new Date()): number {
    const due = this.db
      .prepare('SELECT * FROM allowance_lots WHERE expired_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?')
      .all(now.toISOString()) as LotRow[];
    for (const lot of due) {
      this.db.transaction(() => {
        // A lot with tokens held by a request in flight expires after that request settles.
        if (this.ledger.heldOn(Accounts.lot(lot.customer_id, lot.id)) !== 0) return;
        const left = this.remaining(lot.customer_id, lot.id);
        if (left > 0) {
          this.ledger.post({
            kind: 'allowance_expire',
            customerId: lot.customer_id,
            memo: `${left} tokens of ${lot.model} expired`,
            entries: [
              { account: Accounts.lot(lot.customer_id, lot.id), amount: left },
              { account: Accounts.tokensExpired(lot.model), amount: -left },
            ],
          });
        }
        this.db.prepare('UPDATE allowance_lots SET expired_at = ? WHERE id = ?').run(now.toISOString(), lot.id);
      })();
    }
    if (due.length) this.withLots = undefined;
    return due.length;
  }
}
