/**
 * Who may use the control server: requests carrying the owner token as
 * `Authorization: Bearer <token>` (CLI), or the session cookie the login URL sets (browser).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { sameSecret, sessionValue } from './owner-token.js';

export const SESSION_COOKIE = 'arbdesk_session';

export function readCookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  const header = headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function isAuthorized(headers: IncomingHttpHeaders, token: string): boolean {
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7).trim(), token)) return true;
  return sameSecret(readCookie(headers, SESSION_COOKIE), sessionValue(token));
}

/**
 * Browsers send Origin on cross-site requests and WebSocket upgrades; a page from another
 * origin must not drive the owner's dashboard with the owner's cookie.
 */
export function isSameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (!origin) return true; // CLI and same-origin GETs
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${sessionValue(token)}; HttpOnly; SameSite=Lax; Path=/`;
}
