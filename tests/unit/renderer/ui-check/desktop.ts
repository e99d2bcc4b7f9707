/** UI check section: desktop. Run with `npx tsx tests/unit/renderer/ui-check.ts desktop`. */
import { expect } from '@playwright/test';
import type { EventBatch } from '../../../../services/contract';
import { installFakes, type FakeControls } from '../fake-bridge';
import { NOW, problems, preparePage, cspViolations, emit, shot, launch } from './common';

export async function desktopMode(origin: string) {
  console.log('desktop mode (fake window.arbdesk)');
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await preparePage(page, 'desktop');
  await installFakes(page, { now: NOW, tailLines: 40 });
  await page.goto(`${origin}/index.html#/status`);

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
  await expect(token.getByTestId('secret-hint')).toHaveText('set'); // write-only: never the value or its last characters
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

  // Every navbar screen is built (proxyMode checks the Proxy screen); an unknown one is not found.
  await page.getByRole('link', { name: 'Proxy' }).click();
  await expect(page.getByRole('heading', { name: 'Proxy', level: 1 })).toBeVisible();
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
