/**
 * The acceptance path of the foundation issue, as the owner sees it in a browser:
 * the dashboard loads with the token and shows every service live (the bot running against
 * the Bot API stand-in), a log line appears live, a missing or wrong token is refused, a
 * command outside the contract and bad input come back as clear errors, and a failing service
 * shows its reason and is restarted by the supervisor.
 */
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { BOT_TOKEN, SCREENSHOTS, startHeadless, type Headless } from './fixtures.js';

let app: Headless;

test.beforeAll(async () => {
  app = await startHeadless();
});

test.afterAll(async () => {
  await app?.stop();
});

test('the dashboard loads with the token and shows every service with its state', async ({ page }) => {
  await page.goto(app.loginUrl);
  // The login lands on the Overview; the services are on the Status screen.
  await expect(page).toHaveURL(`${app.baseUrl}/#/overview`);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.goto(`${app.baseUrl}/#/status`);
  await expect(page.getByRole('heading', { name: 'Status' })).toBeVisible();
  const proxy = page.getByTestId('service-row-proxy');
  await expect(proxy).toContainText('running');
  await expect(proxy).toContainText(/listening on http:\/\/127\.0\.0\.1:\d+/);
  const bot = page.getByTestId('service-row-bot');
  await expect(bot).toContainText('running');
  await expect(bot).toContainText('@TestNameBot');
  await expect(page.getByTestId('log-tail')).toContainText('services host started');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'status.png'), fullPage: true });
  // The owner token never appears on screen.
  const token = new URL(app.loginUrl).searchParams.get('token')!;
  expect(await page.content()).not.toContain(token);
});

test('a log line appears live when a customer talks to the bot', async ({ page }) => {
  await page.goto(app.loginUrl);
  await page.goto(`${app.baseUrl}/#/status`);
  const log = page.getByTestId('log-tail');
  await expect(log).toBeVisible();
  await expect(log.getByTestId('log-line').filter({ hasText: '/start' })).toHaveCount(0);
  const client = app.telegram.client(BOT_TOKEN);
  await client.sendCommand(client.makeCommand('/start'));
  await expect(log.getByTestId('log-line').filter({ hasText: '/start' })).toHaveCount(1);
});

test('a missing or wrong token is refused', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const missing = await page.goto(app.baseUrl);
  expect(missing?.status()).toBe(401);
  await expect(page.getByRole('heading', { name: 'Not signed in' })).toBeVisible();
  const wrong = await page.goto(`${app.baseUrl}/?token=wrong-token`);
  expect(wrong?.status()).toBe(401);
  await expect(page.getByText('This login link is wrong or out of date.')).toBeVisible();
  const api = await page.request.post(`${app.baseUrl}/api/invoke/system.status`, { data: {} });
  expect(api.status()).toBe(401);
  await context.close();
});

test('a command outside the contract is refused, and bad input gets a clear error', async ({ page }) => {
  await page.goto(app.loginUrl);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  const call = (method: string, body: unknown) =>
    page.evaluate(
      async ([m, b]) => (await fetch(`/api/invoke/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })).json(),
      [method, body] as const,
    );
  expect(await call('system.exec', { cmd: 'id' })).toEqual({
    ok: false,
    error: { code: 'unknown_command', message: '"system.exec" is not a command of the ArbDesk contract' },
  });
  const bad = (await call('settings.update', { changes: { 'proxy.port': 'eighty' } })) as { error: { message: string } };
  expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(bad.error.message).toMatch(/proxy\.port/);
});

test('a failing service shows its reason in the UI and the supervisor restarts it', async ({ page }) => {
  // Occupy a port, then point the proxy at it from the Settings screen.
  const blocker: Server = createServer();
  const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
  await page.goto(app.loginUrl);
  await page.goto(`${app.baseUrl}/#/settings`);
  const row = page.getByTestId('setting-proxy.port');
  await row.getByRole('textbox').fill(String(port));
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();

  await page.goto(`${app.baseUrl}/#/status`);
  const proxy = page.getByTestId('service-row-proxy');
  await expect(proxy).toContainText('failed');
  await expect(proxy).toContainText(`port ${port} on 127.0.0.1 is already in use`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'status-failed.png'), fullPage: true });

  await new Promise<void>((resolve) => blocker.close(() => resolve()));
  await expect(proxy).toContainText('running');
  await expect(proxy).toContainText(`listening on http://127.0.0.1:${port}`);
});
