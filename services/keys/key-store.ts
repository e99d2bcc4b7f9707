/**
 * Issue, list, revoke and rotate customer keys, and the per-request look-up. Look-ups hit an
 * in-memory map by hash; every write through this store invalidates the entry it touches, so a
 * revoked key stops working on the very next request.
 */
import type { Db } from '../db/database.js';
import { newId } from '../customers/customers.js';
import { generateKey, hashKey, keyHint, looksLikeKey } from './key-format.js';

export interface KeyLimits {
  /** null = any model. */
  allowedModels: string[] | null;
  rpm: number | null;
  tpm: number | null;
  maxConcurrent: number | null;
  expiresAt: string | null;
}

export interface KeyRecord extends KeyLimits {
  id: string;
  customerId: string;
  hint: string;
  label: string;
  revokedAt: string | null;
  rotatedTo: string | null;
  createdAt: string;
}

interface KeyRow {
  id: string;
  customer_id: string;
  key_hint: string;
  label: string;
  allowed_models: string | null;
  rpm: number | null;
  tpm: number | null;
  max_concurrent: number | null;
  expires_at: string | null;
  revoked_at: string | null;
  rotated_to: string | null;
  created_at: string;
}

const toRecord = (r: KeyRow): KeyRecord => ({
  id: r.id,
  customerId: r.customer_id,
  hint: r.key_hint,
  label: r.label,
  allowedModels: r.allowed_models ? (JSON.parse(r.allowed_models) as string[]) : null,
  rpm: r.rpm,
  tpm: r.tpm,
  maxConcurrent: r.max_concurrent,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  rotatedTo: r.rotated_to,
  createdAt: r.created_at,
});

export class KeyError extends Error {
  constructor(message: string, readonly code: 'not_found' | 'conflict' | 'invalid_input') {
    super(message);
  }
}

export class KeyStore {
  /** hash → record (or null for "known not to exist", bounded). */
  private readonly cache = new Map<string, KeyRecord | null>();
  private readonly byHash;

  constructor(private readonly db: Db) {
    this.byHash = db.prepare('SELECT * FROM api_keys WHERE key_hash = ?');
  }

  issue(customerId: string, limits: Partial<KeyLimits> & { label?: string }): { key: string; record: KeyRecord } {
    const key = generateKey();
    const id = newId('key');
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO api_keys (id, customer_id, key_hash, key_hint, label, allowed_models, rpm, tpm, max_concurrent, expires_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        customerId,
        hashKey(key),
        keyHint(key),
        limits.label ?? '',
        limits.allowedModels ? JSON.stringify(limits.allowedModels) : null,
        limits.rpm ?? null,
        limits.tpm ?? null,
        limits.maxConcurrent ?? null,
        limits.expiresAt ?? null,
        now,
      );
    this.cache.delete(hashKey(key));
    return { key, record: this.require(id) };
  }

  get(id: string): KeyRecord | undefined {
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  require(id: string): KeyRecord {
    const k = this.get(id);
    if (!k) throw new KeyError(`no key ${id}; \`arbdesk keys list\` shows them`, 'not_found');
    return k;
  }

  list(customerId?: string): KeyRecord[] {
    const rows = customerId
      ? this.db.prepare('SELECT * FROM api_keys WHERE customer_id = ? ORDER BY created_at').all(customerId)
      : this.db.prepare('SELECT * FROM api_keys ORDER BY created_at').all();
    return (rows as KeyRow[]).map(toRecord);
  }

  revoke(id: string): KeyRecord {
    const key = this.require(id);
    if (key.revokedAt) return key;
    this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ?').run(new Date().toISOString(), id);
    this.invalidate(id);
    return this.require(id);
  }

  /** A new key with the same customer and limits; the old one is revoked at once. */
  rotate(id: string): { key: string; record: KeyRecord } {
    const old = this.require(id);
    if (old.revokedAt && old.rotatedTo) {
      throw new KeyError(`key ${id} was already rotated: its replacement is ${old.rotatedTo} (rotate that one, or issue a new key)`, 'conflict');
    }
    if (old.revokedAt) throw new KeyError(`key ${id} is revoked; issue a new key instead`, 'conflict');
    return this.db.transaction(() => {
      const fresh = this.issue(old.customerId, { ...old, label: old.label });
      this.db.prepare('UPDATE api_keys SET revoked_at = ?, rotated_to = ? WHERE id = ?').run(new Date().toISOString(), fresh.record.id, id);
      this.invalidate(id);
      return fresh;
    })();
  }

  /** The per-request look-up: plaintext key → record, or undefined. */
  lookup(plaintext: string): KeyRecord | undefined {
    if (!looksLikeKey(plaintext)) return undefined;
    const hash = hashKey(plaintext);
    const cached = this.cache.get(hash);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.byHash.get(hash) as KeyRow | undefined;
    const record = row ? toRecord(row) : null;
    if (this.cache.size > 50_000) this.cache.clear(); // unknown-key floods must not grow memory
    this.cache.set(hash, record);
    return record ?? undefined;
  }

  private invalidate(id: string): void {
    for (const [hash, rec] of this.cache) if (rec?.id === id) this.cache.delete(hash);
  }
}
