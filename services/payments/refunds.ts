/**
 * Reversing a refunded Stars payment in the ledger, once per charge: the package sale goes back
 * (revenue reversed, what is left of the order's allowance removed) and the payment credit is
 * taken back out of the customer's balance (to at most what they have; usage already consumed
 * stays consumed).
 */
import type { Allowances } from '../allowances/allowances.js';
import type { Db } from '../db/database.js';
import { Accounts, creditBalance } from '../ledger/accounts.js';
import type { Ledger } from '../ledger/ledger.js';
import { withFlag, type InvoiceRow } from './invoice-store.js';

export function reverseStarsPayment(db: Db, ledger: Ledger, allowances: Allowances, inv: InvoiceRow, outpoint: string, memo: string): void {
  const order = db.prepare('SELECT * FROM orders WHERE id = ?').get(inv.order_id) as { id: string; kind: string; usd_micro: number; status: string } | undefined;
  const customer = inv.customer_id;
  if (order?.kind === 'package' && order.status === 'delivered') {
    // The allowance this order granted (found by the grant's idempotency key): what is left goes back.
    const target = db
      .prepare(`SELECT l.id, l.model FROM allowance_lots l JOIN ledger_transactions t ON ('tx:' || t.id) = l.source WHERE t.idem_key = ?`)
      .get(`order:${order.id}:allowance`) as { id: string; model: string } | undefined;
    if (target) {
      const left = allowances.remaining(customer, target.id);
      if (left > 0) {
        ledger.post({
          kind: 'allowance_refund',
          customerId: customer,
          memo,
          idemKey: `refund:${outpoint}:allowance`,
          entries: [
            { account: Accounts.lot(customer, target.id), amount: left },
            { account: Accounts.tokensIssued(target.model), amount: -left },
          ],
        });
      }
      db.prepare('UPDATE allowance_lots SET expired_at = ? WHERE id = ?').run(new Date().toISOString(), target.id);
    }
    ledger.post({
      kind: 'sale_refund',
      customerId: customer,
      memo,
      actor: 'owner',
      idemKey: `refund:${outpoint}:sale`,
      entries: [
        { account: 'revenue:packages', amount: order.usd_micro },
        { account: Accounts.available(customer), amount: -order.usd_micro },
      ],
    });
  }
  const paid = db.prepare("SELECT COALESCE(-SUM(e.amount), 0) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.tx_id WHERE t.idem_key = ? AND e.account = ?").pluck().get(`pay:${outpoint}`, Accounts.available(customer)) as number;
  const back = Math.min(paid, Math.max(0, creditBalance(ledger.balance(Accounts.available(customer)))));
  ledger.post({
    kind: 'payment_refund',
    customerId: customer,
    memo,
    actor: 'owner',
    idemKey: `refund:${outpoint}:payment`,
    entries: [
      { account: Accounts.available(customer), amount: back },
      { account: Accounts.receipts('stars'), amount: -back },
    ],
  });
  db.prepare('UPDATE invoices SET flags = ?, memo = ? WHERE id = ?').run(withFlag(inv, 'refunded'), memo, inv.id);
}
