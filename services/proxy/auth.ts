/** Who is calling the proxy: the customer key from `Authorization: Bearer sk-arb-…`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyRecord, KeyStore } from '../keys/key-store.js';
import { sendOpenAIError } from './openai-error.js';

/** The key record, or undefined after answering 401/403 (never echoing the key). */
export function authenticate(req: IncomingMessage, res: ServerResponse, keys: KeyStore, now = Date.now()): KeyRecord | undefined {
  const header = req.headers.authorization;
  if (!header || !/^Bearer\s+\S+/i.test(header)) {
    sendOpenAIError(res, 401, 'authentication_error', 'missing_api_key', 'no API key: send it as "Authorization: Bearer sk-arb-…"');
    return undefined;
  }
  const key = keys.lookup(header.replace(/^Bearer\s+/i, '').trim());
  if (!key) {
    sendOpenAIError(res, 401, 'authentication_error', 'invalid_api_key', 'invalid API key; check it, or ask the shop bot for a new one');
    return undefined;
  }
  if (key.revokedAt) {
    sendOpenAIError(res, 401, 'authentication_error', 'revoked_api_key', 'this API key was revoked; use your current key (/keys in the shop bot)');
    return undefined;
  }
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) {
    sendOpenAIError(res, 403, 'permission_error', 'expired_api_key', `this API key expired on ${key.expiresAt.slice(0, 10)}; renew it in the shop bot`);
    return undefined;
  }
  return key;
}
