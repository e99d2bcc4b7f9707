/**
 * Opens the SQLite database (better-sqlite3, WAL mode, one writer: the services host) and
 * applies pending migrations. The synchronous API is deliberate: check-and-reserve of money
 * happens inside one transaction without interleaving.
 */
import Database from 'better-sqlite3';
import { migrations as defaultMigrations, type Migration } from './migrations/index.js';

export type Db = Database.Database;

export function openDatabase(file: string, migrations: Migration[] = defaultMigrations): { db: Db; applied: Migration[] } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // The automatic checkpoint runs inside whichever commit crosses the threshold — on the proxy's
  // request path. The host checkpoints from a worker thread instead (checkpointer.ts).
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('journal_size_limit = 67108864');
  try {
    const applied = migrate(db, migrations);
    return { db, applied };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Applies migrations newer than the database's version, in order. Idempotent. */
export function migrate(db: Db, migrations: Migration[]): Migration[] {
  checkNumbering(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const done = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const newest = Math.max(0, ...done);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new Error(
      `The database is at schema version ${newest}, newer than this ArbDesk knows (${known}). Update ArbDesk, or use a copy of the data dir.`,
    );
  }
  const pending = migrations.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
  }
  return pending;
}

function checkNumbering(migrations: Migration[]): void {
  const versions = migrations.map((m) => m.version);
  versions.forEach((v, i) => {
    if (v !== i + 1) {
      throw new Error(`Migrations must be numbered 1, 2, 3… without gaps or repeats; found ${versions.join(', ')}`);
    }
  });
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
