/** UI check section: proxy. Run with `npx tsx tests/unit/renderer/ui-check.ts proxy`. */
import { expect } from '@playwright/test';
import { installFakes } from '../fake-bridge';
import { NOW, problems, preparePage, cspViolations, shot, launch, startFlood, stopFlood, emittedSoFar, statNumber } from './common';

export async function proxyMode(origin: string) {
  console.log('proxy screen (fake window.arbdesk, flood of proxy.request batches)');
  const browser = await launch();

  // 1. No requests yet: the empty state says how to get the first one.
  const emptyContext = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const empty = await emptyContext.newPage();
  await preparePage(empty, 'proxy-empty');
  await installFakes(empty, { now: NOW, proxyEmpty: true });
  await empty.goto(`${origin}/index.html#/proxy`);
  await expect(empty.getByRole('heading', { name: 'Proxy', level: 1 })).toBeVisible();
  const emptyState = empty.getByTestId('proxy-empty');
  await expect(emptyState).toBeVisible();
  await expect(emptyState).toContainText('arbdesk keys issue <customerId>');
  await expect(emptyState.getByTestId('proxy-empty-url')).toHaveText('http://127.0.0.1:8787/v1');
  await expect(empty.getByTestId('proxy-rps')).toHaveText('0');
  await expect(empty.getByTestId('proxy-p99')).toHaveText('—');
  await shot(empty, 'proxy-empty-light.png', true);
  // The first request replaces the empty state with the live screen.
  await startFlood(empty, 20);
  await expect(emptyState).toHaveCount(0);
  await expect(empty.getByTestId('proxy-request-row').first()).toBeVisible();
  await stopFlood(empty);
  await emptyContext.close();

  // 2. History, then a flood of 1,000 requests a second.
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await preparePage(page, 'proxy');
  await page.addInitScript(() => {
    const g = globalThis as unknown as { __longTasks: { start: number; duration: number }[] };
    g.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) g.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true } as never);
  });
  await installFakes(page, { now: NOW });
  await page.goto(`${origin}/index.html#/proxy`);
  await expect(page.getByRole('heading', { name: 'Proxy', level: 1 })).toBeVisible();
  const rows = page.getByTestId('proxy-requests').getByTestId('proxy-request-row');
  await expect(rows).toHaveCount(50); // the newest of the history from usage.list
  await expect(page.getByTestId('proxy-requests-summary')).toHaveText('Live: showing the newest 50 of the last 80 requests · pause to see them all.');
  await expect(page.getByTestId('proxy-top-models').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('proxy-top-customers')).toContainText('Alice Trading');
  await expect(page.getByTestId('proxy-requests')).toContainText('cus_newbie05'); // no name: the id
  expect(await page.content()).not.toContain('sk-arb-');

  await startFlood(page, 1000);
  await expect.poll(() => statNumber(page, 'proxy-rps'), { timeout: 10_000 }).toBeGreaterThan(800);
  const rps = await statNumber(page, 'proxy-rps');
  if (rps > 1200) throw new Error(`requests/s shows ${rps} under a 1,000/s flood`);
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId('proxy-requests-summary')).toContainText('showing the newest 50 of the last 500 requests');
  await expect(page.getByTestId('proxy-p50')).toHaveText(/\d+ ms|\d\.\d+ s/);
  await expect(page.getByTestId('proxy-p99')).toHaveText(/\d+ ms|\d\.\d+ s/);
  await expect(page.getByTestId('proxy-profit')).toHaveText(/^\$[\d,]+\.\d{2}/);
  await expect(page.getByTestId('proxy-errors')).toHaveText(/%$/);
  await expect(page.getByTestId('proxy-error-kinds')).toContainText('upstream_error');
  await expect(page.getByTestId('proxy-error-kinds')).toContainText('rate_limited'); // only the host knows these
  await expect(page.getByTestId('proxy-chart')).toHaveAttribute('aria-label', /Last second: [\d,]+ requests\/s, p99/);

  // Long tasks while the flood runs (measured, reported; not a pass/fail threshold).
  await page.waitForTimeout(2000); // let the first second of the chart fill in
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return { task: m.TaskDuration ?? 0, script: m.ScriptDuration ?? 0, layout: m.LayoutDuration ?? 0, style: m.RecalcStyleDuration ?? 0 };
  };
  const startTasks = await page.evaluate(() => (globalThis as unknown as { __longTasks: unknown[] }).__longTasks.length);
  const startEmitted = await emittedSoFar(page);
  const m0 = await metric();
  const t0 = Date.now();
  const MEASURE_MS = 20_000;
  await page.waitForTimeout(MEASURE_MS);
  const seconds = (Date.now() - t0) / 1000;
  const m1 = await metric();
  const emitted = (await emittedSoFar(page)) - startEmitted;
  const longTasks = await page.evaluate((from) => (globalThis as unknown as { __longTasks: { duration: number }[] }).__longTasks.slice(from), startTasks);
  const durations = longTasks.map((t) => Math.round(t.duration)).sort((a, b) => b - a);
  console.log(
    `  flood: ${Math.round(emitted / seconds)} events/s for ${seconds.toFixed(1)} s; ` +
      `long tasks (>50 ms): ${durations.length}${durations.length ? ` [${durations.join(', ')} ms]` : ''}; ` +
      `main thread busy ${(((m1.task - m0.task) / seconds) * 100).toFixed(1)} % ` +
      `(script ${(((m1.script - m0.script) / seconds) * 100).toFixed(1)} %, style ${(((m1.style - m0.style) / seconds) * 100).toFixed(1)} %, layout ${(((m1.layout - m0.layout) / seconds) * 100).toFixed(1)} %)`,
  );
  await shot(page, 'proxy-light.png');
  await shot(page, 'proxy-light-full.png', true);

  // Filters (keyboard): customer, then outcome; every row shown matches.
  await page.getByRole('combobox', { name: 'Customer' }).focus();
  await page.keyboard.type('Bob');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('combobox', { name: 'Customer' })).toHaveValue("Bob's Bots (cus_bob00002)");
  await expect.poll(async () => {
    const customers = await rows.evaluateAll((els) => els.map((e) => e.children[1]?.textContent));
    return customers.length > 0 && customers.every((c) => c === "Bob's Bots");
  }).toBe(true);
  await page.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'upstream_error' }).click();
  await expect.poll(async () => {
    const outcomes = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')));
    return outcomes.length > 0 && outcomes.every((o) => o === 'upstream_error');
  }, { timeout: 10_000 }).toBe(true);
  await shot(page, 'proxy-filtered-light.png');

  // Pause freezes the table while the flood goes on.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('proxy-requests-summary')).toContainText(/Paused: showing \d+ matching, among the last 500 requests/);
  const frozen = await rows.first().getAttribute('data-request-id');
  await page.waitForTimeout(1500);
  expect(await rows.first().getAttribute('data-request-id')).toBe(frozen);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => rows.first().getAttribute('data-request-id'), { timeout: 5_000 }).not.toBe(frozen);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByRole('button', { name: 'Clear filters' })).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Customer' })).toHaveValue('');
  await expect(rows).toHaveCount(50);

  // Keyboard: from the heading, Tab reaches the filters and the Pause button.
  await page.getByRole('heading', { name: 'Proxy', level: 1 }).focus();
  let reachedPause = false;
  for (let i = 0; i < 40 && !reachedPause; i++) {
    await page.keyboard.press('Tab');
    reachedPause = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent === 'Pause');
  }
  if (!reachedPause) throw new Error('Tab never reached the Pause button');

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.mouse.move(700, 120); // away from the theme button's tooltip
  await page.waitForTimeout(1200);
  await shot(page, 'proxy-dark.png');
  await shot(page, 'proxy-dark-full.png', true);

  await page.setViewportSize({ width: 420, height: 900 });
  await page.waitForTimeout(600);
  await shot(page, 'proxy-narrow-dark.png');
  await stopFlood(page);
  const csp = await cspViolations(page);
  if (csp.length) problems.push(`[proxy] CSP violations: ${csp.join(', ')}`);
  await browser.close();
}
