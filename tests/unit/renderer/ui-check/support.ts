/** UI check section: support. Run with `npx tsx tests/unit/renderer/ui-check.ts support`. */
import { expect } from '@playwright/test';
import { installFakes } from '../fake-bridge';
import { NOW, problems, preparePage, cspViolations, shot, launch, fake, toDark } from './common';

export async function supportMode(origin: string) {
  console.log('support inbox (fake window.arbdesk, support.changed)');
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await preparePage(page, 'support');
  await installFakes(page, { now: NOW });
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
  await installFakes(page2, { now: NOW, botDown: true });
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
