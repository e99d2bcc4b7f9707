/**
 * Reserve before forwarding, settle after: the money side of every proxied request.
 *
 * reserve() checks the customer's available balance and moves the request's maximum cost to
 * `held` in one SQLite transaction (better-sqlite3 is synchronous, so no other request can
 * interleave between the check and the hold: concurrent requests can never overspend).
 * settle() releases the hold, charges what the request actually cost (never taking the
 * balance below zero; anything beyond is booked as uncollected), books the upstream cost, and
 * writes the request's one usage record — all in one transaction, and at most once per request
 * (the reservation row is the idempotency guard). reconcile() releases holds left by a crash.
 */
import type { Db } from '../db/database.js';
import { Accounts, creditBalance } from '../ledger/accounts.js';
import type { Ledger } from '../ledger/ledger.js';

export interface Reservation {
  requestId: string;
  customerId: string;
  keyId: string;
  model: string;
  /** The most the request can cost in µUSD (when paid from the balance). */
  amountMicro: number;
  /** The most tokens it can use (when paid from a token allowance for this model). */
  tokens: number;
}

/** Finds the allowance lot a request can be paid from (services/allowances). */
export interface LotFinder {
  findLot(customerId: string, model: string, tokens: number): string | undefined;
  remaining(customerId: string, lotId: string): number;
  liveTokens(customerId: string, model: string): number;
}

export interface Settlement {
  requestId: string;
  /** What the customer is charged, before the never-below-zero cap. */
  chargeMicro: number;
  upstreamCostMicro: number;
  record: {
    stream: boolean;
    status: number;
    outcome: 'ok' | 'upstream_error' | 'client_aborted' | 'timeout' | 'interrupted';
    promptTokens: number;
    completionTokens: number;
    latencyMs: number;
    generationId: string | null;
  };
}

export interface SettledRequest {
  requestId: string;
  customerId: string;
  keyId: string;
  model: string;
  chargedMicro: number;
  upstreamCostMicro: number;
  profitMicro: number;
  uncollectedMicro: number;
  /** Tokens taken from an allowance (0 when paid from the balance). */
  allowanceTokens: number;
}

export class Meter {
  private readonly available;
  private readonly insertReservation;
  private readonly takeReservation;
  private readonly insertRequest;

  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly lots?: LotFinder,
  ) {
    this.available = db.prepare('SELECT balance FROM account_balances WHERE account = ?').pluck();
    this.insertReservation = db.prepare('INSERT INTO reservations (id, customer_id, key_id, amount, model, created_at, allowance_lot, tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.takeReservation = db.prepare(
      'DELETE FROM reservations WHERE id = ? RETURNING id, customer_id AS customerId, key_id AS keyId, amount, model, allowance_lot AS lot, tokens',
    );
    this.insertRequest = db.prepare(
      `INSERT INTO requests (id, at, key_id, customer_id, model, stream, status, outcome, prompt_tokens, completion_tokens, upstream_cost, charge, latency_ms, generation_id, allowance_tokens)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /**
   * Holds what the request can cost: tokens from an allowance lot for this model when one holds
   * enough, else µUSD from the balance. Says what is available when neither covers it.
   */
  reserve(r: Reservation): { ok: true; via: 'allowance' | 'balance' } | { ok: false; availableMicro: number; allowanceTokens: number } {
    return this.db.transaction(() => {
      const lot = r.tokens > 0 ? this.lots?.findLot(r.customerId, r.model, r.tokens) : undefined;
      if (lot) {
        this.insertReservation.run(r.requestId, r.customerId, r.keyId, 0, r.model, new Date().toISOString(), lot, r.tokens);
        this.ledger.post({
          kind: 'reserve',
          customerId: r.customerId,
          entries: [
            { account: Accounts.lot(r.customerId, lot), amount: r.tokens },
            { account: Accounts.tokensHeld(r.customerId), amount: -r.tokens },
          ],
          memo: r.requestId,
        });
        return { ok: true as const, via: 'allowance' as const };
      }
      const availableMicro = creditBalance((this.available.get(Accounts.available(r.customerId)) as number | undefined) ?? 0);
      if (availableMicro < r.amountMicro || r.amountMicro <= 0) {
        return { ok: false as const, availableMicro, allowanceTokens: this.lots?.liveTokens(r.customerId, r.model) ?? 0 };
      }
      this.insertReservation.run(r.requestId, r.customerId, r.keyId, r.amountMicro, r.model, new Date().toISOString(), null, 0);
      this.ledger.post({
        kind: 'reserve',
        customerId: r.customerId,
        entries: [
          { account: Accounts.available(r.customerId), amount: r.amountMicro },
          { account: Accounts.held(r.customerId), amount: -r.amountMicro },
        ],
        memo: r.requestId,
      });
      return { ok: true as const, via: 'balance' as const };
    })();
  }

  /** Settles once; a second call for the same request returns undefined and changes nothing. */
  settle(s: Settlement): SettledRequest | undefined {
    return this.db.transaction(() => {
      const held = this.takeReservation.get(s.requestId) as
        | { customerId: string; keyId: string; amount: number; model: string; lot: string | null; tokens: number }
        | undefined;
      if (!held) return undefined;
      const { customerId } = held;
      if (held.lot) return this.settleFromAllowance(s, { ...held, lot: held.lot });
      const reserved = held.amount;
      const charge = Math.max(0, s.chargeMicro);
      let fromAvailable = 0;
      let uncollected = 0;
      if (charge > reserved) {
        const availableMicro = creditBalance((this.available.get(Accounts.available(customerId)) as number | undefined) ?? 0);
        fromAvailable = Math.min(charge - reserved, Math.max(0, availableMicro));
        uncollected = charge - reserved - fromAvailable;
      }
      const charged = charge - uncollected;
      const cost = Math.max(0, s.upstreamCostMicro);
      this.ledger.post({
        kind: 'usage',
        customerId,
        memo: `${held.model} ${s.requestId}`,
        entries: [
          { account: Accounts.held(customerId), amount: reserved },
          // Unused hold goes back to the customer; an overrun beyond the hold is taken from what they have left.
          { account: Accounts.available(customerId), amount: charge <= reserved ? -(reserved - charge) : fromAvailable },
          { account: Accounts.revenueUsage, amount: -charge },
          { account: Accounts.uncollected, amount: uncollected },
          { account: Accounts.expenseUpstream, amount: cost },
          { account: Accounts.upstreamPayable, amount: -cost },
        ],
      });
      this.insertRequest.run(
        s.requestId,
        new Date().toISOString(),
        held.keyId,
        customerId,
        held.model,
        s.record.stream ? 1 : 0,
        s.record.status,
        s.record.outcome,
        s.record.promptTokens,
        s.record.completionTokens,
        cost,
        charged,
        s.record.latencyMs,
        s.record.generationId,
        0,
      );
      return { requestId: s.requestId, customerId, keyId: held.keyId, model: held.model, chargedMicro: charged, upstreamCostMicro: cost, profitMicro: charged - cost, uncollectedMicro: uncollected, allowanceTokens: 0 };
    })();
  }

  /**
   * A request paid in tokens: the hold goes back, the tokens used come off the lot (any overrun
   * beyond the hold too, as far as the lot reaches; the rest is booked as overrun), and the
   * upstream cost is booked in µUSD. The package sale already earned the revenue.
   */
  private settleFromAllowance(
    s: Settlement,
    held: { customerId: string; keyId: string; model: string; lot: string; tokens: number },
  ): SettledRequest {
    const { customerId, lot, tokens: reserved, model } = held;
    const used = s.record.promptTokens + s.record.completionTokens;
    let lotChange: number;
    let overrun = 0;
    if (used <= reserved) lotChange = -(reserved - used);
    else {
      const extra = Math.min(used - reserved, this.lots?.remaining(customerId, lot) ?? 0);
      lotChange = extra;
      overrun = used - reserved - extra;
    }
    this.ledger.post({
      kind: 'usage_tokens',
      customerId,
      memo: `${model} ${s.requestId}`,
      entries: [
        { account: Accounts.tokensHeld(customerId), amount: reserved },
        { account: Accounts.lot(customerId, lot), amount: lotChange },
        { account: Accounts.tokensUsed(model), amount: -used },
        { account: Accounts.tokensOverrun(model), amount: overrun },
      ],
    });
    const cost = Math.max(0, s.upstreamCostMicro);
    if (cost) {
      this.ledger.post({
        kind: 'upstream_cost',
        customerId,
        memo: `${model} ${s.requestId}`,
        entries: [
          { account: Accounts.expenseUpstream, amount: cost },
          { account: Accounts.upstreamPayable, amount: -cost },
        ],
      });
    }
    const r = s.record;
    this.insertRequest.run(s.requestId, new Date().toISOString(), held.keyId, customerId, model, r.stream ? 1 : 0, r.status, r.outcome, r.promptTokens, r.completionTokens, cost, 0, r.latencyMs, r.generationId, used);
    return { requestId: s.requestId, customerId, keyId: held.keyId, model, chargedMicro: 0, upstreamCostMicro: cost, profitMicro: -cost, uncollectedMicro: 0, allowanceTokens: used };
  }

  /** Releases every hold left by a crash (start-up). Returns how many were released. */
  reconcile(): number {
    const left = this.db.prepare('SELECT id FROM reservations').pluck().all() as string[];
    for (const id of left) {
      this.settle({
        requestId: id,
        chargeMicro: 0,
        upstreamCostMicro: 0,
        record: { stream: false, status: 0, outcome: 'interrupted', promptTokens: 0, completionTokens: 0, latencyMs: 0, generationId: null },
      });
    }
    return left.length;
  }

  openReservations(): number {
    return this.db.prepare('SELECT COUNT(*) FROM reservations').pluck().get() as number;
  }
}
