/**
 * Wires the policies of url-policy.ts into Electron (security checklist in DESIGN.md):
 * our own `arbdesk://app` scheme serves the renderer with a CSP header; the session refuses
 * network requests, permissions and devices; every web contents is kept from navigating,
 * opening windows or attaching <webview>s. Applied to *every* web contents via
 * `web-contents-created`, so a window added later cannot forget it.
 */
import { readFile } from 'node:fs/promises';
import { app, protocol, shell, type Session, type WebContents } from 'electron';
import { APP_SCHEME, contentTypeFor, resolveAppAsset } from './app-url.js';
import type { Logger } from './log.js';
import {
  decideNavigation,
  decideWindowOpen,
  isAllowedRequest,
  isPermissionAllowed,
  withContentSecurityPolicy,
} from './url-policy.js';

/**
 * Must run before `ready`. `standard` gives the scheme a real origin (so 'self' in the CSP
 * means exactly arbdesk://app), `secure` makes it a secure context like https, and
 * `corsEnabled` lets Vite's `<script type="module" crossorigin>` load from it.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

/**
 * Serves dist/renderer on arbdesk://app/. Chromium does not run webRequest header hooks for
 * custom-scheme responses, so the CSP header is set here, on every response.
 */
export function serveRenderer(ses: Session, rendererDir: string, log: Logger): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const file = request.method === 'GET' ? resolveAppAsset(rendererDir, request.url) : null;
    if (file) {
      try {
        const body = await readFile(file);
        return new Response(body, {
          status: 200,
          headers: withContentSecurityPolicy({
            'Content-Type': contentTypeFor(file),
            'X-Content-Type-Options': 'nosniff',
            'Cache-Control': 'no-cache',
          }) as Record<string, string>,
        });
      } catch {
        // fall through to 404: missing file (renderer not built?) or unreadable
      }
    }
    log.warn('renderer asset not found', { url: request.url.slice(0, 200) });
    return new Response('Not found', {
      status: 404,
      headers: withContentSecurityPolicy({ 'Content-Type': 'text/plain; charset=utf-8' }) as Record<string, string>,
    });
  });
}

/** Session-wide refusals: network, permissions, devices; CSP on anything that still renders. */
export function hardenSession(ses: Session, log: Logger): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl);
    if (!allowed) log.warn('denied a permission request', { permission, url: details.requestingUrl.slice(0, 200) });
    callback(allowed);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  ses.setDevicePermissionHandler(() => false);

  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url);
    if (!allowed) log.warn('blocked a request from a window', { url: details.url.slice(0, 200) });
    callback({ cancel: !allowed });
  });
  // For any http(s) document that ever reaches a window despite the filter above, our CSP
  // replaces whatever the server sent.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

function openExternally(url: string, log: Logger): void {
  shell.openExternal(url).catch((err: Error) => log.warn('could not open a link in the browser', { url, error: err.message }));
}

/** Per web contents: no navigation away, no new windows, no <webview>. */
export function hardenWebContents(contents: WebContents, log: Logger): void {
  const guard = (event: { preventDefault(): void }, url: string): void => {
    const decision = decideNavigation(url);
    if (decision.allow) return;
    event.preventDefault();
    if (decision.openExternally) openExternally(decision.openExternally, log);
    else log.warn('blocked a navigation', { url: url.slice(0, 200) });
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  // will-navigate covers only the main frame; an iframe may not go anywhere either.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame) return;
    const decision = decideNavigation(event.url);
    if (!decision.allow) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const { openExternally: target } = decideWindowOpen(url);
    if (target) openExternally(target, log);
    else log.warn('blocked window.open', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
}

export function hardenAllWebContents(log: Logger): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
}
