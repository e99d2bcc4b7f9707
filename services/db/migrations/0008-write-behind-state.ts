import type { Migration } from './index.js';

/**
 * The last write-behind batch committed by the writer thread (services/ledger/write-worker.ts),
 * written in the same transaction as the batch: a balance read in one snapshot with this number
 * knows exactly which queued postings the snapshot already holds.
 */
export const m0008_write_behind_state: Migration = {
  version: 8,
  name: 'write-behind state',
  sql: `
    CREATE TABLE write_behind_state (
      id     INTEGER PRIMARY KEY CHECK (id = 1),
      batch  INTEGER NOT NULL
    );
    INSERT INTO write_behind_state (id, batch) VALUES (1, 0);
  `,
};
