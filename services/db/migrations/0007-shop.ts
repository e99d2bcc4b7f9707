import type { Migration } from './index.js';

/** The storefront: a customer's Telegram profile (language, terms), support tickets. */
export const m0007_shop: Migration = {
  version: 7,
  name: 'shop profiles and support',
  sql: `
    CREATE TABLE customer_profiles (
      customer_id        TEXT PRIMARY KEY REFERENCES customers (id),
      language           TEXT NOT NULL DEFAULT 'en',
      terms_accepted_at  TEXT,
      username           TEXT,
      blocked_at         TEXT
    );

    CREATE TABLE tickets (
      id           TEXT PRIMARY KEY,
      customer_id  TEXT NOT NULL REFERENCES customers (id),
      status       TEXT NOT NULL,
      created_at   TEXT NOT NULL,
      closed_at    TEXT
    );
    CREATE INDEX tickets_status ON tickets (status, created_at);

    CREATE TABLE ticket_messages (
      id         INTEGER PRIMARY KEY,
      ticket_id  TEXT NOT NULL REFERENCES tickets (id),
      author     TEXT NOT NULL,
      text       TEXT NOT NULL,
      at         TEXT NOT NULL
    );
    CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);
  `,
};
