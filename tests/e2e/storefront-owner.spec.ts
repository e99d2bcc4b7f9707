/**
 * The owner's side of the storefront in the browser, against `arbdesk serve` with the shop bot
 * on the Bot API stand-in: a customer's /support message becomes a ticket in the inbox, the
 * owner's reply from the desktop reaches the customer's chat; a Stars invoice on the invoices
 * screen turns from new to settled live when the payment arrives, and its customer's page
 * shows the allowance and the key.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { BOT_TOKEN, SCREENSHOTS, startHeadless, type Headless } from './fixtures.js';
import { onboard, orderWithStars, payStars, type FakeTelegramClient } from '../fakes/telegram-client.js';

let app: Headless;

test.beforeAll(async () => {
  app = await startHeadless();
});

test.afterAll(async () => {
  await app?.stop();
});

test('a support ticket from Telegram is answered from the desktop and the reply reaches the chat', async ({ page }) => {
  // The inbox is open before the ticket exists: it must appear live, without a reload.
  await page.goto(app.loginUrl);
  await page.goto(`${app.baseUrl}/#/support`);
  await expect(page.getByRole('heading', { name: 'Support' })).toBeVisible();

  const alice = app.telegram.client(BOT_TOKEN, { userId: 4242, firstName: 'Alice' }) as FakeTelegramClient;
  await onboard(alice);
  await alice.command('/support');
  await alice.next(/Write your message for the owner/);
  await alice.say('My key stopped working after I rotated it, can you help?');
  await alice.next(/Sent to the owner as ticket/);

  const row = page.getByTestId('ticket-row').filter({ hasText: 'Alice' });
  await expect(row).toBeVisible();
  await row.click();
  await expect(page.getByTestId('ticket-conversation')).toContainText('My key stopped working');
  await page.getByTestId('ticket-reply').fill('Use the new key from /keys — the old one was revoked on rotation.');
  await page.getByTestId('ticket-send').click();
  await expect(page.getByTestId('ticket-delivery')).toContainText('Delivered to Alice');
  const reply = await alice.next(/Reply from the shop/);
  expect(reply.text).toContain('Use the new key from /keys');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'support.png'), fullPage: true });
});

test('a Stars invoice turns settled live when its payment arrives, and the customer page shows what was delivered', async ({ page }) => {
  // A package for sale (the upstream stand-in prices it).
  await app.invoke('packages.import', { packages: [{ model: 'openai/gpt-4o-mini', tokens: 100000, description: 'GPT-4o mini 100k' }] });

  const bob = app.telegram.client(BOT_TOKEN, { userId: 4343, firstName: 'Bob' }) as FakeTelegramClient;
  const order = await orderWithStars(bob, await onboard(bob), 'openai/gpt-4o-mini');
  const { payload } = order;

  // The owner watches the invoice while it waits: it changes state live when the payment arrives.
  await page.goto(app.loginUrl);
  await page.goto(`${app.baseUrl}/#/invoices`);
  const row = page.getByTestId('invoice-row').filter({ hasText: payload });
  await expect(row.getByTestId('invoice-status')).toHaveAttribute('data-status', 'new'); // shown as "unpaid"

  await payStars(bob, order, 'e2e-stars-1');
  await bob.next(/sk-arb-/, { what: 'the key message' });
  await expect(row.getByTestId('invoice-status')).toHaveAttribute('data-status', 'settled');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'invoices.png'), fullPage: true });

  await page.goto(`${app.baseUrl}/#/customers`);
  await page.getByTestId('customer-row').filter({ hasText: 'Bob' }).getByRole('link').first().click();
  await expect(page.getByText('openai/gpt-4o-mini').first()).toBeVisible();
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'customer.png'), fullPage: true });
});
