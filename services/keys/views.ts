import type { KeyView } from '../contract.js';
import type { KeyRecord } from './key-store.js';

export function keyStatus(k: KeyRecord, now = Date.now()): KeyView['status'] {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return 'expired';
  return 'active';
}

export function toKeyView(k: KeyRecord): KeyView {
  return { ...k, status: keyStatus(k) };
}
