/**
 * The double-entry journal in integer micro-USD. Every money movement is one transaction whose
 * entries sum to zero; balances are derived from the journal (account_balances is a cache of
 * SUM(entries) kept in the same SQLite transaction, checked by checkInvariants()).
 *
 * Anything that credits money from outside carries an idempotency key (payment id, Telegram
 * charge id, …): posting the same key twice returns the first transaction and changes nothing.
 *
 * The proxy's hot path uses two cheaper forms (see write-behind.ts): hold() keeps a request's
 * reservation in memory only (the host is the only writer, so memory is the truth while the
 * request runs), and postLater() queues a posting to be written with others in one commit.
 * balance() always includes both, so every check sees them at once.
 */
import type { Db } from '../db/database.js';
import { AccountSums } from './account-sums.js';
import { Accounts, creditBalance } from './accounts.js';
import { PostingBatch } from './posting-batch.js';
import { OpRunner, postingOps, type SqlOp } from './sql-ops.js';
import { WriteBehind, type QueuedWrite, type WriteBehindOptions } from './write-behind.js';

export interface Entry {
  account: string;
  amount: number;
}

/** Money or tokens set aside for one request in flight (Ledger.hold); given back with Ledger.release. */
export interface Hold {
  readonly entries: readonly Entry[];
  released: boolean;
}

export interface PostTx {
  kind: string;
  entries: Entry[];
  customerId?: string | undefined;
  memo?: string;
  actor?: string;
  idemKey?: string;
  at?: string;
}

export interface LedgerTx {
  id: number;
  at: string;
  kind: string;
  customerId: string | null;
  memo: string;
  actor: string;
  /** The change to the customer's available balance (positive = more to spend). */
  availableChange: number;
}

export class LedgerError extends Error {
  override name = 'LedgerError';
}

export class Ledger {
  /** Journals a posting on the host's connection: the same statements the write-behind sends (sql-ops.ts). */
  private readonly runner: OpRunner;
  private readonly lastTxId;
  private readonly getBalance;
  private readonly findIdem;
  private readonly later: WriteBehind;
  /** Holds of requests in flight: how many, and their sum per account. Never written. */
  private holdCount = 0;
  private readonly heldDelta = new AccountSums();
  /**
   * Committed balances read from SQLite, so a balance check on the request path is a map
   * look-up. Entries are dropped whenever this ledger writes the account, and filled only
   * outside a transaction — a balance read inside one may still be rolled back.
   */
  private readonly committed = new Map<string, number>();

  constructor(
    private readonly db: Db,
    writeBehind: WriteBehindOptions = { delayMs: 0 },
  ) {
    this.later = new WriteBehind(db, writeBehind);
    this.later.listener = {
      // Committed balances stay cached: the batch's changes move from pending into them.
      committed: (deltas) => {
        for (const e of deltas) {
          const cached = this.committed.get(e.account);
          if (cached !== undefined) this.committed.set(e.account, cached + e.amount);
        }
      },
      touched: (deltas) => {
        for (const e of deltas) this.committed.delete(e.account);
      },
    };
    this.runner = new OpRunner(db);
    this.lastTxId = db.prepare('SELECT MAX(id) FROM ledger_transactions').pluck();
    this.getBalance = db.prepare('SELECT balance FROM account_balances WHERE account = ?').pluck();
    this.findIdem = db.prepare('SELECT id FROM ledger_transactions WHERE idem_key = ?').pluck();
  }

  /**
   * Posts one balanced transaction. Must be called inside a db.transaction when combined with
   * other writes (better-sqlite3 nests it as a savepoint). Returns the tx id and whether it
   * was a duplicate of an earlier post with the same idempotency key.
   */
  post(tx: PostTx): { txId: number; duplicate: boolean } {
    if (tx.idemKey) {
      const existing = this.findIdem.get(tx.idemKey) as number | undefined;
      if (existing !== undefined) return { txId: existing, duplicate: true };
    }
    checkBalanced(tx.kind, tx.entries);
    return { txId: this.db.transaction(() => this.write(tx))(), duplicate: false };
  }

  /**
   * Queues a posting to be written with others in one commit (or at once when write-behind is
   * off); `alsoWrite` runs in the same transaction (the request's usage record). No idempotency
   * key: postings from outside money always go through post().
   */
  postLater(tx: Omit<PostTx, 'idemKey'>, alsoWrite?: (out: SqlOp[]) => void, merge?: { label: string }): void {
    checkBalanced(tx.kind, tx.entries);
    if (merge && this.later.batching) {
      this.mergeLater(tx, merge.label);
      if (alsoWrite) this.writeLater(`record ${tx.memo ?? ''}`, alsoWrite);
      return;
    }
    const at = tx.at ?? new Date().toISOString();
    this.later.enqueue({
      deltas: tx.entries,
      label: `${tx.kind} ${tx.memo ?? ''}`,
      ops: (out) => {
        postingOps(tx, at, out);
        alsoWrite?.(out);
      },
    });
  }

  /** Open merged postings of the batch being queued, by kind and customer. */
  private readonly merging = new Map<string, { batch: PostingBatch; item: QueuedWrite }>();

  /** Adds the posting to this batch's one transaction for its kind and customer. */
  private mergeLater(tx: Omit<PostTx, 'idemKey'>, label: string): void {
    const key = `${tx.kind}\u0000${tx.customerId ?? ''}`;
    let open = this.merging.get(key);
    if (!open) {
      const at = tx.at ?? new Date().toISOString();
      const batch = new PostingBatch(tx.kind, tx.customerId, at);
      const item: QueuedWrite = {
        deltas: [],
        label: `${tx.kind} batch`,
        ops: (out) => {
          // Closed once its batch is cut: later postings start the next batch's transaction.
          if (this.merging.get(key)?.batch === batch) this.merging.delete(key);
          const merged = batch.toTx();
          postingOps(merged, merged.at ?? at, out);
        },
      };
      open = { batch, item };
      this.merging.set(key, open);
      this.later.enqueue(item);
    }
    open.batch.add(tx.entries, label, tx.memo ?? '');
    this.later.addDeltas(open.item, tx.entries);
  }

  /** Queues a write that is not a posting (same batch, same order): `ops` appends its statements when the batch is cut. */
  writeLater(label: string, ops: (out: SqlOp[]) => void): void {
    this.later.enqueue({ deltas: [], label, ops });
  }

  /** Writes everything queued now (before reading the journal with SQL, and at shutdown). */
  flush(): number {
    return this.later.flush();
  }

  /** Writes everything queued and stops the writer thread (shutdown). */
  close(): Promise<void> {
    return this.later.close();
  }

  /** Whether postLater/writeLater wait for a batch (false: written at once). */
  get batching(): boolean {
    return this.later.batching;
  }

  /** Whether batches are committed by the writer thread (a database file with batching). */
  get threaded(): boolean {
    return this.later.threaded;
  }

  get queuedWrites(): number {
    return this.later.queued;
  }

  /**
   * Moves money (or tokens) aside for a request in flight, in memory only. The caller keeps the
   * returned hold to give it back (no table of holds by request id: see account-sums.ts).
   */
  hold(entries: readonly Entry[]): Hold {
    checkBalanced('hold', entries);
    this.holdCount += 1;
    this.applyHeld(entries, 1);
    return { entries, released: false };
  }

  /** Gives a hold back; false when it was given back already. */
  release(hold: Hold): boolean {
    if (hold.released) return false;
    hold.released = true;
    this.holdCount -= 1;
    this.applyHeld(hold.entries, -1);
    return true;
  }

  /** What holds in flight add to an account (0 when none). */
  heldOn(account: string): number {
    return this.heldDelta.get(account);
  }

  get openHolds(): number {
    return this.holdCount;
  }

  /** The journal's balance plus queued postings plus holds in flight. */
  balance(account: string): number {
    return this.committedBalance(account) + this.later.pendingDelta(account) + this.heldOn(account);
  }

  private committedBalance(account: string): number {
    const cached = this.committed.get(account);
    if (cached !== undefined) return cached;
    const value = this.later.readCommitted(account, () => (this.getBalance.get(account) as number | undefined) ?? 0);
    if (!this.db.inTransaction) this.committed.set(account, value);
    return value;
  }

  private write(tx: PostTx): number {
    const ops: SqlOp[] = [];
    postingOps(tx, tx.at ?? new Date().toISOString(), ops);
    this.runner.run(ops);
    for (const e of tx.entries) this.committed.delete(e.account);
    return this.lastTxId.get() as number;
  }

  private applyHeld(entries: readonly Entry[], sign: 1 | -1): void {
    for (const e of entries) this.heldDelta.add(e.account, sign * e.amount);
  }

  /** What the customer can spend now and what is held for requests in flight, in µUSD. */
  customerBalance(customerId: string): { availableMicro: number; heldMicro: number } {
    return { availableMicro: creditBalance(this.balance(Accounts.available(customerId))), heldMicro: creditBalance(this.balance(Accounts.held(customerId))) };
  }

  history(customerId: string, limit = 100): LedgerTx[] {
    this.flush();
    const avail = Accounts.available(customerId);
    return (
      this.db
        .prepare(
          `SELECT t.id, t.at, t.kind, t.customer_id AS customerId, t.memo, t.actor,
                  COALESCE(-SUM(CASE WHEN e.account = ? THEN e.amount END), 0) AS availableChange
             FROM ledger_transactions t JOIN ledger_entries e ON e.tx_id = t.id
            WHERE t.customer_id = ? AND t.kind NOT IN ('reserve')
            GROUP BY t.id ORDER BY t.id DESC LIMIT ?`,
        )
        .all(avail, customerId, limit) as LedgerTx[]
    );
  }

  /** The journal's invariants: each transaction balances, cached balances equal the journal. */
  checkInvariants(): string[] {
    this.flush();
    const problems: string[] = [];
    const unbalanced = this.db.prepare('SELECT tx_id, SUM(amount) AS s FROM ledger_entries GROUP BY tx_id HAVING s != 0').all() as { tx_id: number; s: number }[];
    for (const u of unbalanced) problems.push(`transaction ${u.tx_id} sums to ${u.s}`);
    const total = this.db.prepare('SELECT COALESCE(SUM(amount), 0) FROM ledger_entries').pluck().get() as number;
    if (total !== 0) problems.push(`journal sums to ${total}`);
    const drift = this.db
      .prepare(
        `SELECT b.account, b.balance, COALESCE(j.s, 0) AS journal FROM account_balances b
           LEFT JOIN (SELECT account, SUM(amount) AS s FROM ledger_entries GROUP BY account) j ON j.account = b.account
          WHERE b.balance != COALESCE(j.s, 0)`,
      )
      .all() as { account: string; balance: number; journal: number }[];
    for (const d of drift) problems.push(`cached balance of ${d.account} is ${d.balance}, journal says ${d.journal}`);
    const negative = this.db
      .prepare("SELECT account, balance FROM account_balances WHERE (account LIKE 'cust:%' OR account LIKE 'tok:cust:%') AND balance > 0")
      .all() as { account: string; balance: number }[];
    for (const n of negative) problems.push(`${n.account} is below zero (${-n.balance} µUSD)`);
    return problems;
  }
}

function checkBalanced(kind: string, entries: readonly Entry[]): void {
  let sum = 0;
  for (const e of entries) {
    if (!Number.isSafeInteger(e.amount)) throw new LedgerError(`ledger amounts are whole micro-USD; got ${e.amount} for ${e.account}`);
    sum += e.amount;
  }
  if (sum !== 0) throw new LedgerError(`unbalanced ${kind} transaction: entries sum to ${sum}`);
}
