import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../services/db/database.js';
import { migrations } from '../../services/db/migrations/index.js';
import type { Migration } from '../../services/db/migrations/index.js';
import { tempDir } from '../helpers/temp.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('opens in WAL mode and applies every migration once, in order', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = path.join(t.dir, 'a.db');
    const first = openDatabase(file);
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.applied.map((m) => m.version)).toEqual(migrations.map((m) => m.version));
    expect(schemaVersion(first.db)).toBe(migrations.length);
    const before = tables(first.db);
    first.db.close();

    const second = openDatabase(file);
    expect(second.applied).toEqual([]);
    expect(tables(second.db)).toEqual(before);
    second.db.close();
  });

  it('applies newer migrations after older ones on an existing database', () => {
    const db = new Database(':memory:');
    const m1: Migration = { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' };
    const m2: Migration = { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y INTEGER' };
    expect(migrate(db, [m1]).map((m) => m.version)).toEqual([1]);
    expect(migrate(db, [m1, m2]).map((m) => m.version)).toEqual([2]);
    expect((db.prepare('PRAGMA table_info(a)').all() as { name: string }[]).map((c) => c.name)).toEqual(['x', 'y']);
  });

  it('rolls back a failing migration entirely and records nothing', () => {
    const db = new Database(':memory:');
    const bad: Migration = { version: 1, name: 'bad', sql: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);' };
    expect(() => migrate(db, [bad])).toThrowError(/nowhere/);
    expect(tables(db)).not.toContain('half');
    expect(schemaVersion(db)).toBe(0);
  });

  it('refuses gaps and repeats in the numbering', () => {
    const db = new Database(':memory:');
    const m = (version: number): Migration => ({ version, name: `m${version}`, sql: 'SELECT 1' });
    expect(() => migrate(db, [m(1), m(3)])).toThrowError(/without gaps or repeats/);
    expect(() => migrate(db, [m(1), m(1)])).toThrowError(/without gaps or repeats/);
  });

  it('refuses a database newer than this version of ArbDesk', () => {
    const db = new Database(':memory:');
    const m = (version: number): Migration => ({ version, name: `m${version}`, sql: 'SELECT 1' });
    migrate(db, [m(1), m(2)]);
    expect(() => migrate(db, [m(1)])).toThrowError(/newer than this ArbDesk knows/);
  });
});
