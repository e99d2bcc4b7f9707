/**
 * Delivering a paid order, once: the package is bought with the balance the payment credited
 * (revenue booked), a token package grants its allowance, the customer gets a key if they have
 * none, and the customer and the owner are told. Every step is keyed by the order id.
 */
import type { Allowances } from '../allowances/allowances.js';
import type { DeliveredItem } from '../bot/shop-port.js';
import type { Db } from '../db/database.js';
import type { KeyStore } from '../keys/key-store.js';
import { keyStatus, SHOP_KEY_LABEL } from '../keys/views.js';
import { Accounts, creditBalance } from '../ledger/accounts.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Logger } from '../log/logger.js';
import type { PackageStore } from '../packages/package-store.js';
import type { Fulfilment } from './invoice-engine.js';
import type { InvoiceRow, OrderRow } from './invoice-store.js';

export interface DeliveryNotice {
  order: OrderRow;
  invoice: InvoiceRow;
  /** What was delivered, in words for the owner and the log ("100000 tokens of openai/gpt-4o-mini for 30 days"). */
  what: string;
  /** The same, for the customer's message in their language. */
  item: DeliveredItem;
  /** A new key, shown once, when the customer had none. */
  newKey: { id: string; key: string } | null;
}

export interface FulfilmentDeps {
  db: Db;
  ledger: Ledger;
  allowances: Allowances;
  packages: PackageStore;
  keys: KeyStore;
  logger: Logger;
  notify: (notice: DeliveryNotice) => void;
}

export class OrderFulfilment implements Fulfilment {
  constructor(private readonly d: FulfilmentDeps) {}

  deliver(order: OrderRow, invoice: InvoiceRow): void {
    if (order.status === 'delivered') return;
    let what = `$${(order.usd_micro / 1e6).toFixed(2)} added to the balance`;
    let item: DeliveredItem = { kind: 'credit', usdMicro: order.usd_micro };
    if (order.kind === 'package' && order.package_id) {
      const pkg = this.d.packages.get(order.package_id);
      if (!pkg) throw new Error(`order ${order.id} names package ${order.package_id}, which does not exist`);
      if (pkg.kind === 'tokens' && pkg.model && pkg.tokens) {
        this.sell(order);
        this.d.allowances.grant({
          customerId: order.customer_id,
          model: pkg.model,
          tokens: pkg.tokens,
          validityDays: pkg.validityDays,
          source: `order:${order.id}`,
          memo: `${pkg.description} (order ${order.id})`,
          idemKey: `order:${order.id}:allowance`,
        });
        what = `${pkg.tokens} tokens of ${pkg.model}${pkg.validityDays ? ` for ${pkg.validityDays} days` : ''}`;
        item = { kind: 'tokens', tokens: pkg.tokens, model: pkg.model, validityDays: pkg.validityDays };
      } else {
        what = `${pkg.description}: $${((pkg.creditMicro ?? order.usd_micro) / 1e6).toFixed(2)} of credit`;
        item = { kind: 'credit', usdMicro: pkg.creditMicro ?? order.usd_micro };
      }
    }
    const newKey = this.ensureKey(order.customer_id);
    this.d.db.prepare(`UPDATE orders SET status = 'delivered', delivered_at = ? WHERE id = ?`).run(new Date().toISOString(), order.id);
    this.d.logger.info({ event: 'order.delivered', orderId: order.id, customerId: order.customer_id, invoiceId: invoice.id, what, newKeyId: newKey?.id ?? null }, `order ${order.id} delivered`);
    // Tell people only after the surrounding transaction has committed.
    const notice = { order, invoice, what, item, newKey };
    setImmediate(() => {
      const now = this.d.db.prepare('SELECT status FROM orders WHERE id = ?').pluck().get(order.id);
      if (now === 'delivered') this.d.notify(notice);
    });
  }

  /** The package is paid from the balance the payment credited; revenue is earned at sale. */
  private sell(order: OrderRow): void {
    const available = creditBalance(this.d.ledger.balance(Accounts.available(order.customer_id)));
    const fromBalance = Math.min(order.usd_micro, Math.max(0, available));
    const short = order.usd_micro - fromBalance;
    this.d.ledger.post({
      kind: 'sale',
      customerId: order.customer_id,
      memo: `package order ${order.id}`,
      idemKey: `order:${order.id}:sale`,
      entries: [
        { account: Accounts.available(order.customer_id), amount: fromBalance },
        { account: 'loss:underpayment', amount: short },
        { account: 'revenue:packages', amount: -order.usd_micro },
      ],
    });
  }

  private ensureKey(customerId: string): { id: string; key: string } | null {
    if (this.d.keys.list(customerId).some((k) => keyStatus(k) === 'active')) return null;
    const { key, record } = this.d.keys.issue(customerId, { label: SHOP_KEY_LABEL });
    return { id: record.id, key };
  }
}
