/**
 * Reserve before forwarding, settle after: the money side of every proxied request.
 *
 * reserve() checks the customer's available balance and holds the request's maximum cost. The
 * hold lives in memory (Ledger.hold): the services host is the only writer and the check and
 * the hold run synchronously with nothing in between, so concurrent requests can never
 * overspend — and no SQLite commit sits on the request path. A hold still open after
 * PERSIST_AFTER_MS is written as a reservation row (with the next write-behind batch), so a
 * crash leaves a trace of each request that was in flight that long; reconcile() turns those
 * into `interrupted` records at start-up (nothing was taken from the customer, so nothing needs
 * giving back). Shorter requests cut off by a crash leave no record, like the settlements still
 * queued at that moment: writing and deleting a row for every short request would double the
 * database work of a busy proxy (docs/benchmarks.md), and real model calls run for seconds.
 *
 * settle() releases the hold, charges what the request actually cost (never taking the balance
 * below zero; anything beyond is booked as uncollected), books the upstream cost and queues the
 * request's one usage record in the same write as the posting — at most once per request (the
 * open hold is the idempotency guard).
 */
import type { ProxyRequestEvent } from '../contract.js';
import type { Db } from '../db/database.js';
import { Accounts, creditBalance } from '../ledger/accounts.js';
import type { Hold, Ledger } from '../ledger/ledger.js';
import type { SqlOp } from '../ledger/sql-ops.js';

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
  /** What reserve() returned for this request; without it the request is found by its id. */
  hold?: OpenHold;
  /** What the customer is charged, before the never-below-zero cap. */
  chargeMicro: number;
  upstreamCostMicro: number;
  /** When it settled (ISO 8601); now when not given. */
  at?: string;
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

// Written with the write-behind's batch (as SQL and values: the batch may be committed by the writer thread).
const INSERT_RESERVATION = 'INSERT INTO reservations (id, customer_id, key_id, amount, model, created_at, allowance_lot, tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const DELETE_RESERVATION = 'DELETE FROM reservations WHERE id = ?';
const INSERT_REQUEST = `INSERT INTO requests (id, at, key_id, customer_id, model, stream, status, outcome, prompt_tokens, completion_tokens, upstream_cost, charge, latency_ms, generation_id, allowance_tokens)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const INSERT_REFUSAL = 'INSERT INTO refused_requests (id, at, key_id, customer_id, model, stream, status, code, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * A chat request with a known key refused before anything was held or sent upstream: it costs
 * nothing. The fields of its live event (proxy.request); `outcome` is the OpenAI error code the
 * customer got (insufficient_balance, rate_limited, …), `model` '' when the body could not be read.
 */
export type Refusal = Pick<ProxyRequestEvent, 'requestId' | 'at' | 'keyId' | 'customerId' | 'model' | 'stream' | 'status' | 'outcome' | 'latencyMs'>;

/** How long a request must be in flight before its hold is written as a reservation row. */
export const PERSIST_AFTER_MS = 250;

/**
 * A request in flight with money or tokens held for it. reserve() returns it; settle() takes it
 * back (Settlement.hold), so settling a request is no look-up by id. The open holds are a list
 * linked through these objects, oldest first: a Map keyed by request id would be rebuilt by V8
 * in the old generation as requests come and go (see ledger/account-sums.ts).
 */
export interface OpenHold {
  requestId: string;
  customerId: string;
  keyId: string;
  model: string;
  amountMicro: number;
  lot: string | null;
  tokens: number;
  /** Date.now() at reserve. */
  createdAt: number;
  /** Its reservation row is queued (written with the next batch, unless it settles first). */
  rowQueued: boolean;
  /** Written as a reservation row (the hold outlived PERSIST_AFTER_MS). */
  persisted: boolean;
  /** Settled: the hold is given back and the request is off the list. */
  settled: boolean;
  ledgerHold: Hold;
  older: OpenHold | null;
  newer: OpenHold | null;
}

export class Meter {
  /** Open holds, oldest first (a list linked through OpenHold.older / .newer). */
  private oldest: OpenHold | null = null;
  private newest: OpenHold | null = null;
  private openCount = 0;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly deleteReservation;
  private readonly insertRequest;

  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly lots?: LotFinder,
  ) {
    this.deleteReservation = db.prepare(DELETE_RESERVATION);
    this.insertRequest = db.prepare(
      INSERT_REQUEST,
    );
  }

  /**
   * Holds what the request can cost: tokens from an allowance lot for this model when one holds
   * enough, else µUSD from the balance. Says what is available when neither covers it. The
   * request id must be new (chat-handler's nextRequestId): it becomes the reservation row's and
   * the usage record's primary key.
   */
  reserve(r: Reservation): { ok: true; via: 'allowance' | 'balance'; hold: OpenHold } | { ok: false; availableMicro: number; allowanceTokens: number } {
    const lot = r.tokens > 0 ? this.lots?.findLot(r.customerId, r.model, r.tokens) : undefined;
    if (lot) {
      const held = this.ledger.hold([
        { account: Accounts.lot(r.customerId, lot), amount: r.tokens },
        { account: Accounts.tokensHeld(r.customerId), amount: -r.tokens },
      ]);
      return { ok: true, via: 'allowance', hold: this.track(r, held, 0, lot, r.tokens) };
    }
    const availableMicro = creditBalance(this.ledger.balance(Accounts.available(r.customerId)));
    if (availableMicro < r.amountMicro || r.amountMicro <= 0) {
      return { ok: false, availableMicro, allowanceTokens: this.lots?.liveTokens(r.customerId, r.model) ?? 0 };
    }
    const held = this.ledger.hold([
      { account: Accounts.available(r.customerId), amount: r.amountMicro },
      { account: Accounts.held(r.customerId), amount: -r.amountMicro },
    ]);
    return { ok: true, via: 'balance', hold: this.track(r, held, r.amountMicro, null, 0) };
  }

  private track(r: Reservation, ledgerHold: Hold, amountMicro: number, lot: string | null, tokens: number): OpenHold {
    const hold: OpenHold = {
      requestId: r.requestId,
      customerId: r.customerId,
      keyId: r.keyId,
      model: r.model,
      amountMicro,
      lot,
      tokens,
      createdAt: Date.now(),
      rowQueued: false,
      persisted: false,
      settled: false,
      ledgerHold,
      older: this.newest,
      newer: null,
    };
    if (this.newest) this.newest.newer = hold;
    else this.oldest = hold;
    this.newest = hold;
    this.openCount += 1;
    if (!this.ledger.batching) this.persistLater(hold); // written at once (CLI, tests)
    else this.sweepTimer ??= setTimeout(this.sweep, PERSIST_AFTER_MS).unref();
    return hold;
  }

  private unlink(hold: OpenHold): void {
    if (hold.older) hold.older.newer = hold.newer;
    else this.oldest = hold.newer;
    if (hold.newer) hold.newer.older = hold.older;
    else this.newest = hold.older;
    hold.older = hold.newer = null;
    this.openCount -= 1;
  }

  /** The open hold of a request, for a caller that did not keep reserve()'s (walks the requests in flight). */
  private find(requestId: string): OpenHold | undefined {
    for (let h = this.oldest; h; h = h.newer) if (h.requestId === requestId) return h;
    return undefined;
  }

  /**
   * Queues the reservation row of holds that have been open PERSIST_AFTER_MS (one timer for all
   * of them). `open` holds only requests in flight, in the order they were reserved: the walk
   * stops at the first younger hold, so a sweep costs the requests in flight, and a short
   * request is never kept anywhere after it settles.
   */
  private readonly sweep = (): void => {
    this.sweepTimer = undefined;
    const now = Date.now();
    for (let hold = this.oldest; hold; hold = hold.newer) {
      const age = now - hold.createdAt;
      if (age < PERSIST_AFTER_MS) {
        this.sweepTimer = setTimeout(this.sweep, Math.max(1, PERSIST_AFTER_MS - age)).unref();
        return;
      }
      if (!hold.rowQueued) this.persistLater(hold);
    }
  };

  private persistLater(hold: OpenHold): void {
    hold.rowQueued = true;
    this.ledger.writeLater(`reservation ${hold.requestId}`, (out) => {
      // Settled before its batch was cut: no row (rowQueued keeps it from being queued twice).
      if (hold.settled) return;
      out.push([INSERT_RESERVATION, [hold.requestId, hold.customerId, hold.keyId, 0, hold.model, new Date(hold.createdAt).toISOString(), hold.lot, hold.tokens]]);
      hold.persisted = true;
    });
  }

  /** Settles once; a second call for the same request returns undefined and changes nothing. */
  settle(s: Settlement): SettledRequest | undefined {
    const held = s.hold ?? this.find(s.requestId);
    if (!held || held.settled) return undefined;
    held.settled = true;
    this.unlink(held);
    this.ledger.release(held.ledgerHold);
    const { customerId } = held;
    const at = s.at ?? new Date().toISOString();
    const writeRecord = (cost: number, charged: number, allowanceTokens: number) => (out: SqlOp[]) => {
      if (held.persisted) out.push([DELETE_RESERVATION, [s.requestId]]);
      const r = s.record;
      out.push([INSERT_REQUEST, [s.requestId, at, held.keyId, customerId, held.model, r.stream ? 1 : 0, r.status, r.outcome, r.promptTokens, r.completionTokens, cost, charged, r.latencyMs, r.generationId, allowanceTokens]]);
    };
    if (held.lot) return this.settleFromAllowance(s, { customerId, keyId: held.keyId, model: held.model, lot: held.lot }, writeRecord);
    const charge = Math.max(0, s.chargeMicro);
    // The hold is back; the customer pays from what they have, as far as it reaches.
    const availableMicro = creditBalance(this.ledger.balance(Accounts.available(customerId)));
    const charged = Math.min(charge, Math.max(0, availableMicro));
    const uncollected = charge - charged;
    const cost = Math.max(0, s.upstreamCostMicro);
    this.ledger.postLater(
      {
        kind: 'usage',
        customerId,
        memo: `${held.model} ${s.requestId}`,
        entries: [
          { account: Accounts.available(customerId), amount: charged },
          { account: Accounts.revenueUsage, amount: -charge },
          { account: Accounts.uncollected, amount: uncollected },
          { account: Accounts.expenseUpstream, amount: cost },
          { account: Accounts.upstreamPayable, amount: -cost },
        ],
      },
      writeRecord(cost, charged, 0),
      { label: held.model },
    );
    return { requestId: s.requestId, customerId, keyId: held.keyId, model: held.model, chargedMicro: charged, upstreamCostMicro: cost, profitMicro: charged - cost, uncollectedMicro: uncollected, allowanceTokens: 0 };
  }

  /** Queues the record of a refused request (refused_requests; written with the next batch, no money moves). */
  recordRefusal(r: Refusal): void {
    this.ledger.writeLater(`refused ${r.requestId}`, (out) => {
      out.push([INSERT_REFUSAL, [r.requestId, r.at, r.keyId, r.customerId, r.model, r.stream ? 1 : 0, r.status, r.outcome, r.latencyMs]]);
    });
  }

  /**
   * A request paid in tokens: the tokens used come off the lot (as far as the lot reaches; the
   * rest is booked as overrun), and the upstream cost is booked in µUSD. The package sale
   * already earned the revenue.
   */
  private settleFromAllowance(
    s: Settlement,
    held: { customerId: string; keyId: string; model: string; lot: string },
    writeRecord: (cost: number, charged: number, allowanceTokens: number) => (out: SqlOp[]) => void,
  ): SettledRequest {
    const { customerId, lot, model } = held;
    const used = s.record.promptTokens + s.record.completionTokens;
    const fromLot = Math.min(used, Math.max(0, this.lots?.remaining(customerId, lot) ?? 0));
    const cost = Math.max(0, s.upstreamCostMicro);
    if (cost) {
      this.ledger.postLater({
        kind: 'upstream_cost',
        customerId,
        memo: `${model} ${s.requestId}`,
        entries: [
          { account: Accounts.expenseUpstream, amount: cost },
          { account: Accounts.upstreamPayable, amount: -cost },
        ],
      }, undefined, { label: model });
    }
    this.ledger.postLater(
      {
        kind: 'usage_tokens',
        customerId,
        memo: `${model} ${s.requestId}`,
        entries: [
          { account: Accounts.lot(customerId, lot), amount: fromLot },
          { account: Accounts.tokensUsed(model), amount: -used },
          { account: Accounts.tokensOverrun(model), amount: used - fromLot },
        ],
      },
      writeRecord(cost, 0, used),
      { label: model },
    );
    return { requestId: s.requestId, customerId, keyId: held.keyId, model, chargedMicro: 0, upstreamCostMicro: cost, profitMicro: -cost, uncollectedMicro: 0, allowanceTokens: used };
  }

  /**
   * Start-up: a reservation row is a request that was in flight when the host stopped. Each
   * gets an `interrupted` record. Rows from versions that booked holds in the journal (a
   * `reserve` transaction) also get that hold given back. Returns how many were released.
   */
  reconcile(): number {
    this.ledger.flush();
    const left = this.db.prepare('SELECT id, customer_id AS customerId, key_id AS keyId, amount, model, allowance_lot AS lot, tokens FROM reservations').all() as {
      id: string;
      customerId: string;
      keyId: string;
      amount: number;
      model: string;
      lot: string | null;
      tokens: number;
    }[];
    const booked = this.db.prepare("SELECT 1 FROM ledger_transactions WHERE kind = 'reserve' AND memo = ? LIMIT 1").pluck();
    for (const row of left) {
      this.db.transaction(() => {
        if (booked.get(row.id)) this.releaseBookedHold(row);
        this.deleteReservation.run(row.id);
        this.insertRequest.run(row.id, new Date().toISOString(), row.keyId, row.customerId, row.model, 0, 0, 'interrupted', 0, 0, 0, 0, 0, null, 0);
      })();
    }
    return left.length;
  }

  private releaseBookedHold(row: { id: string; customerId: string; amount: number; lot: string | null; tokens: number }): void {
    const entries = row.lot
      ? [
          { account: Accounts.tokensHeld(row.customerId), amount: row.tokens },
          { account: Accounts.lot(row.customerId, row.lot), amount: -row.tokens },
        ]
      : [
          { account: Accounts.held(row.customerId), amount: row.amount },
          { account: Accounts.available(row.customerId), amount: -row.amount },
        ];
    this.ledger.post({ kind: 'release', customerId: row.customerId, memo: `interrupted ${row.id}`, entries });
  }

  /** Requests holding money or tokens right now. */
  openReservations(): number {
    return this.openCount;
  }
}
