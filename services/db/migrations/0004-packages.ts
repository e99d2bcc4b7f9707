import type { Migration } from './index.js';

/** Packages for sale: token allowances for a model, or USD credit; priced from the catalog. */
export const m0004_packages: Migration = {
  version: 4,
  name: 'packages',
  sql: `
    CREATE TABLE packages (
      id              TEXT    PRIMARY KEY,
      spec            TEXT    NOT NULL,
      kind            TEXT    NOT NULL,
      model           TEXT,
      tokens          INTEGER,
      credit_micro    INTEGER,
      description     TEXT    NOT NULL,
      price_micro     INTEGER,
      cost_micro      INTEGER,
      retired_at      TEXT,
      created_at      TEXT    NOT NULL,
      updated_at      TEXT    NOT NULL
    );
  `,
};
