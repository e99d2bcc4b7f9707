/**
 * The owner's dashboard against `arbdesk serve`, the Bot API stand-in and the fake upstream:
 * a customer credited by the owner calls the proxy with their key (per-request charges), another
 * buys a token package with Telegram Stars and uses it (revenue at the sale, the allowance
 * request adds only upstream cost). The Overview shows exactly those figures and follows a new
 * request and a new support ticket live; Reports shows the same totals and its CSV holds them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import OpenAI from 'openai';
import { formatUsd } from '../../renderer/components/format.js';
import { microToDecimal } from '../../shared/report-csv.js';
import { onboard, orderWithStars, payStars, type FakeTelegramClient } from '../fakes/telegram-client.js';
import { BOT_TOKEN, SCREENSHOTS, startHeadless, type Headless } from './fixtures.js';

let app: Headless;
const MODEL = 'openai/gpt-4o-mini';

test.beforeAll(async () => {
  app = await startHeadless();
});

test.afterAll(async () => {
  await app?.stop();
});

interface Usage {
  recent: { chargeMicro: number; upstreamCostMicro: number; allowanceTokens: number }[];
}

/** What the host recorded: per-request charges and upstream cost of every request. */
async function usageTotals(): Promise<{ charged: number; cost: number; requests: number; allowanceRequests: number }> {
  const u = await app.invoke<Usage>('usage.list', { limit: 1000 });
  return {
    charged: u.recent.reduce((s, r) => s + r.chargeMicro, 0),
    cost: u.recent.reduce((s, r) => s + r.upstreamCostMicro, 0),
    requests: u.recent.length,
    allowanceRequests: u.recent.filter((r) => r.allowanceTokens > 0).length,
  };
}

async function expectMoney(page: Page, testId: string, micro: number) {
  const el = page.getByTestId(testId);
  await expect(el).toHaveAttribute('title', formatUsd(micro));
  await expect(el).toHaveText(formatUsd(micro, 'cents'));
}

test('the Overview shows the day exactly and follows new requests and tickets live; Reports and its CSV hold the same totals', async ({ page }) => {
  test.setTimeout(120_000);
  // --- seed: Carol pays per request from a credit the owner booked ---------------------------------
  const carol = await app.invoke<{ id: string }>('customers.add', { name: 'Carol' });
  await app.invoke('customers.credit', { customerId: carol.id, usd: '5', memo: 'bank transfer' });
  const issued = await app.invoke<{ key: string }>('keys.issue', { customerId: carol.id });
  const status = await app.invoke<{ services: { id: string; detail: { url?: string } }[] }>('system.status');
  const proxyUrl = status.services.find((s) => s.id === 'proxy')!.detail.url!;
  const ask = (key: string, content: string) =>
    new OpenAI({ apiKey: key, baseURL: `${proxyUrl}/v1`, maxRetries: 0 }).chat.completions.create({ model: MODEL, messages: [{ role: 'user', content }], max_tokens: 20 });
  await ask(issued.key, 'hello there');
  await ask(issued.key, 'tell me something about invoices and ledgers');

  // --- seed: Bob buys a token package with Telegram Stars and uses it -------------------------------
  const imported = await app.invoke<{ imported: { id: string; priceMicro: number }[] }>('packages.import', {
    packages: [{ model: MODEL, tokens: 100000, description: 'GPT-4o mini 100k' }],
  });
  const price = imported.imported[0]!.priceMicro;
  const bob = app.telegram.client(BOT_TOKEN, { userId: 5151, firstName: 'Bob' }) as FakeTelegramClient;
  const order = await orderWithStars(bob, await onboard(bob), MODEL);
  await payStars(bob, order, 'e2e-overview-stars-1');
  const delivered = await bob.next(/sk-arb-[\w-]{43}/, { what: 'the key message' });
  const bobKey = /sk-arb-[\w-]{43}/.exec(delivered.text)![0];
  await ask(bobKey, 'use my package please');

  // The host's own records are the expectation: the sale plus per-request charges; the allowance
  // request is charged 0 and adds only its upstream cost.
  await expect.poll(async () => (await usageTotals()).requests).toBe(3);
  const before = await usageTotals();
  expect(before.allowanceRequests).toBe(1);
  expect(before.charged).toBeGreaterThan(0);

  // --- Overview ---------------------------------------------------------------------------------
  await page.goto(app.loginUrl);
  await expect(page).toHaveURL(/#\/overview$/);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  const revenue = price + before.charged;
  await expectMoney(page, 'overview-today-revenue', revenue);
  await expectMoney(page, 'overview-today-cost', before.cost);
  await expectMoney(page, 'overview-today-profit', revenue - before.cost);
  await expectMoney(page, 'overview-30d-revenue', revenue);
  await expect(page.getByTestId('overview-active')).toHaveText('2');
  await expect(page.getByTestId('overview-invoices')).toHaveText('0');
  await expect(page.getByTestId('overview-tickets')).toHaveText('0');
  await expect(page.getByTestId('overview-credit')).toContainText('$');
  const sales = page.getByTestId('overview-sale');
  await expect(sales).toHaveCount(2);
  await expect(sales.nth(0)).toContainText('Bob');
  await expect(sales.nth(0)).toContainText('GPT-4o mini 100k');
  await expect(sales.nth(0)).toContainText('Telegram Stars');
  await expect(sales.nth(0)).toContainText(formatUsd(price, 'cents'));
  await expect(sales.nth(1)).toContainText('Carol');
  await expect(sales.nth(1)).toContainText('$5.00');
  await expect(sales.nth(1)).toContainText('Added by you');

  // Live: another request and a new ticket show up without a reload.
  await ask(issued.key, 'one more question about margins');
  // Requests per second come from the live event stream (the last 5 s).
  await expect(page.getByTestId('overview-rps')).not.toHaveText('0');
  await expect.poll(async () => (await usageTotals()).requests).toBe(4);
  const after = await usageTotals();
  await expectMoney(page, 'overview-today-revenue', price + after.charged);
  await expectMoney(page, 'overview-today-cost', after.cost);
  await bob.command('/support');
  await bob.next(/Write your message for the owner/);
  await bob.say('How long does my package last?');
  await bob.next(/Sent to the owner as ticket/);
  await expect(page.getByTestId('overview-tickets')).toHaveText('1');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'overview.png'), fullPage: true });

  // --- Reports ----------------------------------------------------------------------------------
  await page.getByRole('link', { name: 'Reports' }).first().click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  const total = price + after.charged;
  await expectMoney(page, 'reports-revenue', total);
  await expectMoney(page, 'reports-cost', after.cost);
  await expectMoney(page, 'reports-profit', total - after.cost);
  await expect(page.getByTestId('reports-definitions')).toContainText('Revenue');
  const byMethod = page.getByTestId('reports-by-method-row');
  await expect(byMethod.filter({ hasText: 'Telegram Stars' })).toContainText(formatUsd(price, 'cents'));
  await expect(byMethod.filter({ hasText: 'Requests paid from token allowances' })).toContainText('$0.00');
  await expect(page.getByTestId('reports-by-customer-row')).toHaveCount(2);
  await expect(page.getByTestId('reports-chart')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'reports.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reports-periods-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^arbdesk-pnl-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}-by-day\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  const lines = csv.split('\r\n');
  expect(lines[0]).toBe('period,from_utc,to_utc,revenue_usd,package_revenue_usd,usage_revenue_usd,upstream_cost_usd,profit_usd,margin_percent,requests,package_sales');
  const totalLine = lines.find((l) => l.startsWith('total,'))!;
  expect(totalLine.split(',').slice(3, 8)).toEqual([microToDecimal(total), microToDecimal(price), microToDecimal(after.charged), microToDecimal(after.cost), microToDecimal(total - after.cost)]);
  expect(totalLine.split(',').slice(9)).toEqual(['4', '1']);
  const today = new Date().toISOString().slice(0, 10);
  expect(lines.find((l) => l.startsWith(`${today},`))?.split(',')[3]).toBe(microToDecimal(total));
});
