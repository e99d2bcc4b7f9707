/**
 * Customer API keys: `sk-arb-` + 32 random bytes (base64url, 43 chars). Only a SHA-256 hash is
 * stored: the keys have 256 bits of entropy, so a fast hash is as safe as a slow KDF here and
 * keeps the per-request look-up cheap. The plaintext is shown once, at issue or rotation.
 */
import { hash, randomBytes } from 'node:crypto';

export const KEY_PREFIX = 'sk-arb-';

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashKey(key: string): string {
  // One-shot crypto.hash (Node ≥ 20.12): no Hash object per request.
  return hash('sha256', key, 'hex');
}

/** What the owner and customer see later: `sk-arb-…Xy3Q`. */
export function keyHint(key: string): string {
  return `${KEY_PREFIX}…${key.slice(-4)}`;
}

/** Cheap shape check before hashing: refuses obvious garbage without a cache miss. */
export function looksLikeKey(text: string): boolean {
  return text.length === KEY_PREFIX.length + 43 && text.startsWith(KEY_PREFIX);
}
