/**
 * Looks at the built renderer in Chromium without the services host, checks what the owner
 * would notice, and writes screenshots to tests/artifacts/screenshots/renderer/.
 *
 *   npx vite build && npx tsx tests/unit/renderer/ui-check.ts [desktop|browser|proxy|customers|invoices|support …]
 *
 * Desktop mode: a fake `window.arbdesk` (fake-bridge.ts) answers commands and emits events.
 * Browser mode: no bridge; Playwright's page.route / page.routeWebSocket play the control
 * server (`POST /api/invoke/<method>`, WebSocket `/api/events`, 401 when not signed in).
 * Exits non-zero on the first failed check, on a page error or on a CSP violation.
 */
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { chromium, expect, type Page } from '@playwright/test';
import type { EventBatch } from '../../../services/contract';
import { installFakeBridge, type FakeControls } from './fake-bridge';

const DIST = path.resolve('dist/renderer');
const OUT = path.resolve('tests/artifacts/screenshots/renderer');
const NOW = Date.now();

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function serveDist(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(DIST, rel);
    if (!file.startsWith(DIST + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    }),
  );
}

const problems: string[] = [];

async function preparePage(page: Page, label: string) {
  page.on('pageerror', (e) => problems.push(`[${label}] page error: ${e.message}`));
  page.on('console', (m) => {
    // frame-ancestors is in the meta CSP as asked; browsers honour it only as a header (the
    // control server sends it) and say so on the console.
    if (m.type() === 'error' && !/WebSocket connection .* failed|'frame-ancestors' is ignored/.test(m.text())) problems.push(`[${label}] console: ${m.text()}`);
  });
  // tsx keeps function names with a __name helper; serialised functions need it in the page.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript(() => {
    const g = globalThis as unknown as { __csp: string[]; document: { addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void } };
    g.__csp = [];
    g.document.addEventListener('securitypolicyviolation', (e) => g.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp);
}

const emit = (page: Page, batch: EventBatch) =>
  page.evaluate((b) => (globalThis as unknown as { __fakeArbdesk: FakeControls }).__fakeArbdesk.emit(b), batch);

const shot = async (page: Page, name: string, fullPage = false) => {
  const file = path.join(OUT, name);
  if (fullPage) await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage });
  console.log(`  screenshot ${path.relative(process.cwd(), file)}`);
};

async function desktopMode(origin: string) {
  console.log('desktop mode (fake window.arbdesk)');
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await preparePage(page, 'desktop');
  await page.addInitScript(installFakeBridge, { now: NOW, tailLines: 40 });
  await page.goto(`${origin}/index.html`);

  await expect(page).toHaveURL(/#\/status$/);
  await expect(page.getByRole('heading', { name: 'Status', level: 1 })).toBeVisible();
  await expect(page.getByTestId('system-version')).toHaveText('0.1.0');
  await expect(page.getByTestId('system-mode')).toHaveText('desktop');
  await expect(page.getByTestId('system-data-dir')).toHaveText('/home/owner/.config/ArbDesk');
  for (const [id, state] of [['proxy', 'running'], ['bot', 'degraded'], ['payments', 'failed'], ['scanner', 'off']]) {
    await expect(page.getByTestId(`service-row-${id}`).locator('[data-state]').first()).toHaveText(state!);
  }
  await expect(page.getByTestId('service-row-proxy')).toContainText('http://127.0.0.1:8787/v1');
  // Badges show their whole text (not squeezed into "run…").
  const clipped = await page.locator('[data-testid^="service-row-"] .mantine-Badge-label').evaluateAll((els) =>
    els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent),
  );
  if (clipped.length) throw new Error(`state badges are clipped: ${clipped.join(', ')}`);
  await expect(page.getByTestId('overall-status')).toHaveText('1 failed');
  const tail = page.getByTestId('log-tail');
  await expect(tail.getByTestId('log-line')).toHaveCount(40);
  await expect(tail).toContainText('services host started');

  // Live: a service changes state, new log lines arrive (one overlapping the tail).
  await emit(page, {
    stream: 'service.status',
    events: [{ id: 'payments', name: 'Payments watcher', state: 'running', reason: 'watching 2 addresses', since: new Date(NOW).toISOString(), restarts: 4, detail: { chain: 'ethereum' } }],
  });
  await expect(page.getByTestId('service-row-payments')).toContainText('running');
  await expect(page.getByTestId('service-row-payments')).toContainText('watching 2 addresses');
  await expect(page.getByTestId('overall-status')).toHaveText('1 degraded');
  const line = (seq: number, level: string, msg: string) => ({ seq, time: new Date(NOW - (1000 - seq) * 1500).toISOString(), level, msg, service: 'proxy', fields: {} });
  await emit(page, { stream: 'log', events: [line(40, 'info', 'dup'), ...[41, 42, 43, 44, 45].map((s) => line(s, 'info', `live line ${s}`))] } as EventBatch);
  await expect(tail.getByTestId('log-line')).toHaveCount(45);
  await expect(tail.getByTestId('log-line').last()).toContainText('live line 45');
  const atBottom = () => tail.evaluate((el) => Math.abs(el.scrollHeight - el.scrollTop - el.clientHeight) < 2);
  await expect.poll(atBottom).toBe(true);

  // Scrolled up: new lines do not move the view.
  await tail.evaluate((el) => {
    el.scrollTop = 0;
    el.dispatchEvent(new Event('scroll'));
  });
  await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeVisible();
  await emit(page, { stream: 'log', events: [line(46, 'warn', 'live line 46')] } as EventBatch);
  await expect(tail.getByTestId('log-line')).toHaveCount(46);
  expect(await tail.evaluate((el) => el.scrollTop)).toBe(0);
  await page.getByRole('button', { name: 'Jump to latest' }).click();
  await expect.poll(atBottom).toBe(true);
  await shot(page, 'status-light.png', true);

  // Level filter.
  const levelPicker = page.getByRole('radiogroup', { name: 'Minimum level' });
  await levelPicker.getByText('warn', { exact: true }).click();
  const levels = await tail.getByTestId('log-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-level')));
  if (levels.length === 0 || levels.some((l) => !['warn', 'error', 'fatal'].includes(l ?? ''))) {
    throw new Error(`level filter shows ${JSON.stringify(levels)}`);
  }
  await levelPicker.getByText('all', { exact: true }).click();

  // Dark theme.
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await shot(page, 'status-dark.png', true);

  // Host restarting → banner with the reason; back up → banner gone and snapshot re-read.
  await emit(page, { stream: 'host.status', events: [{ state: 'restarting', reason: 'services host exited with code 1', restarts: 2 }] });
  const banner = page.getByRole('alert').filter({ hasText: 'restarting' });
  await expect(banner).toContainText('The services host is restarting');
  await expect(banner).toContainText('Services host exited with code 1 (restart 2).');
  await expect(page.getByTestId('overall-status')).toHaveText('Restarting');
  await shot(page, 'banner-restarting-dark.png');
  const callsBefore = await page.evaluate(() => (globalThis as unknown as { __fakeArbdesk: FakeControls }).__fakeArbdesk.calls.length);
  await emit(page, { stream: 'host.status', events: [{ state: 'up', reason: '', restarts: 2 }] });
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as { __fakeArbdesk: FakeControls }).__fakeArbdesk.calls.map((c) => c.method)))
    .toEqual(expect.arrayContaining(['system.status']));
  expect(await page.evaluate(() => (globalThis as unknown as { __fakeArbdesk: FakeControls }).__fakeArbdesk.calls.length)).toBeGreaterThan(callsBefore);
  await page.getByRole('button', { name: 'Switch to light theme' }).click();

  // Settings.
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/#\/settings$/);
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeFocused();
  for (const group of ['proxy', 'telegram', 'upstream', 'pricing', 'scanners']) {
    await expect(page.getByTestId(`settings-group-${group}`)).toBeVisible();
  }
  const token = page.getByTestId('setting-telegram.token');
  await expect(token.getByTestId('secret-hint')).toHaveText('••••a1b2');
  await expect(token.getByRole('button', { name: 'Replace telegram.token' })).toBeVisible();
  await expect(page.getByTestId('setting-upstream.apiKey').getByRole('button', { name: 'Set upstream.apiKey' })).toBeVisible();
  await expect(page.getByTestId('setting-proxy.port').getByTestId('setting-source')).toHaveText('file');
  await expect(page.getByTestId('setting-telegram.token')).toContainText('ARBDESK_TELEGRAM_TOKEN');
  await shot(page, 'settings-light.png', true);

  const port = page.getByTestId('setting-proxy.port').getByRole('textbox');
  await port.fill('80a');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('setting-proxy.port')).toContainText('proxy.port: “80a” is not a number');
  await port.fill('99999');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('settings-error')).toContainText('settings.update: proxy.port: must be a port number (1–65535)');
  await shot(page, 'settings-error.png');

  await port.fill('8788');
  await token.getByRole('button', { name: 'Replace telegram.token' }).click();
  const secret = 'TOPSECRET-123456:zz';
  await token.getByLabel('New value for telegram.token').fill(secret);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('settings-saved')).toContainText('Updated proxy.port, telegram.token.');
  await expect(page.getByTestId('settings-shadowed')).toContainText(
    'telegram.token was saved, but the environment variable ARBDESK_TELEGRAM_TOKEN overrides it',
  );
  await expect(port).toHaveValue('8788');
  expect(await page.content()).not.toContain(secret);
  await shot(page, 'settings-saved.png');

  // Placeholders (the Proxy screen is real: proxyMode checks it) and not found.
  await page.getByRole('link', { name: 'Proxy' }).click();
  await expect(page.getByRole('heading', { name: 'Proxy', level: 1 })).toBeVisible();
  await expect(page.getByText('Not here yet')).toHaveCount(0);
  await page.getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  await expect(page.getByText('Not here yet')).toBeVisible();
  await shot(page, 'placeholder-reports.png');
  await page.goto(`${origin}/index.html#/nope`);
  await expect(page.getByRole('heading', { name: 'No such screen' })).toBeVisible();

  // Keyboard: Tab reaches the navbar links, Enter follows one, focus lands on the new heading.
  await page.goto(`${origin}/index.html#/status`);
  await expect(page.getByRole('heading', { name: 'Status', level: 1 })).toBeVisible();
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent === 'Customers');
  }
  if (!reached) throw new Error('Tab never reached the Customers link');
  await shot(page, 'keyboard-focus.png');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/customers$/);
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeFocused();

  const csp = await cspViolations(page);
  if (csp.length) problems.push(`[desktop] CSP violations: ${csp.join(', ')}`);

  // Narrow window: the navbar folds behind a burger button.
  await page.setViewportSize({ width: 420, height: 820 });
  await page.goto(`${origin}/index.html#/status`);
  const nav = page.getByRole('navigation', { name: 'Screens' });
  await expect(nav).not.toBeInViewport();
  await expect(nav).toHaveAttribute('inert', '');
  await page.getByRole('button', { name: 'Toggle navigation' }).click();
  await expect(nav).toBeInViewport({ ratio: 1 }); // slid all the way in
  await expect(nav).not.toHaveAttribute('inert');
  await shot(page, 'narrow-nav-open.png');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(nav).not.toBeInViewport();
  await browser.close();
}

async function browserMode(origin: string) {
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
  await page.goto(`${origin}/`);
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

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
  });
}

type Fake = { __fakeArbdesk: FakeControls };
const startFlood = (page: Page, perSecond: number) => page.evaluate((n) => (globalThis as unknown as Fake).__fakeArbdesk.startProxyFlood(n), perSecond);
const stopFlood = (page: Page) => page.evaluate(() => (globalThis as unknown as Fake).__fakeArbdesk.stopProxyFlood());
const emittedSoFar = (page: Page) => page.evaluate(() => (globalThis as unknown as Fake).__fakeArbdesk.proxyEmitted());

/** The number in a stat card ("1,003" → 1003). */
const statNumber = async (page: Page, testId: string) => Number((await page.getByTestId(testId).textContent())?.replace(/[^0-9.]/g, '') ?? 'NaN');

async function proxyMode(origin: string) {
  console.log('proxy screen (fake window.arbdesk, flood of proxy.request batches)');
  const browser = await launch();

  // 1. No requests yet: the empty state says how to get the first one.
  const emptyContext = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const empty = await emptyContext.newPage();
  await preparePage(empty, 'proxy-empty');
  await empty.addInitScript(installFakeBridge, { now: NOW, proxyEmpty: true });
  await empty.goto(`${origin}/index.html#/proxy`);
  await expect(empty.getByRole('heading', { name: 'Proxy', level: 1 })).toBeVisible();
  const emptyState = empty.getByTestId('proxy-empty');
  await expect(emptyState).toBeVisible();
  await expect(emptyState).toContainText('arbdesk keys issue <customerId>');
  await expect(emptyState.getByTestId('proxy-empty-url')).toHaveText('http://127.0.0.1:8787/v1');
  await expect(empty.getByTestId('proxy-rps')).toHaveText('0');
  await expect(empty.getByTestId('proxy-p99')).toHaveText('—');
  await shot(empty, 'proxy-empty-light.png', true);
  // The first request replaces the empty state with the live screen.
  await startFlood(empty, 20);
  await expect(emptyState).toHaveCount(0);
  await expect(empty.getByTestId('proxy-request-row').first()).toBeVisible();
  await stopFlood(empty);
  await emptyContext.close();

  // 2. History, then a flood of 1,000 requests a second.
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await preparePage(page, 'proxy');
  await page.addInitScript(() => {
    const g = globalThis as unknown as { __longTasks: { start: number; duration: number }[] };
    g.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) g.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true } as never);
  });
  await page.addInitScript(installFakeBridge, { now: NOW });
  await page.goto(`${origin}/index.html#/proxy`);
  await expect(page.getByRole('heading', { name: 'Proxy', level: 1 })).toBeVisible();
  const rows = page.getByTestId('proxy-requests').getByTestId('proxy-request-row');
  await expect(rows).toHaveCount(50); // the newest of the history from usage.list
  await expect(page.getByTestId('proxy-requests-summary')).toHaveText('Live: showing the newest 50 of the last 80 requests · pause to see them all.');
  await expect(page.getByTestId('proxy-top-models').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('proxy-top-customers')).toContainText('Alice Trading');
  await expect(page.getByTestId('proxy-requests')).toContainText('cus_newbie05'); // no name: the id
  expect(await page.content()).not.toContain('sk-arb-');

  await startFlood(page, 1000);
  await expect.poll(() => statNumber(page, 'proxy-rps'), { timeout: 10_000 }).toBeGreaterThan(800);
  const rps = await statNumber(page, 'proxy-rps');
  if (rps > 1200) throw new Error(`requests/s shows ${rps} under a 1,000/s flood`);
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId('proxy-requests-summary')).toContainText('showing the newest 50 of the last 500 requests');
  await expect(page.getByTestId('proxy-p50')).toHaveText(/\d+ ms|\d\.\d+ s/);
  await expect(page.getByTestId('proxy-p99')).toHaveText(/\d+ ms|\d\.\d+ s/);
  await expect(page.getByTestId('proxy-profit')).toHaveText(/^\$[\d,]+\.\d{2}/);
  await expect(page.getByTestId('proxy-errors')).toHaveText(/%$/);
  await expect(page.getByTestId('proxy-error-kinds')).toContainText('upstream_error');
  await expect(page.getByTestId('proxy-error-kinds')).toContainText('rate_limited'); // only the host knows these
  await expect(page.getByTestId('proxy-chart')).toHaveAttribute('aria-label', /Last second: [\d,]+ requests\/s, p99/);

  // Long tasks while the flood runs (measured, reported; not a pass/fail threshold).
  await page.waitForTimeout(2000); // let the first second of the chart fill in
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return { task: m.TaskDuration ?? 0, script: m.ScriptDuration ?? 0, layout: m.LayoutDuration ?? 0, style: m.RecalcStyleDuration ?? 0 };
  };
  const startTasks = await page.evaluate(() => (globalThis as unknown as { __longTasks: unknown[] }).__longTasks.length);
  const startEmitted = await emittedSoFar(page);
  const m0 = await metric();
  const t0 = Date.now();
  const MEASURE_MS = 20_000;
  await page.waitForTimeout(MEASURE_MS);
  const seconds = (Date.now() - t0) / 1000;
  const m1 = await metric();
  const emitted = (await emittedSoFar(page)) - startEmitted;
  const longTasks = await page.evaluate((from) => (globalThis as unknown as { __longTasks: { duration: number }[] }).__longTasks.slice(from), startTasks);
  const durations = longTasks.map((t) => Math.round(t.duration)).sort((a, b) => b - a);
  console.log(
    `  flood: ${Math.round(emitted / seconds)} events/s for ${seconds.toFixed(1)} s; ` +
      `long tasks (>50 ms): ${durations.length}${durations.length ? ` [${durations.join(', ')} ms]` : ''}; ` +
      `main thread busy ${(((m1.task - m0.task) / seconds) * 100).toFixed(1)} % ` +
      `(script ${(((m1.script - m0.script) / seconds) * 100).toFixed(1)} %, style ${(((m1.style - m0.style) / seconds) * 100).toFixed(1)} %, layout ${(((m1.layout - m0.layout) / seconds) * 100).toFixed(1)} %)`,
  );
  await shot(page, 'proxy-light.png');
  await shot(page, 'proxy-light-full.png', true);

  // Filters (keyboard): customer, then outcome; every row shown matches.
  await page.getByRole('combobox', { name: 'Customer' }).focus();
  await page.keyboard.type('Bob');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('combobox', { name: 'Customer' })).toHaveValue("Bob's Bots (cus_bob00002)");
  await expect.poll(async () => {
    const customers = await rows.evaluateAll((els) => els.map((e) => e.children[1]?.textContent));
    return customers.length > 0 && customers.every((c) => c === "Bob's Bots");
  }).toBe(true);
  await page.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'upstream_error' }).click();
  await expect.poll(async () => {
    const outcomes = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')));
    return outcomes.length > 0 && outcomes.every((o) => o === 'upstream_error');
  }, { timeout: 10_000 }).toBe(true);
  await shot(page, 'proxy-filtered-light.png');

  // Pause freezes the table while the flood goes on.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('proxy-requests-summary')).toContainText(/Paused: showing \d+ matching, among the last 500 requests/);
  const frozen = await rows.first().getAttribute('data-request-id');
  await page.waitForTimeout(1500);
  expect(await rows.first().getAttribute('data-request-id')).toBe(frozen);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => rows.first().getAttribute('data-request-id'), { timeout: 5_000 }).not.toBe(frozen);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByRole('button', { name: 'Clear filters' })).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Customer' })).toHaveValue('');
  await expect(rows).toHaveCount(50);

  // Keyboard: from the heading, Tab reaches the filters and the Pause button.
  await page.getByRole('heading', { name: 'Proxy', level: 1 }).focus();
  let reachedPause = false;
  for (let i = 0; i < 40 && !reachedPause; i++) {
    await page.keyboard.press('Tab');
    reachedPause = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent === 'Pause');
  }
  if (!reachedPause) throw new Error('Tab never reached the Pause button');

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.mouse.move(700, 120); // away from the theme button's tooltip
  await page.waitForTimeout(1200);
  await shot(page, 'proxy-dark.png');
  await shot(page, 'proxy-dark-full.png', true);

  await page.setViewportSize({ width: 420, height: 900 });
  await page.waitForTimeout(600);
  await shot(page, 'proxy-narrow-dark.png');
  await stopFlood(page);
  const csp = await cspViolations(page);
  if (csp.length) problems.push(`[proxy] CSP violations: ${csp.join(', ')}`);
  await browser.close();
}

const fake = (page: Page) => ({
  calls: () => page.evaluate(() => (globalThis as unknown as Fake).__fakeArbdesk.calls.map((c) => c.method)),
  startConfirmations: (everyMs: number) => page.evaluate((ms) => (globalThis as unknown as Fake).__fakeArbdesk.startConfirmations(ms), everyMs),
  customerWrites: (ticketId: string, text: string) => page.evaluate(([id, t]) => (globalThis as unknown as Fake).__fakeArbdesk.customerWrites(id!, t!), [ticketId, text]),
});

async function toDark(page: Page) {
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  // No tooltip over the screenshot: the theme button keeps focus (and its tooltip) after the click.
  await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur(): void } | null } }).document.activeElement?.blur());
  await page.mouse.move(700, 10);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
}

/** Presses Tab until the focused element matches `test` (evaluated in the page); fails after `max`. */
async function tabUntil(page: Page, what: string, test: string, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(new Function(`const el = document.activeElement; return Boolean(el && (${test}));`) as () => boolean)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

async function customersMode(origin: string) {
  console.log('customers (fake window.arbdesk)');
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await preparePage(page, 'customers');
  await page.addInitScript(installFakeBridge, { now: NOW });
  await page.goto(`${origin}/index.html#/customers`);
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible();
  const table = page.getByTestId('customers-table');
  const rows = table.getByTestId('customer-row');
  await expect(rows).toHaveCount(4);
  await expect(page.getByText('Not here yet')).toHaveCount(0);
  await expect(rows.filter({ hasText: 'Alice Trading' }).getByTestId('customer-row-balance')).toHaveText('$12.40');
  await expect(page.getByTestId('customers-summary')).toHaveText('4 customers · $63.80 in balances');

  // Search, then sort by balance (keyboard: the header is a button).
  await page.getByTestId('customers-search').fill('bob');
  await expect(rows).toHaveCount(1);
  await page.getByTestId('customers-search').fill('4242');
  await expect(rows).toHaveText([/Alice Trading/]);
  await page.getByTestId('customers-search').fill('');
  await table.getByRole('button', { name: 'Balance' }).focus();
  await page.keyboard.press('Enter');
  await expect(table.locator('th[aria-sort="descending"]')).toHaveText('Balance');
  await expect(rows.first()).toContainText('Carol Labs');
  await expect(rows.last()).toContainText('Dave K.');

  // Add a customer: a bad Telegram id is caught before sending; then it is added.
  await page.getByTestId('add-customer-button').click();
  const form = page.getByTestId('add-customer-form');
  await form.getByLabel('Name').fill('Eve Example');
  await form.getByLabel('Telegram id').fill('@eve');
  await form.getByRole('button', { name: 'Add customer' }).click();
  await expect(form).toContainText('A Telegram id is a positive number');
  await shot(page, 'customers-add-light.png');
  await form.getByLabel('Telegram id').fill('123456');
  await form.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByTestId('customer-added')).toContainText('Added Eve Example');
  await expect(rows).toHaveCount(5);
  await shot(page, 'customers-light.png');
  await toDark(page);
  await shot(page, 'customers-dark.png');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();

  // The customer page.
  await page.getByRole('link', { name: 'Alice Trading' }).click();
  await expect(page).toHaveURL(/#\/customers\/cus_alice001$/);
  await expect(page.getByRole('heading', { name: 'Alice Trading', level: 1 })).toBeFocused();
  await expect(page.getByTestId('customer-balance')).toHaveText('$12.40');
  await expect(page.getByTestId('customer-held')).toHaveText('$0.18');
  await expect(page.getByTestId('key-row')).toHaveCount(3);
  await expect(page.getByTestId('allowance-row')).toHaveCount(2);
  await expect(page.getByTestId('customer-invoice-row')).toHaveCount(3);
  await expect(page.getByTestId('usage-chart')).toHaveAttribute('aria-label', /^Charged per model, all time: /);
  await expect(page.getByTestId('ledger-row').first()).toContainText('goodwill');
  await shot(page, 'customer-light.png', true);

  // Credit: the confirmation says exactly what will happen; Escape cancels without sending.
  await page.getByTestId('credit-amount').fill('25');
  await page.getByTestId('credit-memo').fill('bank transfer');
  await page.getByTestId('credit-button').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText("Add $25.00 to Alice Trading's balance, recorded as money received: “bank transfer”.");
  await expect(dialog).toContainText('Available balance: $12.40 → $37.40.');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused(); // Enter alone never confirms
  await expect(page.getByRole('dialog').last()).toHaveCSS('opacity', '1'); // opening transition done
  await shot(page, 'customer-credit-confirm-light.png');
  const before = (await fake(page).calls()).length;
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  expect((await fake(page).calls()).slice(before)).not.toContain('customers.credit');
  await page.getByTestId('credit-button').click();
  await dialog.getByTestId('confirm-ok').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('credit-done')).toContainText('Recorded +$25.00');
  await expect(page.getByTestId('customer-balance')).toHaveText('$37.40');
  await expect(page.getByTestId('ledger-row').first()).toContainText('+$25.00');

  // Adjust below zero: the host refuses; its message shows under the adjust form, as it came.
  await page.getByTestId('adjust-amount').fill('-100');
  await page.getByTestId('adjust-button').click();
  await expect(page.getByTestId('adjust-form')).toContainText('An adjustment needs a memo saying why.');
  await page.getByTestId('adjust-memo').fill('refund for a double charge');
  await page.getByTestId('adjust-button').click();
  await expect(dialog).toContainText("Take $100.00 from Alice Trading's balance as an adjustment: “refund for a double charge”.");
  await expect(dialog).toContainText('That is below zero: the host will refuse it.');
  await dialog.getByTestId('confirm-ok').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('adjust-error')).toHaveText(/customers\.adjust failed: this adjustment would take Alice Trading's balance below zero/);
  await page.getByTestId('adjust-form').scrollIntoViewIfNeeded();
  await shot(page, 'customer-adjust-error-light.png');

  // Issue a key: shown once, with a copy button and a warning; gone from the page once closed.
  await page.getByTestId('issue-key-toggle').click();
  await page.getByTestId('issue-label').fill('ci runner');
  await page.getByTestId('issue-rpm').fill('30');
  await page.getByTestId('issue-key-button').click();
  const modal = page.getByRole('dialog');
  await expect(modal).toContainText('Shown once');
  const secret = (await modal.getByTestId('new-key-value').textContent()) ?? '';
  if (!/^sk-arb-\w{20,}$/.test(secret)) throw new Error(`new key looks wrong: ${secret}`);
  await expect(modal.getByTestId('new-key-copy')).toBeVisible();
  await expect(page.getByRole('dialog').last()).toHaveCSS('opacity', '1'); // opening transition done
  await shot(page, 'customer-new-key-light.png');
  await page.keyboard.press('Escape'); // does not close it: the owner closes it on purpose
  await expect(modal).toBeVisible();
  await modal.getByTestId('new-key-done').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('key-row')).toHaveCount(4);
  await expect(page.getByTestId('key-row').filter({ hasText: 'ci runner' })).toContainText('30 rpm');
  expect(await page.content()).not.toContain(secret);

  // Rotate (confirm, new key once), then revoke (confirm).
  const laptop = page.getByTestId('key-row').filter({ hasText: 'laptop' }).filter({ hasText: 'active' });
  await laptop.getByTestId('key-rotate').click();
  await expect(dialog).toContainText('the old key stops working at once');
  await dialog.getByTestId('confirm-ok').click();
  await expect(page.getByRole('dialog', { name: /\(rotated\)/ })).toContainText('has stopped working');
  const rotated = (await page.getByTestId('new-key-value').textContent()) ?? '';
  await page.getByTestId('new-key-done').click();
  expect(await page.content()).not.toContain(rotated);
  await expect(page.getByTestId('key-row')).toHaveCount(5);
  const runner = page.getByTestId('key-row').filter({ hasText: 'ci runner' });
  await runner.getByTestId('key-revoke').click();
  await expect(dialog).toContainText('every request made with it is refused from now on');
  await dialog.getByTestId('confirm-ok').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(runner).toHaveAttribute('data-status', 'revoked');

  // Grant tokens (confirm).
  await page.getByTestId('grant-toggle').click();
  await page.getByTestId('grant-model').fill('openai/gpt-4o-mini');
  await page.keyboard.press('Escape');
  await page.getByTestId('grant-tokens').fill('1,000,000');
  await page.getByTestId('grant-memo').fill('welcome bonus');
  await page.getByTestId('grant-button').click();
  await expect(dialog).toContainText('Give Alice Trading 1,000,000 tokens of openai/gpt-4o-mini, with no expiry: “welcome bonus”.');
  await dialog.getByTestId('confirm-ok').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('grant-done')).toBeVisible();
  await expect(page.getByTestId('allowance-row')).toHaveCount(3);

  // Keyboard: from the heading, Tab reaches the credit amount field.
  await page.getByRole('heading', { name: 'Alice Trading', level: 1 }).focus();
  await tabUntil(page, 'the credit amount field', `el.closest('[data-testid="credit-form"]') && el.tagName === 'INPUT'`);

  await toDark(page);
  await shot(page, 'customer-dark.png', true);
  await page.setViewportSize({ width: 420, height: 900 });
  await expect(page.getByRole('navigation', { name: 'Screens' })).not.toBeInViewport(); // folded away
  await shot(page, 'customer-narrow-dark.png');

  // An unknown customer.
  await page.goto(`${origin}/index.html#/customers/cus_nobody99`);
  await expect(page.getByTestId('customer-error')).toContainText('no customer cus_nobody99');
  const csp = await cspViolations(page);
  if (csp.length) problems.push(`[customers] CSP violations: ${csp.join(', ')}`);
  await browser.close();
}

async function invoicesMode(origin: string) {
  console.log('invoices (fake window.arbdesk, invoice.changed with rising confirmations)');
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await preparePage(page, 'invoices');
  await page.addInitScript(installFakeBridge, { now: NOW });
  await page.goto(`${origin}/index.html#/invoices`);
  await expect(page.getByRole('heading', { name: 'Invoices', level: 1 })).toBeVisible();
  const rows = page.getByTestId('invoices-table').getByTestId('invoice-row');
  await expect(rows).toHaveCount(9);
  const row = (id: string) => page.locator(`[data-testid="invoice-row"][data-invoice-id="${id}"]`);
  await expect(row('inv_B2eth').getByTestId('invoice-asset-amount')).toHaveText('0.0078125 ETH');
  await expect(row('inv_E5stars').getByTestId('invoice-asset-amount')).toHaveText('250 XTR');
  await expect(row('inv_A1live').getByTestId('invoice-asset-amount')).toHaveText('0.00015625 BTC');
  await expect(row('inv_D4late').getByTestId('invoice-status')).toHaveText('expired');
  await expect(row('inv_D4late').getByTestId('invoice-flags')).toHaveText('lateunderpaid');
  await expect(row('inv_D4late')).toHaveAttribute('data-attention', 'true');
  await expect(row('inv_D4late')).toContainText('Dave K.');
  await expect(row('inv_A1live').getByTestId('invoice-status')).toHaveText('confirming');
  await expect(row('inv_A1live').getByTestId('invoice-confirmations')).toHaveText('1');

  // Confirmations move live; the invoice settles at 3.
  await fake(page).startConfirmations(900);
  await expect(row('inv_A1live').getByTestId('invoice-confirmations')).toHaveText('2', { timeout: 5000 });
  await shot(page, 'invoices-light.png');
  await expect(row('inv_A1live').getByTestId('invoice-confirmations')).toHaveText('3', { timeout: 5000 });
  await expect(row('inv_A1live').getByTestId('invoice-status')).toHaveText('settled');

  // Filter by status (keyboard reachable segmented control).
  await page.getByTestId('invoices-filter').getByText('Expired (2)').click();
  await expect(rows).toHaveCount(2);
  await shot(page, 'invoices-expired-light.png');
  await page.getByTestId('invoices-filter').getByText(/^All/).click();
  await expect(rows).toHaveCount(9);
  await toDark(page);
  await shot(page, 'invoices-dark.png');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();

  // The late, short invoice: detail and resolution.
  await row('inv_D4late').getByTestId('invoice-link').click();
  await expect(page).toHaveURL(/#\/invoices\/inv_D4late$/);
  await expect(page.getByRole('heading', { name: 'Invoice inv_D4late', level: 1 })).toBeFocused();
  await expect(page.getByTestId('invoice-address')).toHaveText(/^bc1q/);
  await expect(page.getByRole('button', { name: 'Copy address' })).toBeVisible();
  await expect(page.getByTestId('invoice-asset-amount')).toHaveText('0.0002 BTC');
  await expect(page.getByTestId('payment-row')).toHaveCount(1);
  await expect(page.getByTestId('payment-row')).toContainText('0.000192 BTC');
  await expect(page.getByTestId('payment-row')).toContainText('late');
  await expect(page.getByTestId('resolve-form')).toContainText('Settling now would book a shortfall of $0.40.');
  await shot(page, 'invoice-light.png', true);
  await page.getByTestId('resolve-button').click();
  await expect(page.getByTestId('resolve-form')).toContainText('Say why in the memo');
  await page.getByTestId('resolve-memo').fill('customer paid the rest in cash');
  await page.getByTestId('resolve-button').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('confirm-effect')).toHaveText(
    'Mark invoice inv_D4late as settled: the order is delivered to Dave K.; a shortfall of $0.40 is booked as an adjustment.',
  );
  await expect(dialog).toContainText('Confirmed payments are worth $9.60 at the locked rate of 50000 USD per BTC, against $10.00 due.');
  await expect(page.getByRole('dialog').last()).toHaveCSS('opacity', '1'); // opening transition done
  await shot(page, 'invoice-resolve-confirm-light.png');
  await dialog.getByTestId('confirm-ok').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('resolve-done')).toContainText('is now settled');
  await expect(page.getByTestId('resolve-final')).toContainText('settled (resolved by hand)');
  await expect(page.getByTestId('order-status')).toHaveText('delivered');
  await toDark(page);
  await shot(page, 'invoice-dark.png', true);

  // A second resolve of the same invoice elsewhere: the host's conflict shows by the form.
  await page.goto(`${origin}/index.html#/invoices/inv_G7exp`);
  await page.getByTestId('resolve-memo').fill('never paid');
  await page.getByRole('radio', { name: 'Settle (deliver)' }).focus(); // keyboard: arrows pick the resolution
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: 'Mark invalid' })).toBeChecked();
  await page.getByTestId('resolve-button').click();
  await expect(page.getByRole('dialog').getByTestId('confirm-effect')).toHaveText(
    'Mark invoice inv_G7exp as invalid: the order is not delivered and the invoice stops waiting for payment.',
  );
  await page.getByRole('dialog').getByTestId('confirm-ok').click();
  await expect(page.getByTestId('resolve-final')).toContainText('invalid');

  // Live on the detail page: the payment's confirmations follow the invoice's.
  const live = await context.newPage();
  await preparePage(live, 'invoice-live');
  await live.addInitScript(installFakeBridge, { now: NOW });
  await live.goto(`${origin}/index.html#/invoices/inv_A1live`);
  await expect(live.getByTestId('payment-confirmations')).toHaveText('1');
  await fake(live).startConfirmations(700);
  await expect(live.getByTestId('payment-confirmations')).toHaveText('3', { timeout: 6000 });
  await expect(live.getByTestId('payment-row')).toHaveAttribute('data-status', 'confirmed');
  await expect(live.getByTestId('invoice-status').first()).toHaveText('settled');
  await expect(live.getByTestId('order-status')).toHaveText('delivered');
  await shot(live, 'invoice-live-settled-dark.png');
  const csp = await cspViolations(page);
  if (csp.length) problems.push(`[invoices] CSP violations: ${csp.join(', ')}`);
  await browser.close();
}

async function supportMode(origin: string) {
  console.log('support inbox (fake window.arbdesk, support.changed)');
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await preparePage(page, 'support');
  await page.addInitScript(installFakeBridge, { now: NOW });
  await page.goto(`${origin}/index.html#/support`);
  await expect(page.getByRole('heading', { name: 'Support', level: 1 })).toBeVisible();
  const list = page.getByTestId('tickets-list');
  const rows = list.getByTestId('ticket-row');
  await expect(rows).toHaveCount(3);
  // Open first, awaiting a reply before answered, newest activity first.
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-ticket-id')))).toEqual(['tkt_A1keys', 'tkt_B2pay', 'tkt_C3price']);
  await expect(page.getByTestId('ticket-none')).toBeVisible();
  await expect(page.getByTestId('support-summary')).toHaveText('3 open · 2 awaiting your reply · 1 closed');

  await rows.first().click();
  await expect(page).toHaveURL(/#\/support\/tkt_A1keys$/);
  const view = page.getByTestId('ticket-view');
  await expect(view.getByTestId('ticket-message')).toHaveCount(3);
  await expect(rows.first()).toHaveAttribute('aria-current', 'page');
  await view.getByTestId('ticket-reply').fill('Your laptop key expired yesterday. I issued a new one — check the bot.');
  await shot(page, 'support-light.png');
  await view.getByTestId('ticket-send').click();
  await expect(view.getByTestId('ticket-delivery')).toHaveText('Delivered to Alice Trading’s Telegram.');
  await expect(view.getByTestId('ticket-message')).toHaveCount(4);
  await expect(view.getByTestId('ticket-reply')).toHaveValue('');
  await expect(view.getByTestId('ticket-status')).toHaveText('open');

  // Live: the customer answers; a new ticket arrives at the top.
  await fake(page).customerWrites('tkt_A1keys', 'Got it, works now. Thanks!');
  await expect(view.getByTestId('ticket-message')).toHaveCount(5);
  await expect(view.getByTestId('ticket-status')).toHaveText('awaiting reply');
  await fake(page).customerWrites('tkt_N5newb', 'Hello? Is there a monthly plan?');
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toHaveAttribute('data-ticket-id', 'tkt_N5newb');

  // Keyboard: Ctrl+Enter sends.
  await view.getByTestId('ticket-reply').fill('Glad to hear it!');
  await view.getByTestId('ticket-reply').press('Control+Enter');
  await expect(view.getByTestId('ticket-message')).toHaveCount(6);

  // Close: it leaves the open list.
  await view.getByTestId('ticket-close').click();
  await expect(view.getByTestId('ticket-status')).toHaveText('closed');
  await expect(rows).toHaveCount(3);
  await page.getByTestId('tickets-filter').getByText(/^Closed/).click();
  await expect(rows).toHaveCount(2);
  await toDark(page);
  await shot(page, 'support-dark.png');
  await page.setViewportSize({ width: 420, height: 900 });
  await expect(page.getByRole('navigation', { name: 'Screens' })).not.toBeInViewport(); // folded away
  await shot(page, 'support-narrow-dark.png', true);
  await page.setViewportSize({ width: 1360, height: 900 });

  // Bot not running: the reply is kept but not delivered, and the owner is told why.
  const down = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page2 = await down.newPage();
  await preparePage(page2, 'support-bot-down');
  await page2.addInitScript(installFakeBridge, { now: NOW, botDown: true });
  await page2.goto(`${origin}/index.html#/support/tkt_B2pay`);
  const view2 = page2.getByTestId('ticket-view');
  await view2.getByTestId('ticket-reply').fill('Checking the payment now.');
  await view2.getByTestId('ticket-send').click();
  await expect(view2.getByTestId('ticket-delivery')).toContainText('not delivered to Telegram: the shop bot is not running');
  await expect(view2.getByTestId('ticket-delivery')).toHaveAttribute('data-delivered', 'false');
  await shot(page2, 'support-not-delivered-light.png');
  const csp = await cspViolations(page);
  if (csp.length) problems.push(`[support] CSP violations: ${csp.join(', ')}`);
  await browser.close();
}

async function main() {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/renderer is missing: run `npx vite build` first');
  mkdirSync(OUT, { recursive: true });
  const { server, origin } = await serveDist();
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  try {
    if (wanted('desktop')) await desktopMode(origin);
    if (wanted('browser')) await browserMode(origin);
    if (wanted('proxy')) await proxyMode(origin);
    if (wanted('customers')) await customersMode(origin);
    if (wanted('invoices')) await invoicesMode(origin);
    if (wanted('support')) await supportMode(origin);
  } finally {
    server.close();
  }
  // 401 answers are expected in the signed-out check; Chromium logs them as console errors.
  const unexpected = problems.filter((p) => !(p.startsWith('[signed-out] console:') && p.includes('401')));
  if (unexpected.length) {
    console.error(unexpected.join('\n'));
    process.exit(1);
  }
  console.log('all UI checks passed');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
