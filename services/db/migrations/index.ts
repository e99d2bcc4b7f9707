/**
 * Numbered migrations, applied in order, each once, each in its own transaction.
 * Never edit a migration that has shipped: add the next number. Keep SQL portable
 * (no SQLite-only types beyond INTEGER/TEXT) so the ledger can move to PostgreSQL later.
 */
import { m0001_init } from './0001-init.js';
import { m0002_customers_keys_ledger } from './0002-customers-keys-ledger.js';
import { m0003_price_overrides } from './0003-price-overrides.js';
import { m0004_packages } from './0004-packages.js';
import { m0005_allowances } from './0005-allowances.js';
import { m0006_orders_invoices_payments } from './0006-orders-invoices-payments.js';
import { m0007_shop } from './0007-shop.js';
import { m0008_write_behind_state } from './0008-write-behind-state.js';
import { m0009_refused_requests } from './0009-refused-requests.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [m0001_init, m0002_customers_keys_ledger, m0003_price_overrides, m0004_packages, m0005_allowances, m0006_orders_invoices_payments, m0007_shop, m0008_write_behind_state, m0009_refused_requests];
