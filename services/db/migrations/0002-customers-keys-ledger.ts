import type { Migration } from './index.js';

/**
 * Customers, their API keys, the double-entry ledger and the per-request usage record.
 *
 * Ledger conventions (see services/ledger/README in ledger.ts): every amount is an integer in
 * micro-USD; entries are signed (+ debit, − credit) and the entries of one transaction sum to
 * zero. `account_balances` is a cache of SUM(entries) per account, updated in the same
 * transaction; tests check it against the journal after every scenario.
 */
export const m0002_customers_keys_ledger: Migration = {
  version: 2,
  name: 'customers, keys, ledger, requests',
  sql: `
    CREATE TABLE customers (
      id           TEXT    PRIMARY KEY,
      name         TEXT    NOT NULL,
      telegram_id  INTEGER UNIQUE,
      created_at   TEXT    NOT NULL
    );

    CREATE TABLE api_keys (
      id              TEXT    PRIMARY KEY,
      customer_id     TEXT    NOT NULL REFERENCES customers (id),
      key_hash        TEXT    NOT NULL UNIQUE,
      key_hint        TEXT    NOT NULL,
      label           TEXT    NOT NULL DEFAULT '',
      allowed_models  TEXT,
      rpm             INTEGER,
      tpm             INTEGER,
      max_concurrent  INTEGER,
      expires_at      TEXT,
      revoked_at      TEXT,
      rotated_to      TEXT,
      created_at      TEXT    NOT NULL
    );
    CREATE INDEX api_keys_customer ON api_keys (customer_id);

    CREATE TABLE ledger_transactions (
      id          INTEGER PRIMARY KEY,
      at          TEXT    NOT NULL,
      kind        TEXT    NOT NULL,
      customer_id TEXT,
      memo        TEXT    NOT NULL DEFAULT '',
      actor       TEXT    NOT NULL DEFAULT 'system',
      idem_key    TEXT    UNIQUE
    );
    CREATE INDEX ledger_transactions_customer ON ledger_transactions (customer_id, at);

    CREATE TABLE ledger_entries (
      id       INTEGER PRIMARY KEY,
      tx_id    INTEGER NOT NULL REFERENCES ledger_transactions (id),
      account  TEXT    NOT NULL,
      amount   INTEGER NOT NULL
    );
    CREATE INDEX ledger_entries_account ON ledger_entries (account);
    CREATE INDEX ledger_entries_tx ON ledger_entries (tx_id);

    CREATE TABLE account_balances (
      account  TEXT    PRIMARY KEY,
      balance  INTEGER NOT NULL
    );

    CREATE TABLE reservations (
      id           TEXT    PRIMARY KEY,
      customer_id  TEXT    NOT NULL,
      key_id       TEXT    NOT NULL,
      amount       INTEGER NOT NULL,
      model        TEXT    NOT NULL,
      created_at   TEXT    NOT NULL
    );

    CREATE TABLE requests (
      id                 TEXT    PRIMARY KEY,
      at                 TEXT    NOT NULL,
      key_id             TEXT    NOT NULL,
      customer_id        TEXT    NOT NULL,
      model              TEXT    NOT NULL,
      stream             INTEGER NOT NULL,
      status             INTEGER NOT NULL,
      outcome            TEXT    NOT NULL,
      prompt_tokens      INTEGER NOT NULL DEFAULT 0,
      completion_tokens  INTEGER NOT NULL DEFAULT 0,
      upstream_cost      INTEGER NOT NULL DEFAULT 0,
      charge             INTEGER NOT NULL DEFAULT 0,
      latency_ms         INTEGER NOT NULL DEFAULT 0,
      generation_id      TEXT
    );
    CREATE INDEX requests_customer ON requests (customer_id, at);
    CREATE INDEX requests_at ON requests (at);
  `,
};
