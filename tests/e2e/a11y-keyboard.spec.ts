/**
 * Accessibility and keyboard sweep of every screen, against `arbdesk serve` with the shop bot on
 * the Bot API stand-in, in light and dark theme:
 *
 *  - every route in renderer/router/routes.ts ROUTES (so screens added later are covered as they
 *    land), plus a customer's page and an invoice's page seeded through the bot and the contract;
 *  - no serious or critical axe-core violation (WCAG 2 A/AA rules and best practices);
 *  - the screen is reachable from the navbar by keyboard alone (Tab … Enter), the skip link is
 *    the first Tab stop, and Alt+<n> opens the n-th screen;
 *  - a full-page screenshot per screen: tests/artifacts/screenshots/screen-<id>[-dark].png.
 *
 * Also: the first-run checklist in Settings tests values as they are entered and never shows a
 * saved secret, and owner alerts (a sale, a new ticket) pop up in the browser dashboard.
 */
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { ROUTES } from '../../renderer/router/routes.js';
import { onboard, orderWithStars, payStars, type FakeTelegramClient } from '../fakes/telegram-client.js';
import { BOT_TOKEN, SCREENSHOTS, startHeadless, type Headless } from './fixtures.js';

let app: Headless;
const seeded: { customerId?: string; invoiceId?: string } = {};

test.beforeAll(async () => {
  app = await startHeadless();
});

test.afterAll(async () => {
  await app?.stop();
});

test('owner alerts pop up in the browser dashboard: a sale and a new support ticket, each once', async ({ page }) => {
  await page.goto(app.loginUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  await app.invoke('packages.import', { packages: [{ model: 'openai/gpt-4o-mini', tokens: 100000, description: 'GPT-4o mini 100k' }] });
  const bob = app.telegram.client(BOT_TOKEN, { userId: 4343, firstName: 'Bob' }) as FakeTelegramClient;
  const order = await orderWithStars(bob, await onboard(bob), 'openai/gpt-4o-mini');
  await payStars(bob, order, 'a11y-stars-1');
  await bob.next(/sk-arb-/, { what: 'the key message' });

  const sale = page.getByTestId('owner-alert').filter({ hasText: 'Sale:' });
  await expect(sale).toHaveCount(1);
  await expect(sale).toContainText('Bob paid invoice');

  const alice = app.telegram.client(BOT_TOKEN, { userId: 4242, firstName: 'Alice' }) as FakeTelegramClient;
  await onboard(alice);
  await alice.command('/support');
  await alice.next(/Write your message for the owner/);
  await alice.say('The key does not work in my editor.');
  await alice.next(/Sent to the owner as ticket/);
  const ticket = page.getByTestId('owner-alert').filter({ hasText: 'New support ticket from Alice' });
  await expect(ticket).toHaveCount(1);
  await expect(ticket).toContainText('The key does not work in my editor.');
  // Its link opens the ticket.
  await ticket.getByRole('link', { name: 'Open' }).click();
  await expect(page).toHaveURL(/#\/support\/tkt_/);
  // The sale is still shown once (later invoice events do not repeat it).
  await expect(sale).toHaveCount(1);

  const invoices = await app.invoke<{ invoices: { id: string; customerId: string; status: string }[] }>('invoices.list', {});
  const settled = invoices.invoices.find((i) => i.status === 'settled')!;
  seeded.invoiceId = settled.id;
  seeded.customerId = settled.customerId;
});

test('the first-run checklist tests values as they are entered and never shows a saved secret', async ({ page }) => {
  await page.goto(app.loginUrl);
  await page.goto(`${app.baseUrl}/#/settings`);
  const token = page.getByTestId('setup-step-telegram.token');
  await expect(token.getByTestId('setup-state')).toHaveText('Done');
  await expect(token.getByTestId('setup-message')).toHaveText('token valid: @TestNameBot');
  await expect(token.getByTestId('setup-saved')).toHaveText('set');
  await expect(page.getByTestId('setup-step-upstream.apiKey').getByTestId('setup-message')).toContainText('key valid');

  const url = page.getByTestId('setup-step-proxy.publicUrl');
  await expect(url.getByTestId('setup-state')).toHaveText('Not done');
  await url.getByRole('button', { name: 'Set up' }).click();
  const field = url.getByRole('textbox', { name: "Proxy's public URL" });
  await expect(field).toBeFocused();
  await field.fill('http://shop.example.com/v1');
  await field.press('Enter');
  await expect(url.getByTestId('setup-state')).toHaveText('Problem');
  await expect(url.getByTestId('setup-message')).toContainText('use https://');
  await field.fill('https://shop.example.com/v1');
  await url.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(url.getByTestId('setup-message')).toContainText('(not saved yet)');
  await url.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(url.getByTestId('setup-state')).toHaveText('Done');
  await expect(url.getByTestId('setup-message')).toHaveText(/^well formed: customers will use https:\/\/shop\.example\.com\/v1/);
  await expect(page.getByTestId('setting-proxy.publicUrl').getByRole('textbox')).toHaveValue('https://shop.example.com/v1');

  // A malformed token typed in is refused with what to do; the saved one is never on the page.
  await token.getByRole('button', { name: 'Change' }).click();
  const secret = token.getByLabel('Telegram bot token', { exact: true });
  await expect(secret).toHaveValue('');
  await secret.fill('not-a-token');
  await secret.press('Enter');
  await expect(token.getByTestId('setup-message')).toContainText('@BotFather');
  await expect(page.getByTestId('setting-telegram.token').getByTestId('secret-hint')).toHaveText('set');
  expect(await page.content()).not.toContain(BOT_TOKEN);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'setup-checklist.png'), fullPage: true });
});

/** Tabs from the top of the page until `matches` says the focused element is the one; false after `limit` presses. */
async function tabTo(page: Page, matches: (el: { tag: string; text: string; href: string | null }) => boolean, limit = 60): Promise<boolean> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      type El = { tagName: string; textContent: string | null; getAttribute(name: string): string | null };
      const a = (globalThis as unknown as { document: { activeElement: El | null } }).document.activeElement;
      return { tag: a?.tagName ?? '', text: (a?.textContent ?? '').trim(), href: a?.getAttribute('href') ?? null };
    });
    if (matches(el)) return true;
  }
  return false;
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => `${n.target.join(' ')} ${n.any[0]?.message ?? ''}`.trim()) }));
}

/**
 * Violations found in screens other engineers own, reported to them and not fixed here (the rule
 * ids per screen). Anything else fails the test, so a new violation never slips in; remove an
 * entry once its screen is fixed (the test then says so).
 */
/** Violations known and reported but not failing the sweep, by screen id (none at present). */
const KNOWN_ELSEWHERE: Record<string, string[]> = {};

type Screen = { id: string; label: string; hash: () => string; list?: string; record?: () => string };

const SCREENS: Screen[] = [
  ...ROUTES.map((r) => ({ id: r.id as string, label: r.label as string, hash: () => `#/${r.id}` })),
  { id: 'customer-detail', label: 'Customers', hash: () => `#/customers/${seeded.customerId}`, list: '#/customers', record: () => seeded.customerId! },
  { id: 'invoice-detail', label: 'Invoices', hash: () => `#/invoices/${seeded.invoiceId}`, list: '#/invoices', record: () => seeded.invoiceId! },
];

for (const theme of ['light', 'dark'] as const) {
  for (const screen of SCREENS) {
    test(`${screen.id} (${theme}): reachable by keyboard, no serious axe violation, screenshot`, async ({ page }) => {
      if (screen.record && !seeded.invoiceId) {
        // A fresh worker (after a failed test) has lost the module state: find the records again.
        const { invoices } = await app.invoke<{ invoices: { id: string; customerId: string; status: string }[] }>('invoices.list', {});
        const settled = invoices.find((i) => i.status === 'settled');
        seeded.invoiceId = settled?.id;
        seeded.customerId = settled?.customerId;
      }
      test.skip(screen.record !== undefined && !seeded.invoiceId, 'needs the Stars sale made by the first test');
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      await page.goto(app.loginUrl);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);

      // The first Tab stop is the skip link; Enter moves focus into the main region.
      await page.keyboard.press('Tab');
      await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();

      // From the top of the page, Tab to the screen's navbar link and press Enter.
      await page.locator('body').focus();
      const reached = await tabTo(page, (el) => el.tag === 'A' && el.href === (screen.list ?? screen.hash()));
      expect(reached, `Tab reaches the ${screen.label} link in the navbar`).toBe(true);
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(new RegExp(`${(screen.list ?? screen.hash()).replace(/[/#]/g, '\\$&')}$`));
      if (screen.record) {
        // A record's page: Tab on from the list's heading to the record's link.
        const found = await tabTo(page, (el) => el.tag === 'A' && (el.href ?? '').endsWith(screen.record!()), 120);
        expect(found, `Tab reaches the link to ${screen.record()}`).toBe(true);
        await page.keyboard.press('Enter');
        await expect(page).toHaveURL(new RegExp(`${screen.hash().replace(/[/#]/g, '\\$&')}$`));
      }
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // Let data-driven content settle (loading lines replaced) before the audit.
      await expect(page.getByText(/^Loading/)).toHaveCount(0);

      const violations = await seriousViolations(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, `screen-${screen.id}${theme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
      if (violations.length) console.log(`[axe] ${screen.id} (${theme}):\n${JSON.stringify(violations, null, 2)}`);
      const known = KNOWN_ELSEWHERE[screen.id] ?? [];
      for (const v of violations.filter((x) => known.includes(x.rule))) test.info().annotations.push({ type: 'known a11y violation (reported)', description: `${v.rule}: ${v.targets.join(' | ')}` });
      expect(violations.filter((v) => !known.includes(v.rule)), `serious or critical axe violations on ${screen.id} (${theme})`).toEqual([]);
    });
  }
}

test('Alt+<n> opens the n-th screen of the navbar and focuses its heading', async ({ page }) => {
  await page.goto(app.loginUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  for (const [i, route] of ROUTES.slice(0, 9).entries()) {
    await page.keyboard.press(`Alt+Digit${i + 1}`);
    await expect(page).toHaveURL(new RegExp(`#/${route.id}$`));
    await expect(page.getByRole('link', { name: route.label, exact: true })).toHaveAttribute('aria-keyshortcuts', `Alt+${i + 1}`);
  }
  await page.keyboard.press('Alt+Digit1');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
});
