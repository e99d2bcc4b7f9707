/** UI check section: invoices. Run with `npx tsx tests/unit/renderer/ui-check.ts invoices`. */
import { expect } from '@playwright/test';
import { installFakes } from '../fake-bridge';
import { NOW, problems, preparePage, cspViolations, shot, launch, fake, toDark } from './common';

export async function invoicesMode(origin: string) {
  console.log('invoices (fake window.arbdesk, invoice.changed with rising confirmations)');
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await preparePage(page, 'invoices');
  await installFakes(page, { now: NOW });
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
  await installFakes(live, { now: NOW });
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
