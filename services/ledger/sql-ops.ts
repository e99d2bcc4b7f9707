/**
 * Ledger writes as data: each write becomes a list of SQL statements with their parameters, so
 * a write-behind batch can be committed by the writer thread on its own connection
 * (write-worker.ts) as well as on the host's (Ledger.post, batching off, an in-memory
 * database). Plain SQL and plain values only: the list is copied to the thread as is.
 */
import type { Db } from '../db/database.js';
import type { PostTx } from './ledger.js';

/** One statement and its parameters. */
export type SqlOp = [sql: string, params: unknown[]];

const INSERT_TX = 'INSERT INTO ledger_transactions (at, kind, customer_id, memo, actor, idem_key) VALUES (?, ?, ?, ?, ?, ?)';
// The transaction just inserted has the highest id: whoever runs these holds the write lock.
const INSERT_ENTRY = 'INSERT INTO ledger_entries (tx_id, account, amount) VALUES ((SELECT MAX(id) FROM ledger_transactions), ?, ?)';
const BUMP_BALANCE =
  'INSERT INTO account_balances (account, balance) VALUES (?, ?) ON CONFLICT (account) DO UPDATE SET balance = balance + excluded.balance';
export const SET_BATCH = 'UPDATE write_behind_state SET batch = ? WHERE id = 1';

/** The statements that journal one posting — Ledger.post's and the write-behind's alike. */
export function postingOps(tx: PostTx, at: string, out: SqlOp[]): void {
  out.push([INSERT_TX, [at, tx.kind, tx.customerId ?? null, tx.memo ?? '', tx.actor ?? 'system', tx.idemKey ?? null]]);
  for (const e of tx.entries) {
    if (e.amount === 0) continue;
    out.push([INSERT_ENTRY, [e.account, e.amount]]);
    out.push([BUMP_BALANCE, [e.account, e.amount]]);
  }
}

/** Runs op lists on a connection, preparing each distinct statement once. */
export class OpRunner {
  private readonly statements = new Map<string, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {}

  run(ops: readonly SqlOp[]): void {
    for (const [sql, params] of ops) {
      let statement = this.statements.get(sql);
      if (!statement) {
        statement = this.db.prepare(sql);
        this.statements.set(sql, statement);
      }
      statement.run(...(params as [object]));
    }
  }
}
