/**
 * The owner token guards the control server (dashboard and CLI). It is generated once, kept in
 * the data dir with mode 0600, and compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../config/files.js';

export function loadOrCreateOwnerToken(file: string): string {
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) {
      chmodSync(file, 0o600);
      return token;
    }
  }
  const token = randomBytes(32).toString('base64url');
  writeFileAtomic(file, token + '\n', 0o600);
  return token;
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The browser session cookie holds a value derived from the token, not the token itself. */
export function sessionValue(token: string): string {
  return createHash('sha256').update(`arbdesk-session:${token}`).digest('base64url');
}
