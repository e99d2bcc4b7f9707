import type { Migration } from './index.js';

/** The owner's per-model prices: a markup of its own, or fixed per-token prices (JSON). */
export const m0003_price_overrides: Migration = {
  version: 3,
  name: 'price overrides',
  sql: `
    CREATE TABLE price_overrides (
      model       TEXT PRIMARY KEY,
      override    TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    );
  `,
};
