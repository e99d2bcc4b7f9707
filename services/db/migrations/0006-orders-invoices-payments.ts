import type { Migration } from './index.js';

/**
 * The storefront's money in: orders (what a customer buys), invoices (how they pay one order:
 * Telegram Stars or a crypto address), and payments (each transfer seen, keyed by its outside
 * identity so it is credited at most once). Crypto amounts are integers in base units (sats,
 * wei, token units) kept as TEXT because they outgrow JS numbers; rates are decimal TEXT.
 */
export const m0006_orders_invoices_payments: Migration = {
  version: 6,
  name: 'orders, invoices, payments',
  sql: `
    CREATE TABLE orders (
      id            TEXT    PRIMARY KEY,
      customer_id   TEXT    NOT NULL REFERENCES customers (id),
      kind          TEXT    NOT NULL,
      package_id    TEXT,
      usd_micro     INTEGER NOT NULL,
      status        TEXT    NOT NULL,
      created_at    TEXT    NOT NULL,
      delivered_at  TEXT
    );
    CREATE INDEX orders_customer ON orders (customer_id, created_at);

    CREATE TABLE invoices (
      id                TEXT    PRIMARY KEY,
      order_id          TEXT    NOT NULL REFERENCES orders (id),
      customer_id       TEXT    NOT NULL,
      method            TEXT    NOT NULL,
      asset             TEXT    NOT NULL,
      usd_micro         INTEGER NOT NULL,
      amount_base       TEXT    NOT NULL,
      decimals          INTEGER NOT NULL,
      rate              TEXT    NOT NULL,
      address           TEXT,
      derivation_index  INTEGER,
      from_block        INTEGER,
      uri               TEXT,
      status            TEXT    NOT NULL,
      paid_base         TEXT    NOT NULL DEFAULT '0',
      confirmations     INTEGER NOT NULL DEFAULT 0,
      flags             TEXT    NOT NULL DEFAULT '',
      memo              TEXT    NOT NULL DEFAULT '',
      created_at        TEXT    NOT NULL,
      expires_at        TEXT    NOT NULL,
      settled_at        TEXT
    );
    CREATE INDEX invoices_status ON invoices (status);
    CREATE INDEX invoices_address ON invoices (address);
    CREATE INDEX invoices_customer ON invoices (customer_id, created_at);

    CREATE TABLE payments (
      id             INTEGER PRIMARY KEY,
      outpoint       TEXT    NOT NULL UNIQUE,
      invoice_id     TEXT,
      method         TEXT    NOT NULL,
      amount_base    TEXT    NOT NULL,
      block_number   INTEGER,
      block_hash     TEXT,
      confirmations  INTEGER NOT NULL DEFAULT 0,
      status         TEXT    NOT NULL,
      late           INTEGER NOT NULL DEFAULT 0,
      seen_at        TEXT    NOT NULL,
      confirmed_at   TEXT,
      detail         TEXT    NOT NULL DEFAULT '{}'
    );
    CREATE INDEX payments_invoice ON payments (invoice_id);

    CREATE TABLE derivation_counters (
      chain       TEXT    PRIMARY KEY,
      next_index  INTEGER NOT NULL
    );

    CREATE TABLE watcher_state (
      name   TEXT PRIMARY KEY,
      value  TEXT NOT NULL
    );
  `,
};
