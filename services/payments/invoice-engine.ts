/**
 * Invoices from `new` to `settled`, and the money they bring, credited exactly once.
 *
 *   new ──payment seen──▶ processing ──enough confirmed──▶ settled ──▶ order delivered
 *    │                        │
 *    └──TTL, nothing seen──▶ expired        (owner: resolve ▶ settled | invalid)
 *
 * Rules (the owner's settings decide the numbers):
 *  - Each transfer is credited to the customer's balance once, when it has the confirmations
 *    its chain needs, keyed by its outside identity (txid:vout, tx hash:log index, Telegram
 *    charge id): re-scans, duplicates, restarts and replays never credit twice; a transfer
 *    that vanishes in a reorg before confirming is never credited.
 *  - An invoice settles when its confirmed payments reach its amount less the underpayment
 *    tolerance; the order is then delivered, paid from the balance the payments credited.
 *  - Overpayment stays in the customer's balance. Payments that arrive after the invoice
 *    expired, or that leave it short, are still credited to the balance (never dropped) and
 *    flagged to the owner, who can resolve the invoice by hand.
 */
import type { InvoiceView } from '../contract.js';
import { newId } from '../customers/customers.js';
import { Accounts } from '../ledger/accounts.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Logger } from '../log/logger.js';
import { flagsOf, toInvoiceView, withFlag, type InvoiceRow, type InvoiceStore, type OrderRow, type PaymentRow } from './invoice-store.js';
import type { ObservedTransfer, PaymentMethod } from './types.js';

export interface Fulfilment {
  /** Delivers a paid order (allowance, key …); must be idempotent by order id. */
  deliver(order: OrderRow, invoice: InvoiceRow): void;
}

export interface EngineDeps {
  store: InvoiceStore;
  ledger: Ledger;
  logger: Logger;
  fulfilment: Fulfilment;
  confirmationsFor: (method: PaymentMethod) => number;
  underpayTolerancePercent: () => number;
  onInvoiceChanged: (invoice: InvoiceView) => void;
  /** Something the owner should look at: late, underpaid, overpaid, reorg after credit. */
  onAttention: (kind: 'late' | 'underpaid' | 'overpaid' | 'reorg', invoice: InvoiceView, detail: string) => void;
  now?: () => Date;
}

export interface NewInvoice {
  order: OrderRow;
  method: PaymentMethod;
  asset: string;
  decimals: number;
  amountBase: bigint;
  rate: string;
  address: string | null;
  derivationIndex: number | null;
  uri: string | null;
  ttlMinutes: number;
  /** EVM: the chain head when the invoice was made (watchers scan from there). */
  fromBlock?: number | null;
}

/** µUSD of an amount of base units at a decimal USD-per-unit rate, rounded down (credits never round up). */
export function baseToMicro(amountBase: bigint, decimals: number, rate: string): number {
  const [whole, frac = ''] = rate.split('.');
  const rateScaled = BigInt((whole ?? '0') + frac); // rate × 10^frac.length
  const micro = (amountBase * rateScaled * 1_000_000n) / (10n ** BigInt(decimals) * 10n ** BigInt(frac.length));
  return Number(micro);
}

export class InvoiceEngine {
  constructor(private readonly d: EngineDeps) {}

  private now(): Date {
    return (this.d.now ?? (() => new Date()))();
  }

  createOrder(input: { customerId: string; kind: 'package' | 'topup'; packageId: string | null; usdMicro: number }): OrderRow {
    const order: OrderRow = { id: newId('ord'), customer_id: input.customerId, kind: input.kind, package_id: input.packageId, usd_micro: input.usdMicro, status: 'pending', created_at: this.now().toISOString(), delivered_at: null };
    this.d.store.db
      .prepare('INSERT INTO orders (id, customer_id, kind, package_id, usd_micro, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(order.id, order.customer_id, order.kind, order.package_id, order.usd_micro, order.status, order.created_at);
    return order;
  }

  createInvoice(n: NewInvoice): InvoiceRow {
    const now = this.now();
    const id = newId('inv');
    this.d.store.db
      .prepare(
        `INSERT INTO invoices (id, order_id, customer_id, method, asset, usd_micro, amount_base, decimals, rate, address, derivation_index, from_block, uri, status, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?)`,
      )
      .run(id, n.order.id, n.order.customer_id, n.method, n.asset, n.order.usd_micro, n.amountBase.toString(), n.decimals, n.rate, n.address, n.derivationIndex, n.fromBlock ?? null, n.uri, now.toISOString(), new Date(now.getTime() + n.ttlMinutes * 60_000).toISOString());
    const row = this.d.store.invoice(id)!;
    this.d.logger.info({ event: 'invoice.created', invoiceId: id, orderId: n.order.id, customerId: n.order.customer_id, method: n.method, usdMicro: n.order.usd_micro, amountBase: row.amount_base }, `invoice ${id} created`);
    this.d.onInvoiceChanged(toInvoiceView(row));
    return row;
  }

  /**
   * What the watchers see now. `watchedInvoiceIds` are the invoices they were asked about: a
   * payment of one of them that is no longer reported has vanished (reorg or dropped from the
   * mempool).
   */
  observe(transfers: ObservedTransfer[], watchedInvoiceIds: Iterable<string> = []): void {
    const touched = new Set<string>();
    const seen = new Set(transfers.map((t) => t.outpoint));
    for (const t of transfers) {
      const invoice = t.method === 'stars' ? this.d.store.invoice(t.address) : this.d.store.byAddress(t.address.toLowerCase()) ?? this.d.store.byAddress(t.address);
      if (!invoice) {
        this.d.logger.warn({ event: 'payment.unmatched', outpoint: t.outpoint, method: t.method }, 'a transfer to an address no invoice owns');
        continue;
      }
      if (t.method !== invoice.method) {
        // ETH sent to a USDT invoice (or the like): never counted as the invoice's asset.
        this.wrongAsset(invoice, t);
        continue;
      }
      this.upsertPayment(invoice, t);
      touched.add(invoice.id);
    }
    for (const invoiceId of watchedInvoiceIds) {
      for (const p of this.d.store.payments(invoiceId)) {
        if (p.status !== 'vanished' && !seen.has(p.outpoint) && !p.outpoint.startsWith('stars:')) {
          this.vanish(p);
          touched.add(invoiceId);
        }
      }
    }
    for (const id of touched) this.recompute(id);
  }

  /** Invoices past their TTL with nothing paid become expired; short ones get flagged. */
  expireDue(): number {
    const now = this.now().toISOString();
    const due = this.d.store.db.prepare(`SELECT * FROM invoices WHERE status IN ('new', 'processing') AND expires_at <= ?`).all(now) as InvoiceRow[];
    let n = 0;
    for (const inv of due) {
      const live = this.d.store.payments(inv.id).filter((p) => p.status !== 'vanished');
      if (inv.status === 'processing' && live.some((p) => p.status === 'seen')) continue; // a payment is confirming: wait for it
      const flags = live.length ? withFlag(inv, 'underpaid') : inv.flags;
      this.update(inv.id, { status: 'expired', flags });
      n++;
      const view = toInvoiceView(this.d.store.invoice(inv.id)!);
      this.d.logger.info({ event: 'invoice.expired', invoiceId: inv.id, underpaid: live.length > 0 }, `invoice ${inv.id} expired`);
      if (live.length) this.d.onAttention('underpaid', view, `paid ${inv.paid_base} of ${inv.amount_base} ${inv.asset} before it expired; what was paid is in the customer's balance`);
    }
    return n;
  }

  /** The owner settles an invoice by hand (delivering the order) or marks it invalid. */
  resolve(invoiceId: string, action: 'settle' | 'invalidate', memo: string): InvoiceView {
    const inv = this.d.store.invoice(invoiceId);
    if (!inv) throw Object.assign(new Error(`no invoice ${invoiceId}`), { code: 'not_found' });
    if (inv.status === 'settled' || inv.status === 'invalid') {
      throw Object.assign(new Error(`invoice ${invoiceId} is already ${inv.status}`), { code: 'conflict' });
    }
    if (action === 'invalidate') {
      this.update(invoiceId, { status: 'invalid', flags: withFlag(inv, 'resolved'), memo });
    } else {
      this.d.store.db.transaction(() => this.settle(this.d.store.invoice(invoiceId)!, memo, true))();
    }
    this.d.logger.info({ event: 'invoice.resolved', invoiceId, action, memo }, `invoice ${invoiceId} resolved by the owner: ${action}`);
    const view = toInvoiceView(this.d.store.invoice(invoiceId)!);
    this.d.onInvoiceChanged(view);
    return view;
  }

  private upsertPayment(invoice: InvoiceRow, t: ObservedTransfer): void {
    const existing = this.d.store.payment(t.outpoint);
    const now = this.now().toISOString();
    if (!existing) {
      const late = invoice.expires_at <= now && invoice.status !== 'processing' ? 1 : 0;
      this.d.store.db
        .prepare(
          `INSERT INTO payments (outpoint, invoice_id, method, amount_base, block_number, block_hash, confirmations, status, late, seen_at, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'seen', ?, ?, ?)`,
        )
        .run(t.outpoint, invoice.id, t.method, t.amountBase.toString(), t.blockNumber, t.blockHash, t.confirmations, late, now, JSON.stringify(t.detail));
      this.d.logger.info({ event: 'payment.seen', outpoint: t.outpoint, invoiceId: invoice.id, amountBase: t.amountBase.toString(), confirmations: t.confirmations, late: late === 1 }, `payment seen for ${invoice.id}`);
      if (late) this.d.onAttention('late', toInvoiceView(invoice), `a payment of ${t.amountBase} ${invoice.asset} base units arrived after the invoice expired; it is credited to the customer's balance once confirmed`);
      return;
    }
    if (existing.status === 'vanished') {
      this.d.logger.info({ event: 'payment.reappeared', outpoint: t.outpoint }, 'a payment that vanished is back');
    }
    this.d.store.db
      .prepare(`UPDATE payments SET block_number = ?, block_hash = ?, confirmations = ?, status = CASE WHEN status = 'confirmed' THEN 'confirmed' ELSE 'seen' END WHERE outpoint = ?`)
      .run(t.blockNumber, t.blockHash, t.confirmations, t.outpoint);
  }

  private wrongAsset(invoice: InvoiceRow, t: ObservedTransfer): void {
    if (this.d.store.payment(t.outpoint)) return;
    // Kept (without an invoice, so it counts towards nothing) so it is reported once and never lost.
    this.d.store.db
      .prepare(`INSERT INTO payments (outpoint, invoice_id, method, amount_base, block_number, block_hash, confirmations, status, seen_at, detail) VALUES (?, NULL, ?, ?, ?, ?, ?, 'seen', ?, ?)`)
      .run(t.outpoint, t.method, t.amountBase.toString(), t.blockNumber, t.blockHash, t.confirmations, this.now().toISOString(), JSON.stringify({ ...t.detail, wrongAssetFor: invoice.id }));
    this.d.logger.warn({ event: 'payment.wrong_asset', outpoint: t.outpoint, invoiceId: invoice.id, sent: t.method, expected: invoice.method }, 'a payment in the wrong asset');
    this.d.onAttention('late', toInvoiceView(invoice), `received ${t.amountBase} base units of ${t.method} at the address of a ${invoice.method} invoice (${t.outpoint}); not credited — resolve it by hand`);
  }

  private vanish(p: PaymentRow): void {
    this.d.store.db.prepare(`UPDATE payments SET status = 'vanished', confirmations = 0 WHERE outpoint = ? AND status != 'confirmed'`).run(p.outpoint);
    if (p.status === 'confirmed') {
      // Credited already (it had the confirmations the owner asked for): the owner decides.
      const inv = this.d.store.invoice(p.invoice_id!)!;
      this.update(inv.id, { flags: withFlag(inv, 'reorg') });
      this.d.onAttention('reorg', toInvoiceView(this.d.store.invoice(inv.id)!), `payment ${p.outpoint} vanished from the chain after it was credited`);
    } else {
      this.d.logger.warn({ event: 'payment.vanished', outpoint: p.outpoint, invoiceId: p.invoice_id }, 'an unconfirmed payment vanished (reorg or dropped); it was never credited');
    }
  }

  private recompute(invoiceId: string): void {
    this.d.store.db.transaction(() => {
      const inv = this.d.store.invoice(invoiceId)!;
      const required = this.d.confirmationsFor(inv.method);
      const live = this.d.store.payments(inv.id).filter((p) => p.status !== 'vanished');
      // Credit each payment once it has the confirmations its chain needs.
      for (const p of live) {
        if (p.status === 'seen' && p.confirmations >= required) this.creditPayment(inv, p);
      }
      const fresh = this.d.store.payments(inv.id).filter((p) => p.status !== 'vanished');
      const paid = fresh.reduce((sum, p) => sum + BigInt(p.amount_base), 0n);
      const onTime = fresh.filter((p) => !p.late);
      const confirmedOnTime = onTime.filter((p) => p.status === 'confirmed').reduce((sum, p) => sum + BigInt(p.amount_base), 0n);
      const minConf = fresh.length ? Math.min(...fresh.map((p) => p.confirmations)) : 0;
      let flags = inv.flags;
      if (fresh.some((p) => p.late)) flags = withFlag({ flags }, 'late');
      const amount = BigInt(inv.amount_base);
      if (paid > amount && !flagsOf({ flags }).includes('overpaid')) {
        flags = withFlag({ flags }, 'overpaid');
        this.d.onAttention('overpaid', toInvoiceView(inv), `paid ${paid} of ${amount} ${inv.asset} base units; the excess stays in the customer's balance`);
      }
      this.update(inv.id, { paid_base: paid.toString(), confirmations: minConf, flags });

      if (inv.status === 'new' || inv.status === 'processing') {
        const tolerance = BigInt(Math.round(this.d.underpayTolerancePercent() * 100)); // basis points
        const threshold = (amount * (10_000n - tolerance) + 9_999n) / 10_000n;
        if (confirmedOnTime >= threshold && confirmedOnTime > 0n) this.settle(this.d.store.invoice(inv.id)!, '', false);
        else if (inv.status === 'new' && onTime.length) this.update(inv.id, { status: 'processing' });
        else if (inv.status === 'processing' && onTime.length === 0) this.update(inv.id, { status: 'new' });
      }
    })();
    this.d.onInvoiceChanged(toInvoiceView(this.d.store.invoice(invoiceId)!));
  }

  private creditPayment(inv: InvoiceRow, p: PaymentRow): void {
    const usd = baseToMicro(BigInt(p.amount_base), inv.decimals, inv.rate);
    const method = inv.method.replace(':', '_');
    const posted = this.d.ledger.post({
      kind: 'payment',
      customerId: inv.customer_id,
      memo: `${inv.asset} payment ${p.outpoint} for ${inv.id}`,
      idemKey: `pay:${p.outpoint}`,
      entries: [
        { account: Accounts.receipts(method), amount: usd },
        { account: Accounts.available(inv.customer_id), amount: -usd },
      ],
    });
    this.d.store.db.prepare(`UPDATE payments SET status = 'confirmed', confirmed_at = ? WHERE outpoint = ?`).run(this.now().toISOString(), p.outpoint);
    if (!posted.duplicate) {
      this.d.logger.info({ event: 'payment.credited', outpoint: p.outpoint, invoiceId: inv.id, customerId: inv.customer_id, usdMicro: usd, txId: posted.txId }, `payment credited to ${inv.customer_id}`);
    }
  }

  /**
   * Settles (inside the caller's transaction): tops up a tolerated shortfall, marks the invoice
   * settled and delivers the order. `byOwner` lets the owner settle a short invoice in full.
   */
  private settle(inv: InvoiceRow, memo: string, byOwner: boolean): void {
    const credited = this.d.store
      .payments(inv.id)
      .filter((p) => p.status === 'confirmed')
      .reduce((sum, p) => sum + baseToMicro(BigInt(p.amount_base), inv.decimals, inv.rate), 0);
    const shortfall = inv.usd_micro - credited;
    if (shortfall > 0) {
      // Within the tolerance (or the owner's decision): the business absorbs the difference.
      this.d.ledger.post({
        kind: byOwner ? 'adjustment' : 'underpay_tolerance',
        customerId: inv.customer_id,
        memo: memo || `tolerated shortfall on ${inv.id}`,
        actor: byOwner ? 'owner' : 'system',
        idemKey: `invoice:${inv.id}:shortfall`,
        entries: [
          { account: byOwner ? Accounts.adjustments : 'loss:underpayment', amount: shortfall },
          { account: Accounts.available(inv.customer_id), amount: -shortfall },
        ],
      });
    }
    this.update(inv.id, { status: 'settled', settled_at: this.now().toISOString(), ...(byOwner ? { flags: withFlag(inv, 'resolved'), memo } : {}) });
    this.d.logger.info({ event: 'invoice.settled', invoiceId: inv.id, orderId: inv.order_id, customerId: inv.customer_id, usdMicro: inv.usd_micro, method: inv.method }, `invoice ${inv.id} settled`);
    const order = this.d.store.order(inv.order_id)!;
    if (order.status === 'pending') {
      this.d.store.db.prepare(`UPDATE orders SET status = 'paid' WHERE id = ?`).run(order.id);
      this.d.fulfilment.deliver(this.d.store.order(order.id)!, this.d.store.invoice(inv.id)!);
    }
  }

  private update(id: string, fields: Partial<Pick<InvoiceRow, 'status' | 'paid_base' | 'confirmations' | 'flags' | 'memo' | 'settled_at'>>): void {
    const keys = Object.keys(fields) as (keyof typeof fields)[];
    if (!keys.length) return;
    this.d.store.db.prepare(`UPDATE invoices SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`).run(...keys.map((k) => fields[k]), id);
  }
}
