/**
 * The owner's day-to-day flows on a customer, in the browser against `arbdesk serve`: add a
 * customer, record money received (confirmed in a dialog that says what will happen), issue a
 * key (shown once) that then works on the real proxy, and revoke it — after which the proxy
 * refuses it.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { SCREENSHOTS, startHeadless, type Headless } from './fixtures.js';

let app: Headless;

test.beforeAll(async () => {
  app = await startHeadless();
});

test.afterAll(async () => {
  await app?.stop();
});

/** The proxy's base URL, as the Status screen and `arbdesk url` give it. */
async function proxyBase(): Promise<string> {
  const status = await app.invoke<{ services: { id: string; detail: Record<string, string> }[] }>('system.status');
  const url = status.services.find((s) => s.id === 'proxy')?.detail.url;
  expect(url, 'the proxy publishes its URL').toBeTruthy();
  return url!.replace(/\/+$/, '');
}

test('credit a new customer, issue a key that works on the proxy, revoke it and the proxy refuses it', async ({ page }) => {
  await page.goto(app.loginUrl);
  await page.goto(`${app.baseUrl}/#/customers`);

  // Add a customer from the screen.
  await page.getByTestId('add-customer-button').click();
  const form = page.getByTestId('add-customer-form');
  await form.getByLabel('Name').fill('Dana Desk');
  await form.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByTestId('customer-added')).toContainText('Dana Desk');
  await page.getByTestId('customer-row').filter({ hasText: 'Dana Desk' }).getByRole('link').first().click();
  await expect(page.getByTestId('customer-balance')).toHaveText('$0.00');

  // Money received: the dialog says exactly what happens, then the balance shows it.
  await page.getByTestId('credit-amount').fill('12.50');
  await page.getByTestId('credit-memo').fill('bank transfer 2026-11-21');
  await page.getByTestId('credit-button').click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog.getByTestId('confirm-effect').first()).toContainText('$12.50');
  await dialog.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('customer-balance')).toHaveText('$12.50');
  await expect(page.getByTestId('ledger-row').first()).toContainText('bank transfer 2026-11-21');

  // Issue a key: shown once, in full.
  await page.getByTestId('issue-key-toggle').click();
  await page.getByTestId('issue-key-form').getByLabel('Label').fill('e2e laptop');
  await page.getByTestId('issue-key-button').click();
  const modal = page.getByTestId('new-key-modal');
  const key = (await modal.getByTestId('new-key-value').innerText()).trim();
  expect(key).toMatch(/^sk-arb-[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'customer-new-key.png') });
  await modal.getByTestId('new-key-done').click();
  await expect(modal).toBeHidden();
  const row = page.getByTestId('key-row').filter({ hasText: 'e2e laptop' });
  await expect(row).toHaveAttribute('data-status', 'active');
  await expect(page.getByText(key)).toHaveCount(0); // never shown again

  // The key works on the proxy and sees the balance.
  const base = await proxyBase();
  const auth = await page.request.get(`${base}/v1/auth`, { headers: { authorization: `Bearer ${key}` } });
  expect(auth.status()).toBe(200);
  expect(JSON.stringify(await auth.json())).toContain('12.5');

  // Revoke (confirmed), then the proxy refuses the key at once.
  await row.getByTestId('key-revoke').click();
  await page.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
  await expect(row).toHaveAttribute('data-status', 'revoked');
  const refused = await page.request.get(`${base}/v1/auth`, { headers: { authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.type).toBeTruthy();
});
