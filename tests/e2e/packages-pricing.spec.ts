/**
 * The owner's Packages and pricing screen, the Stars refund on an invoice page and a message to
 * a customer, in the browser against `arbdesk serve` with the fake upstream catalog (Claude 3.5
 * Sonnet at $3 / $15 and GPT-4o mini at $0.15 / $0.60 per 1M tokens) and the Bot API stand-in.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { BOT_TOKEN, SCREENSHOTS, startHeadless, type Headless } from './fixtures.js';
import { onboard, orderWithStars, payStars, type FakeTelegramClient } from '../fakes/telegram-client.js';

let app: Headless;

test.beforeAll(async () => {
  app = await startHeadless();
});

test.afterAll(async () => {
  await app?.stop();
});

const SONNET = 'anthropic/claude-3.5-sonnet';
const MINI = 'openai/gpt-4o-mini';

async function chooseFile(page: Page, name: string, content: unknown) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('packages-import').click();
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(content)) });
}

const row = (page: Page, text: string) => page.getByTestId('package-row').filter({ hasText: text });

test('import packages, preview a new markup, save it and see package prices follow; create, edit and retire a package', async ({ page }) => {
  await page.goto(app.loginUrl);
  await page.goto(`${app.baseUrl}/#/packages`);
  await expect(page.getByTestId('model-row').filter({ hasText: SONNET }).getByTestId('model-price')).toHaveText('$3.75 · $18.75');
  await expect(page.getByTestId('model-row').filter({ hasText: SONNET }).getByTestId('model-margin')).toHaveText('20.0 %');

  // A file with mistakes: every problem is listed and nothing is imported.
  await chooseFile(page, 'bad.json', [
    { model: SONNET, tokens: 1_000_000, description: 'ok' },
    { model: MINI, tokens: -5, description: 'negative' },
    { usd_credit: '10.00', description: 'typo', validity_day: 3 },
  ]);
  const problems = page.getByTestId('import-problems');
  await expect(problems).toContainText('item 2: tokens must be a positive whole number');
  await expect(problems).toContainText('item 3: unknown field "validity_day"');
  await expect(page.getByTestId('package-row')).toHaveCount(0);

  await chooseFile(page, 'packages.json', [
    { model: SONNET, tokens: 1_000_000, description: 'Sonnet 1M' },
    { model: MINI, tokens: 100_000, description: 'Mini 100k', validity_days: 30 },
    { usd_credit: '10.00', description: 'Ten dollars of credit' },
  ]);
  await expect(page.getByTestId('packages-done')).toContainText('Imported 3 packages from packages.json');
  await expect(row(page, 'Sonnet 1M').getByTestId('package-price')).toHaveText('$10.69');
  await expect(row(page, 'Mini 100k').getByTestId('package-price')).toHaveText('$0.14');
  await expect(row(page, 'Ten dollars').getByTestId('package-price')).toHaveText('$10.00');
  // The same package again is not put on sale twice.
  await chooseFile(page, 'again.json', [{ model: SONNET, tokens: 1_000_000, description: 'Sonnet 1M' }]);
  await expect(page.getByTestId('packages-done')).toContainText('Imported 0 packages from again.json; 1 already for sale with the same definition, not added again.');
  await expect(page.getByTestId('package-row')).toHaveCount(3);

  // Preview: 50 % markup. The host computes it; nothing is saved yet.
  await page.getByTestId('markup-input').fill('50');
  await expect(row(page, 'Sonnet 1M').getByTestId('package-preview-price')).toHaveText('→ $12.83');
  await expect(page.getByTestId('model-row').filter({ hasText: SONNET }).getByTestId('model-preview-price')).toHaveText('→ $4.50 · $22.50');
  await expect(row(page, 'Mini 100k').getByTestId('package-preview-price')).toHaveCount(0); // still cost + minimum profit
  await expect(row(page, 'Sonnet 1M').getByTestId('package-price')).toHaveText('$10.69');
  await expect(page.getByTestId('preview-state')).toContainText('1 unsaved change');
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'packages.png'), fullPage: true });

  await page.getByTestId('pricing-save').click();
  await expect(page.getByTestId('pricing-saved')).toContainText('1 package price changed');
  await expect(page.getByTestId('pricing-saved')).toContainText('Sonnet 1M: $10.69 → $12.83');
  await expect(row(page, 'Sonnet 1M').getByTestId('package-price')).toHaveText('$12.83');
  await expect(row(page, 'Sonnet 1M').getByTestId('package-preview-price')).toHaveCount(0);
  await expect(page.getByTestId('markup-input')).toHaveValue('50');
  // A fresh load shows the saved prices too (the host stored them, not just this page).
  await page.reload();
  await expect(row(page, 'Sonnet 1M').getByTestId('package-price')).toHaveText('$12.83');
  await expect(page.getByTestId('model-row').filter({ hasText: SONNET }).getByTestId('model-price')).toHaveText('$4.50 · $22.50');

  // A per-model fixed price, previewed then saved.
  await page.getByTestId('model-row').filter({ hasText: SONNET }).getByTestId('model-edit').click();
  await page.getByTestId('override-mode').getByText('Fixed price').click();
  await page.getByTestId('override-prompt').fill('6');
  await page.getByTestId('override-completion').fill('30');
  await page.getByTestId('override-apply').click();
  await expect(row(page, 'Sonnet 1M').getByTestId('package-preview-price')).toHaveText('→ $17.10');
  await page.getByTestId('pricing-save').click();
  await expect(row(page, 'Sonnet 1M').getByTestId('package-price')).toHaveText('$17.10');
  await expect(page.getByTestId('model-row').filter({ hasText: SONNET })).toContainText('fixed price');

  // Create: a mistake is shown on its field, then the package is created and priced.
  await page.getByTestId('package-new').click();
  await page.getByTestId('package-model').fill(MINI);
  await page.getByTestId('package-tokens').fill('lots');
  await page.getByTestId('package-description').fill('Mini 2M, 30 days');
  await page.getByTestId('package-save').click();
  await expect(page.getByTestId('package-form')).toContainText('Must be a positive whole number.');
  await page.getByTestId('package-tokens').fill('2000000');
  await page.getByTestId('package-validity').fill('30');
  await page.getByTestId('package-save').click();
  // 2M × blended $0.5625 / M = $1.125, 5 % bulk discount → $1.06875 → $1.07
  await expect(page.getByTestId('packages-done')).toContainText('Created “Mini 2M, 30 days”');
  await expect(row(page, 'Mini 2M').getByTestId('package-price')).toHaveText('$1.07');

  // Edit it: 3M tokens instead; the price is recomputed (3M × $0.5625 / M − 5 % = $1.603125 → $1.61).
  await row(page, 'Mini 2M').getByTestId('package-edit').click();
  await expect(page.getByTestId('package-tokens')).toHaveValue('2000000');
  await page.getByTestId('package-tokens').fill('3000000');
  await page.getByTestId('package-description').fill('Mini 3M, 30 days');
  await page.getByTestId('package-save').click();
  await expect(page.getByTestId('packages-done')).toContainText('Saved “Mini 3M, 30 days”');
  await expect(row(page, 'Mini 3M').getByTestId('package-price')).toHaveText('$1.61');
  await expect(row(page, 'Mini 3M')).toContainText('3,000,000 tokens of openai/gpt-4o-mini');

  // Retire it: it leaves the list, and shows as retired on request.
  await row(page, 'Mini 3M').getByTestId('package-retire').click();
  await expect(page.getByTestId('confirm-effect')).toContainText('Stop selling “Mini 3M, 30 days”');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('packages-done')).toContainText('Retired “Mini 3M, 30 days”');
  await expect(row(page, 'Mini 3M')).toHaveCount(0);
  await page.getByLabel(/Show retired/).check();
  await expect(row(page, 'Mini 3M')).toContainText('retired');
  await expect(row(page, 'Mini 3M').getByTestId('package-retire')).toHaveCount(0);
});

test('message a customer in Telegram, then refund their Stars purchase from the invoice page', async ({ page }) => {
  // Its own package for sale, so this test also runs alone ($0.14: cost + minimum profit at any markup used here).
  await app.invoke('packages.import', { packages: [{ model: MINI, tokens: 100_000, description: 'Mini 100k for Dora' }] });
  const dora = app.telegram.client(BOT_TOKEN, { userId: 5151, firstName: 'Dora' }) as FakeTelegramClient;
  const order = await orderWithStars(dora, await onboard(dora), MINI);
  const { payload, totalAmount } = order;
  await payStars(dora, order, 'e2e-refund-1');
  await dora.next(/sk-arb-/, { what: 'the key message' });

  // Message her from her customer page.
  await page.goto(app.loginUrl);
  await page.goto(`${app.baseUrl}/#/customers`);
  await page.getByTestId('customers-search').fill('5151');
  await page.getByTestId('customer-row').filter({ hasText: 'Dora' }).getByRole('link').first().click();
  await page.getByTestId('message-text').fill('Hi Dora, your Mini package is active. Write if you need anything!');
  await page.getByTestId('message-send').click();
  await expect(page.getByTestId('message-done')).toContainText('Delivered to Dora');
  const got = await dora.next(/Message from the shop/);
  expect(got.text).toContain('your Mini package is active');

  // Refund the Stars from the invoice page.
  await page.goto(`${app.baseUrl}/#/invoices`);
  await page.getByTestId('invoice-row').filter({ hasText: payload }).getByTestId('invoice-link').click();
  await expect(page.getByTestId('refund-form')).toBeVisible();
  await page.getByTestId('refund-button').click();
  await expect(page.getByTestId('refund-form')).toContainText('Say why in the memo');
  await page.getByTestId('refund-memo').fill('customer bought the wrong model');
  await page.getByTestId('refund-button').click();
  const effect = page.getByTestId('confirm-effect');
  await expect(effect).toContainText(`Return ${totalAmount} Stars to Dora (Telegram 5151) through Telegram`);
  await expect(page.getByTestId('confirm-dialog')).toContainText('The package sale of $0.14 is reversed');
  // 11 Stars at the locked $0.013 = $0.143 credited; the $0.003 over the price stays in the balance until the refund takes the credit back.
  await expect(page.getByTestId('confirm-dialog')).toContainText('The $0.143 the Stars were credited with goes back out of the balance. Available balance: $0.003 → $0.00.');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('refund-done')).toContainText(`Refunded ${totalAmount} Stars to Dora`);
  await expect(page.getByTestId('invoice-flags')).toContainText('refunded');
  await expect(page.getByTestId('refund-state')).toContainText('Refunded');

  const refunds = app.telegram.calls(BOT_TOKEN, 'refundStarPayment');
  expect(refunds).toHaveLength(1);
  expect(refunds[0]!.payload).toMatchObject({ user_id: 5151, telegram_payment_charge_id: 'e2e-refund-1' });
  expect(dora.refunded('e2e-refund-1')).toBe(true);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'invoice-refund.png'), fullPage: true });

  // After a reload the page still says it is refunded, and offers no second refund.
  await page.reload();
  await expect(page.getByTestId('refund-state')).toContainText('Refunded');
  await expect(page.getByTestId('refund-button')).toHaveCount(0);

  // Her page shows what the confirmation said: the balance and the allowance are gone.
  await page.getByRole('link', { name: 'Dora' }).first().click();
  await expect(page.getByTestId('customer-balance')).toHaveText('$0.00');
  await expect(page.getByTestId('ledger-table')).toContainText('payment_refund');
  await expect(page.getByTestId('allowance-row').filter({ hasText: MINI })).toHaveAttribute('data-expired', 'true');
});
