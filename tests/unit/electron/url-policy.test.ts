import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, contentTypeFor, isAppOrigin, isAppPageUrl, resolveAppAsset } from '../../../electron/main/app-url.js';
import {
  CONTENT_SECURITY_POLICY,
  decideNavigation,
  decideWindowOpen,
  externalUrlToOpen,
  isAllowedRequest,
  isPermissionAllowed,
  isTrustedSender,
  withContentSecurityPolicy,
} from '../../../electron/main/url-policy.js';

describe('the app page', () => {
  it('is arbdesk://app/index.html (or /), with any query or hash', () => {
    expect(APP_ENTRY_URL).toBe('arbdesk://app/index.html');
    expect(isAppPageUrl('arbdesk://app/index.html')).toBe(true);
    expect(isAppPageUrl('arbdesk://app/')).toBe(true);
    expect(isAppPageUrl('arbdesk://app/index.html#/settings')).toBe(true);
    expect(isAppPageUrl('arbdesk://app/index.html?x=1')).toBe(true);
  });

  it('is not another path, host, scheme, port or a URL with credentials', () => {
    for (const url of [
      'arbdesk://app/assets/index.js',
      'arbdesk://other/index.html',
      'arbdesk://app.evil.com/index.html',
      'arbdesk://app:8080/index.html',
      'arbdesk://user:pw@app/index.html',
      'file:///opt/ArbDesk/dist/renderer/index.html',
      'https://app/index.html',
      'http://127.0.0.1:5173/index.html',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(isAppPageUrl(url), url).toBe(false);
    }
  });

  it('has an origin that covers its assets but nothing else', () => {
    expect(isAppOrigin('arbdesk://app/assets/index-abc.js')).toBe(true);
    expect(isAppOrigin('arbdesk://app')).toBe(true);
    expect(isAppOrigin('arbdesk://evil/assets/index-abc.js')).toBe(false);
  });
});

describe('serving the renderer folder', () => {
  const root = path.resolve('/opt/arbdesk/dist/renderer');

  it('maps app URLs to files inside the folder', () => {
    expect(resolveAppAsset(root, 'arbdesk://app/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(root, 'arbdesk://app/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(root, 'arbdesk://app/assets/index-abc.js?v=1')).toBe(path.join(root, 'assets', 'index-abc.js'));
  });

  it('never serves a file outside the folder or for another host', () => {
    for (const url of [
      'arbdesk://app/a%2f..%2f..%2f..%2fetc%2fpasswd',
      'arbdesk://app/%2e%2e%2f%2e%2e%2fsecrets.json',
      'arbdesk://app/..%5c..%5csecrets.json',
      'arbdesk://app/x%00.html',
      'arbdesk://app/%E0%A4%A',
      'arbdesk://other/index.html',
      'file:///etc/passwd',
    ]) {
      expect(resolveAppAsset(root, url), url).toBeNull();
    }
  });

  it('gives module scripts a JavaScript MIME type (Chromium refuses them otherwise)', () => {
    expect(contentTypeFor('/x/assets/index-abc.js')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/x/index.html')).toMatch(/^text\/html/);
    expect(contentTypeFor('/x/assets/index.CSS')).toMatch(/^text\/css/);
    expect(contentTypeFor('/x/blob.bin')).toBe('application/octet-stream');
  });
});

describe('navigation and new windows', () => {
  it('lets the window reload only its own page', () => {
    expect(decideNavigation('arbdesk://app/index.html')).toEqual({ allow: true });
    expect(decideNavigation('arbdesk://app/index.html#/logs')).toEqual({ allow: true });
    expect(decideNavigation('https://evil.example/phish')).toEqual({ allow: false, openExternally: null });
    expect(decideNavigation('file:///etc/passwd')).toEqual({ allow: false, openExternally: null });
    expect(decideNavigation('arbdesk://app/assets/index.js')).toEqual({ allow: false, openExternally: null });
  });

  it('sends allowlisted https links to the browser instead of navigating', () => {
    expect(decideNavigation('https://openrouter.ai/keys')).toEqual({ allow: false, openExternally: 'https://openrouter.ai/keys' });
    expect(decideWindowOpen('https://t.me/BotFather')).toEqual({ openExternally: 'https://t.me/BotFather' });
    expect(decideWindowOpen('https://core.telegram.org/bots/api')).toEqual({
      openExternally: 'https://core.telegram.org/bots/api',
    });
  });

  it('never opens anything else externally', () => {
    for (const url of [
      'http://openrouter.ai/keys', // not https
      'https://openrouter.ai.evil.example/', // look-alike host
      'https://evil.example/?https://openrouter.ai',
      'https://user:pw@openrouter.ai/',
      'https://openrouter.ai:8443/',
      'https://telegram.org.evil.example/',
      'file:///C:/Windows/System32/calc.exe',
      'javascript:alert(1)',
      'smb://attacker/share',
      'arbdesk://app/index.html',
      'nonsense',
    ]) {
      expect(externalUrlToOpen(url), url).toBeNull();
      expect(decideWindowOpen(url), url).toEqual({ openExternally: null });
    }
  });
});

describe('requests, permissions and IPC senders', () => {
  it('lets windows load only our own assets (plus devtools/data/blob)', () => {
    expect(isAllowedRequest('arbdesk://app/assets/index.js')).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(isAllowedRequest('https://openrouter.ai/api/v1/models')).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8787/')).toBe(false);
    expect(isAllowedRequest('ws://127.0.0.1:8787/ws')).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd')).toBe(false);
    expect(isAllowedRequest('arbdesk://other/x.js')).toBe(false);
  });

  it('denies every browser permission except clipboard writes from our page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'arbdesk://app/index.html')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'arbdesk://app')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(isPermissionAllowed(permission, 'arbdesk://app/index.html'), permission).toBe(false);
    }
  });

  it('trusts IPC only from the top frame of our page', () => {
    expect(isTrustedSender({ url: 'arbdesk://app/index.html', isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'arbdesk://app/index.html', isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('content security policy', () => {
  it('is the policy the renderer also declares in its meta tag', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('is exactly the meta CSP of renderer/index.html, so header and page never disagree', () => {
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it('replaces any CSP a response brings, whatever its letter case, and keeps other headers', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ["default-src *; script-src 'unsafe-eval' *"],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
  });
});
