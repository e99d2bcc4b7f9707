import type { KeyView } from '../contract.js';
import type { KeyRecord } from './key-store.js';

/** The label of keys the shop bot issues with a customer's first purchase (the proxy's errors then point to the bot). */
export const SHOP_KEY_LABEL = 'shop';

export function keyStatus(k: KeyRecord, now = Date.now()): KeyView['status'] {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return 'expired';
  return 'active';
}

export function toKeyView(k: KeyRecord): KeyView {
  return { ...k, status: keyStatus(k) };
}
