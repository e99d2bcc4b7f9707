/** What every section of the UI check shares: the built renderer served locally, the browser, screenshots and the problem list. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { chromium, expect, type Page } from '@playwright/test';
import type { EventBatch } from '../../../../services/contract';
import { type FakeControls } from '../fake-bridge';

export const DIST = path.resolve('dist/renderer');
export const OUT = path.resolve('tests/artifacts/screenshots/renderer');
export const NOW = Date.now();

export const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export function serveDist(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(DIST, rel);
    if (!file.startsWith(DIST + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    }),
  );
}

export const problems: string[] = [];

export async function preparePage(page: Page, label: string) {
  page.on('pageerror', (e) => problems.push(`[${label}] page error: ${e.message}`));
  page.on('console', (m) => {
    // frame-ancestors is in the meta CSP as asked; browsers honour it only as a header (the
    // control server sends it) and say so on the console.
    if (m.type() === 'error' && !/WebSocket connection .* failed|'frame-ancestors' is ignored/.test(m.text())) problems.push(`[${label}] console: ${m.text()}`);
  });
  // tsx keeps function names with a __name helper; serialised functions need it in the page.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript(() => {
    const g = globalThis as unknown as { __csp: string[]; document: { addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void } };
    g.__csp = [];
    g.document.addEventListener('securitypolicyviolation', (e) => g.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp);
}

export const emit = (page: Page, batch: EventBatch) =>
  page.evaluate((b) => (globalThis as unknown as { __fakeArbdesk: FakeControls }).__fakeArbdesk.emit(b), batch);

export const shot = async (page: Page, name: string, fullPage = false) => {
  const file = path.join(OUT, name);
  if (fullPage) await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage });
  console.log(`  screenshot ${path.relative(process.cwd(), file)}`);
};

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
  });
}

export type Fake = { __fakeArbdesk: FakeControls };
export const startFlood = (page: Page, perSecond: number) => page.evaluate((n) => (globalThis as unknown as Fake).__fakeArbdesk.startProxyFlood(n), perSecond);
export const stopFlood = (page: Page) => page.evaluate(() => (globalThis as unknown as Fake).__fakeArbdesk.stopProxyFlood());
export const emittedSoFar = (page: Page) => page.evaluate(() => (globalThis as unknown as Fake).__fakeArbdesk.proxyEmitted());

/** The number in a stat card ("1,003" → 1003). */
export const statNumber = async (page: Page, testId: string) => Number((await page.getByTestId(testId).textContent())?.replace(/[^0-9.]/g, '') ?? 'NaN');

export const fake = (page: Page) => ({
  calls: () => page.evaluate(() => (globalThis as unknown as Fake).__fakeArbdesk.calls.map((c) => c.method)),
  startConfirmations: (everyMs: number) => page.evaluate((ms) => (globalThis as unknown as Fake).__fakeArbdesk.startConfirmations(ms), everyMs),
  customerWrites: (ticketId: string, text: string) => page.evaluate(([id, t]) => (globalThis as unknown as Fake).__fakeArbdesk.customerWrites(id!, t!), [ticketId, text]),
});

export async function toDark(page: Page) {
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  // No tooltip over the screenshot: the theme button keeps focus (and its tooltip) after the click.
  await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur(): void } | null } }).document.activeElement?.blur());
  await page.mouse.move(700, 10);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
}

/** Presses Tab until the focused element matches `test` (evaluated in the page); fails after `max`. */
export async function tabUntil(page: Page, what: string, test: string, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(new Function(`const el = document.activeElement; return Boolean(el && (${test}));`) as () => boolean)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}
