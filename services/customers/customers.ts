/** Customers of the shop: a name, an optional Telegram id, and their money in the ledger. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';

export interface Customer {
  id: string;
  name: string;
  telegramId: number | null;
  createdAt: string;
}

export class CustomerError extends Error {
  constructor(message: string, readonly code: 'not_found' | 'conflict' | 'invalid_input') {
    super(message);
  }
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

export class Customers {
  constructor(private readonly db: Db) {}

  add(input: { name: string; telegramId?: number | null }): Customer {
    const customer: Customer = { id: newId('cus'), name: input.name.trim(), telegramId: input.telegramId ?? null, createdAt: new Date().toISOString() };
    if (!customer.name) throw new CustomerError('a customer needs a name', 'invalid_input');
    const holder = customer.telegramId !== null ? this.byTelegramId(customer.telegramId) : undefined;
    if (holder) {
      throw new CustomerError(`Telegram id ${customer.telegramId} already belongs to ${holder.name} (${holder.id}); one Telegram account is one customer`, 'conflict');
    }
    this.db.prepare('INSERT INTO customers (id, name, telegram_id, created_at) VALUES (?, ?, ?, ?)').run(customer.id, customer.name, customer.telegramId, customer.createdAt);
    return customer;
  }

  get(id: string): Customer | undefined {
    return this.db.prepare('SELECT id, name, telegram_id AS telegramId, created_at AS createdAt FROM customers WHERE id = ?').get(id) as Customer | undefined;
  }

  require(id: string): Customer {
    const c = this.get(id);
    if (!c) throw new CustomerError(`no customer ${id}; \`arbdesk customers list\` shows them`, 'not_found');
    return c;
  }

  byTelegramId(telegramId: number): Customer | undefined {
    return this.db.prepare('SELECT id, name, telegram_id AS telegramId, created_at AS createdAt FROM customers WHERE telegram_id = ?').get(telegramId) as Customer | undefined;
  }

  list(): Customer[] {
    return this.db.prepare('SELECT id, name, telegram_id AS telegramId, created_at AS createdAt FROM customers ORDER BY created_at').all() as Customer[];
  }
}
