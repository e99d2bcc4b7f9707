import type { Migration } from './index.js';

/**
 * Per-model token allowances (from token packages or granted by the owner), each lot with its
 * own expiry. Tokens are booked in the same journal under `tok:` accounts (a separate unit: a
 * transaction never mixes tokens and µUSD, so each still sums to zero).
 */
export const m0005_allowances: Migration = {
  version: 5,
  name: 'token allowances',
  sql: `
    CREATE TABLE allowance_lots (
      id           TEXT    PRIMARY KEY,
      customer_id  TEXT    NOT NULL REFERENCES customers (id),
      model        TEXT    NOT NULL,
      tokens       INTEGER NOT NULL,
      expires_at   TEXT,
      source       TEXT    NOT NULL DEFAULT '',
      created_at   TEXT    NOT NULL,
      expired_at   TEXT
    );
    CREATE INDEX allowance_lots_customer_model ON allowance_lots (customer_id, model);

    ALTER TABLE reservations ADD COLUMN allowance_lot TEXT;
    ALTER TABLE reservations ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE requests ADD COLUMN allowance_tokens INTEGER NOT NULL DEFAULT 0;
  `,
};
