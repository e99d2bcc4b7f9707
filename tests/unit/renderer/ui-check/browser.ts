/** UI check section: browser. Run with `npx tsx tests/unit/renderer/ui-check.ts browser`. */
import { expect } from '@playwright/test';
import { NOW, problems, preparePage, cspViolations, shot, launch } from './common';

export async function browserMode(origin: string) {
  console.log('browser mode (HTTP + WebSocket, routed by Playwright)');
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'dark' });
  const page = await context.newPage();
  await preparePage(page, 'browser');
  const invoked: string[] = [];
  const statuses = [
    { id: 'proxy', name: 'Reselling proxy', state: 'running', reason: 'listening on http://127.0.0.1:8787', since: new Date(NOW - 60_000).toISOString(), restarts: 0, detail: { url: 'http://127.0.0.1:8787/v1' } },
    { id: 'bot', name: 'Telegram shop bot', state: 'running', reason: 'polling', since: new Date(NOW - 60_000).toISOString(), restarts: 0, detail: { username: '@TestNameBot' } },
  ];
  await page.route('**/api/invoke/*', async (route) => {
    const method = new URL(route.request().url()).pathname.split('/').pop()!;
    invoked.push(method);
    const headers = route.request().headers();
    if (headers['content-type'] !== 'application/json') throw new Error(`content-type was ${headers['content-type']}`);
    const value =
      method === 'system.status'
        ? { version: '0.1.0', mode: 'headless', pid: 1, startedAt: new Date(NOW - 60_000).toISOString(), uptimeSeconds: 60, dataDir: '/srv/arbdesk', services: statuses }
        : method === 'logs.tail'
          ? { lines: [{ seq: 1, time: new Date(NOW - 5000).toISOString(), level: 'info', msg: 'services host started', service: 'host', fields: {} }] }
          : null;
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, value }) });
  });
  let connections = 0;
  let closeFirst = true;
  await page.routeWebSocket('**/api/events', (ws) => {
    connections += 1;
    ws.send(JSON.stringify({ stream: 'host.status', events: [{ state: 'up', reason: 'connected', restarts: 0 }] }));
    ws.send(JSON.stringify({ stream: 'service.status', events: statuses }));
    if (connections === 1) {
      ws.send(JSON.stringify({ stream: 'log', events: [{ seq: 2, time: new Date(NOW - 1000).toISOString(), level: 'info', msg: 'customer 4242 sent /start', service: 'bot', fields: {} }] }));
    }
    if (connections === 1 && closeFirst) {
      closeFirst = false;
      // Tests below close it on demand.
      (globalThis as unknown as { __closeWs: () => void }).__closeWs = () => void ws.close({ code: 1001, reason: '' });
    }
  });
  await page.goto(`${origin}/#/status`);
  await expect(page).toHaveURL(/#\/status$/);
  await expect(page.getByTestId('service-row-bot')).toContainText('@TestNameBot');
  await expect(page.getByTestId('log-tail')).toContainText('services host started');
  await expect(page.getByTestId('log-tail')).toContainText('customer 4242 sent /start');
  await expect(page.getByTestId('system-mode')).toHaveText('headless');
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);
  // Close the socket: the banner says why, then the client reconnects by itself.
  (globalThis as unknown as { __closeWs: () => void }).__closeWs();
  const banner = page.getByTestId('connection-banner');
  await expect(banner).toContainText('Connection to the services host is down');
  await expect(banner).toContainText('The control server is shutting down.');
  await expect(page.getByTestId('overall-status')).toHaveText('Disconnected');
  await shot(page, 'http-disconnected-dark.png');
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  if (connections < 2) throw new Error('the WebSocket did not reconnect');
  if (!invoked.includes('system.status') || !invoked.includes('logs.tail')) throw new Error(`invoked: ${invoked.join(',')}`);
  const csp = await cspViolations(page);
  if (csp.length) problems.push(`[browser] CSP violations: ${csp.join(', ')}`);
  await context.close();

  // Not signed in: every call answers 401.
  const signedOut = await browser.newContext({ viewport: { width: 1000, height: 700 }, colorScheme: 'light' });
  const page2 = await signedOut.newPage();
  await preparePage(page2, 'signed-out');
  await page2.route('**/api/invoke/*', (route) =>
    route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'unauthorized', message: 'Not signed in' } }) }),
  );
  await page2.routeWebSocket('**/api/events', (ws) => void ws.close({ code: 1006 }));
  await page2.goto(`${origin}/`);
  await expect(page2.getByRole('heading', { name: 'Not signed in' })).toBeVisible();
  await expect(page2.getByTestId('not-signed-in')).toHaveText(
    'Not signed inOpen the login URL printed by arbdesk serve (or run arbdesk url).',
  );
  await shot(page2, 'not-signed-in.png');
  await browser.close();
}
