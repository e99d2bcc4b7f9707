/** Who is calling the proxy: the customer key from `Authorization: Bearer sk-arb-…`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyRecord, KeyStore } from '../keys/key-store.js';
import { SHOP_KEY_LABEL } from '../keys/views.js';
import { sendOpenAIError } from './openai-error.js';

export type AuthResult =
  | { ok: true; key: KeyRecord }
  /** Answered 401/403 with `code`; `key` is the record when the key exists but is revoked or expired. */
  | { ok: false; code: string; key?: KeyRecord };

/** The usable key, or a refusal already answered with 401/403 (never echoing the key). */
export function authenticate(req: IncomingMessage, res: ServerResponse, keys: KeyStore, now = Date.now()): AuthResult {
  const header = req.headers.authorization;
  if (!header || !/^Bearer\s+\S+/i.test(header)) {
    sendOpenAIError(res, 401, 'authentication_error', 'missing_api_key', 'no API key: send it as "Authorization: Bearer sk-arb-…"');
    return { ok: false, code: 'missing_api_key' };
  }
  const key = keys.lookup(header.replace(/^Bearer\s+/i, '').trim());
  if (!key) {
    sendOpenAIError(res, 401, 'authentication_error', 'invalid_api_key', 'invalid API key; check it, or ask your provider for a new one');
    return { ok: false, code: 'invalid_api_key' };
  }
  // Keys from the shop bot can be looked up there; keys the owner issued by hand cannot.
  const where = key.label === SHOP_KEY_LABEL ? 'the shop bot (/keys)' : 'your provider';
  if (key.revokedAt) {
    sendOpenAIError(res, 401, 'authentication_error', 'revoked_api_key', `this API key was revoked; use your current key, or ask ${where} for one`);
    return { ok: false, code: 'revoked_api_key', key };
  }
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) {
    sendOpenAIError(res, 403, 'permission_error', 'expired_api_key', `this API key expired on ${key.expiresAt.slice(0, 10)}; ask ${where} for a new one`);
    return { ok: false, code: 'expired_api_key', key };
  }
  return { ok: true, key };
}
