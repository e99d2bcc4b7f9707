/**
 * Where the owner's UI lives inside the desktop app.
 *
 * The renderer is served from a custom scheme, `arbdesk://app/`, rather than `file://`
 * (Electron security checklist, "avoid file://"): a `file://` page shares its origin with every
 * other local file, so any file it is tricked into loading could talk to our IPC, whereas
 * `arbdesk://app` is an origin only our protocol handler answers, from one folder.
 *
 * Pure (no electron import) so the rules are unit-tested.
 */
import path from 'node:path';

export const APP_SCHEME = 'arbdesk';
export const APP_HOST = 'app';
/** What the window loads. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL on our own origin (any path). No credentials or ports: those are never ours. */
export function isAppOrigin(url: string): boolean {
  const u = parse(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}

/**
 * True for the app's one page (`/index.html`, or `/` which serves it). Query and fragment are
 * allowed: the UI may route with the hash, and that does not make it a different page.
 */
export function isAppPageUrl(url: string): boolean {
  if (!isAppOrigin(url)) return false;
  const { pathname } = new URL(url);
  return pathname === '/index.html' || pathname === '/';
}

/**
 * Maps a request URL on our origin to a file inside `rootDir` (dist/renderer), or null when the
 * URL is not ours or would escape the folder (`..`, encoded separators, absolute paths).
 */
export function resolveAppAsset(rootDir: string, url: string): string | null {
  if (!isAppOrigin(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null; // malformed %-escape
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Module scripts are refused without a JavaScript MIME type, so every asset gets an exact one. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
