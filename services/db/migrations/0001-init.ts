import type { Migration } from './index.js';

/** The audit trail every later capability writes to (settings changes, owner actions). */
export const m0001_init: Migration = {
  version: 1,
  name: 'audit trail',
  sql: `
    CREATE TABLE audit_log (
      id         INTEGER PRIMARY KEY,
      at         TEXT    NOT NULL,
      actor      TEXT    NOT NULL,
      action     TEXT    NOT NULL,
      subject    TEXT    NOT NULL DEFAULT '',
      detail     TEXT    NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_at ON audit_log (at);
  `,
};
