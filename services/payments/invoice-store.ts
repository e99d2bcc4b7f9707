/** Rows of orders, invoices and payments, and their views. No money logic here (see invoice-engine.ts). */
import type { InvoiceView, OrderView, PaymentView } from '../contract.js';
import type { Db } from '../db/database.js';
import type { InvoiceStatus, PaymentMethod } from './types.js';

export interface InvoiceRow {
  id: string;
  order_id: string;
  customer_id: string;
  method: PaymentMethod;
  asset: string;
  usd_micro: number;
  amount_base: string;
  decimals: number;
  rate: string;
  address: string | null;
  derivation_index: number | null;
  from_block: number | null;
  uri: string | null;
  status: InvoiceStatus;
  paid_base: string;
  confirmations: number;
  flags: string;
  memo: string;
  created_at: string;
  expires_at: string;
  settled_at: string | null;
}

export interface PaymentRow {
  id: number;
  outpoint: string;
  invoice_id: string | null;
  method: string;
  amount_base: string;
  block_number: number | null;
  block_hash: string | null;
  confirmations: number;
  status: 'seen' | 'confirmed' | 'vanished';
  late: number;
  seen_at: string;
  confirmed_at: string | null;
  detail: string;
}

export interface OrderRow {
  id: string;
  customer_id: string;
  kind: 'package' | 'topup';
  package_id: string | null;
  usd_micro: number;
  status: 'pending' | 'paid' | 'delivered' | 'cancelled';
  created_at: string;
  delivered_at: string | null;
}

export const flagsOf = (row: { flags: string }): string[] => (row.flags ? row.flags.split(',') : []);

export function withFlag(row: { flags: string }, flag: string): string {
  const flags = new Set(flagsOf(row));
  flags.add(flag);
  return [...flags].sort().join(',');
}

export function toInvoiceView(r: InvoiceRow): InvoiceView {
  return {
    id: r.id,
    orderId: r.order_id,
    customerId: r.customer_id,
    method: r.method,
    asset: r.asset,
    usdMicro: r.usd_micro,
    amountBase: r.amount_base,
    decimals: r.decimals,
    rate: r.rate,
    address: r.address,
    uri: r.uri,
    status: r.status,
    paidBase: r.paid_base,
    confirmations: r.confirmations,
    flags: flagsOf(r),
    memo: r.memo,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    settledAt: r.settled_at,
  };
}

export function toPaymentView(r: PaymentRow): PaymentView {
  return {
    outpoint: r.outpoint,
    invoiceId: r.invoice_id,
    method: r.method,
    amountBase: r.amount_base,
    blockNumber: r.block_number,
    confirmations: r.confirmations,
    status: r.status,
    late: r.late === 1,
    seenAt: r.seen_at,
    confirmedAt: r.confirmed_at,
  };
}

export function toOrderView(r: OrderRow): OrderView {
  return {
    id: r.id,
    customerId: r.customer_id,
    kind: r.kind,
    packageId: r.package_id,
    usdMicro: r.usd_micro,
    status: r.status,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

export class InvoiceStore {
  constructor(readonly db: Db) {}

  invoice(id: string): InvoiceRow | undefined {
    return this.db.prepare('SELECT * FROM invoices WHERE id = ?').get(id) as InvoiceRow | undefined;
  }

  order(id: string): OrderRow | undefined {
    return this.db.prepare('SELECT * FROM orders WHERE id = ?').get(id) as OrderRow | undefined;
  }

  /** Invoices whose address is watched: not settled/invalid, including expired ones (late payments). */
  watched(lateWindowMs: number, now = new Date()): InvoiceRow[] {
    const since = new Date(now.getTime() - lateWindowMs).toISOString();
    return this.db
      .prepare(
        `SELECT * FROM invoices WHERE address IS NOT NULL AND (status IN ('new', 'processing') OR (status IN ('expired', 'settled') AND expires_at > ?))`,
      )
      .all(since) as InvoiceRow[];
  }

  byAddress(address: string): InvoiceRow | undefined {
    return this.db.prepare('SELECT * FROM invoices WHERE address = ? ORDER BY created_at DESC LIMIT 1').get(address) as InvoiceRow | undefined;
  }

  payments(invoiceId: string): PaymentRow[] {
    return this.db.prepare('SELECT * FROM payments WHERE invoice_id = ? ORDER BY id').all(invoiceId) as PaymentRow[];
  }

  payment(outpoint: string): PaymentRow | undefined {
    return this.db.prepare('SELECT * FROM payments WHERE outpoint = ?').get(outpoint) as PaymentRow | undefined;
  }

  list(filter: { status?: InvoiceStatus; customerId?: string; limit: number }): InvoiceRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.status) {
      where.push('status = ?');
      args.push(filter.status);
    }
    if (filter.customerId) {
      where.push('customer_id = ?');
      args.push(filter.customerId);
    }
    const sql = `SELECT * FROM invoices ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, filter.limit) as InvoiceRow[];
  }

  /** Next derivation index for a chain, reserved atomically (never reused, even if the invoice is dropped). */
  nextIndex(chain: string): number {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT next_index FROM derivation_counters WHERE chain = ?').pluck().get(chain) as number | undefined;
      const index = row ?? 0;
      this.db
        .prepare('INSERT INTO derivation_counters (chain, next_index) VALUES (?, ?) ON CONFLICT (chain) DO UPDATE SET next_index = excluded.next_index')
        .run(chain, index + 1);
      return index;
    })();
  }

  getState(name: string): string | undefined {
    return this.db.prepare('SELECT value FROM watcher_state WHERE name = ?').pluck().get(name) as string | undefined;
  }

  setState(name: string, value: string): void {
    this.db.prepare('INSERT INTO watcher_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
  }
}
