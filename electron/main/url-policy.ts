/**
 * The shell's security decisions as pure functions, so each rule is unit-tested and
 * electron/main/security.ts only wires them to Electron events.
 *
 * The rule of thumb: the window shows our one page and nothing else. It never navigates away,
 * never opens windows, never loads anything from the network, never gets a browser permission
 * (with one exception below), and links to a few well-known sites open in the owner's browser.
 */
import { isAppOrigin, isAppPageUrl } from './app-url.js';

/** Same policy as the meta tag in renderer/index.html; sent as a header on every app response. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // Mantine injects <style> tags at runtime
  "img-src 'self' data:", // QR codes and inline SVG icons are data: URLs
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Sites the owner may be sent to from the UI (docs and account pages the settings screens link
 * to). Exact host names: no subdomain wildcards, so a look-alike host never matches.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['openrouter.ai', 'core.telegram.org', 't.me'];

/** Returns the URL to hand to shell.openExternal, or null when it is not allowlisted. */
export function externalUrlToOpen(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.port) return null;
  if (!EXTERNAL_HOSTS.includes(u.hostname)) return null;
  return u.href; // the normalised form we checked, not the raw string
}

export type NavigationDecision = { allow: true } | { allow: false; openExternally: string | null };

/**
 * will-navigate / will-redirect / will-frame-navigate: only the app's own page may be (re)loaded.
 * An allowlisted link clicked without target=_blank still reaches the owner's browser.
 */
export function decideNavigation(url: string): NavigationDecision {
  if (isAppPageUrl(url)) return { allow: true };
  return { allow: false, openExternally: externalUrlToOpen(url) };
}

/** setWindowOpenHandler: never a new Electron window; allowlisted URLs go to the browser. */
export function decideWindowOpen(url: string): { openExternally: string | null } {
  return { openExternally: externalUrlToOpen(url) };
}

/**
 * Requests the session lets through (webRequest.onBeforeRequest). The UI talks to the services
 * only over IPC, so any http(s)/ws request from a window is a bug or an injection: refuse it.
 * devtools: is the developer tools' own UI; data:/blob: never leave the machine.
 */
export function isAllowedRequest(url: string): boolean {
  if (isAppOrigin(url)) return true;
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  return scheme === 'devtools:' || scheme === 'data:' || scheme === 'blob:';
}

/**
 * Browser permissions (camera, notifications, geolocation ...) are all denied, except writing
 * to the clipboard from our own page: the UI copies a customer's API key (shown once) and
 * payment addresses, and navigator.clipboard.writeText needs this permission.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppOrigin(requestingUrl);
}

export interface SenderInfo {
  /** URL of the frame that sent the IPC message. */
  url: string;
  /** Only the top frame of our page is trusted; an iframe is never ours. */
  isMainFrame: boolean;
}

/** IPC is answered only for the top frame of our own page. */
export function isTrustedSender(sender: SenderInfo | null): boolean {
  return sender !== null && sender.isMainFrame && isAppPageUrl(sender.url);
}

/**
 * Returns response headers with our CSP, replacing any CSP already present (any letter case),
 * so nothing served into a window can loosen the policy.
 */
export function withContentSecurityPolicy(
  headers: Record<string, string | string[]> | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
  return out;
}
