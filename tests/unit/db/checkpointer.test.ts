/**
 * The WAL checkpointer runs in a worker thread with its own connection: the database file
 * receives what the host wrote, without the host's connection (the proxy's event loop) doing
 * the checkpoint. What an owner would notice if it broke: a write-ahead log that grows forever
 * and a database file that never holds the data.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startCheckpoints } from '../../../services/db/checkpointer.js';
import { openDatabase, type Db } from '../../../services/db/database.js';
import { tempDir } from '../../helpers/temp.js';
import { waitFor } from '../../helpers/wait.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

it('copies the write-ahead log into the database file from a worker thread, and stops cleanly', async () => {
  const t = tempDir('arbdesk-ckpt-');
  cleanups.push(t.cleanup);
  const file = path.join(t.dir, 'arbdesk.db');
  const { db } = openDatabase(file);
  cleanups.push(() => db.close());
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)');
  const insert = db.prepare('INSERT INTO filler (text) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200));
  })();
  const before = statSync(file).size;
  expect(statSync(`${file}-wal`).size).toBeGreaterThan(300_000); // autocheckpoint is off: all of it is in the log

  const stop = startCheckpoints(db as Db, 20, () => undefined);
  await waitFor(() => statSync(file).size, (size) => size > before + 300_000, { what: 'the database file to receive the log' });
  await stop();
  // The host's connection still works after the worker has gone.
  expect(db.prepare('SELECT COUNT(*) FROM filler').pluck().get()).toBe(2000);
});
