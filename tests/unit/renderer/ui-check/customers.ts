/** UI check section: customers. Run with `npx tsx tests/unit/renderer/ui-check.ts customers`. */
import { expect } from '@playwright/test';
import { installFakes } from '../fake-bridge';
import { NOW, problems, preparePage, cspViolations, shot, launch, fake, toDark, tabUntil } from './common';

export async function customersMode(origin: string) {
  console.log('customers (fake window.arbdesk)');
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await preparePage(page, 'customers');
  await installFakes(page, { now: NOW });
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
