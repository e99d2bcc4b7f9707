/**
 * The desktop app, driven by Playwright's Electron support: the window opens on the Overview
 * and the Status screen lists the services, the page gets `window.arbdesk` and nothing of Node, new
 * windows are refused, the keyboard reaches the screens and the first-run checklist, a crashed
 * services host is restarted, and quitting stops the host.
 *
 * Needs the Electron binary (not downloadable on CI) and, on Linux, a display (e.g. xvfb-run);
 * skips itself with the reason otherwise. Runs against the built app: `npm run build` first.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

function whyElectronCannotRun(): string | null {
  let binary: unknown;
  try {
    binary = createRequire(import.meta.url)('electron');
  } catch {
    binary = undefined;
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return 'Electron binary not installed: run `npm run electron:fetch` where the internet is reachable, then `npm run build`, to run the desktop e2e';
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (DISPLAY/WAYLAND_DISPLAY unset): run the desktop e2e under xvfb-run or in a desktop session';
  }
  return null;
}

const skipReason = whyElectronCannotRun();
test.skip(skipReason !== null, skipReason ?? '');

interface BridgeView {
  keys: string[];
  require: string;
  process: string;
  module: string;
}

/** What the page itself can see (runs in the page, like the UI's own code). */
async function pageView(page: Page): Promise<BridgeView> {
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return {
      keys: Object.keys(w.arbdesk as object).sort(),
      require: typeof w.require,
      process: typeof w.process,
      module: typeof w.module,
    };
  });
}

/** window.arbdesk.invoke from inside the page. */
async function invoke(page: Page, method: string, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  return page.evaluate(
    ([m, i]) => (window as unknown as { arbdesk: { invoke(m: unknown, i?: unknown): Promise<never> } }).arbdesk.invoke(m, i),
    [method, input] as const,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test.describe.configure({ mode: 'serial' });

let app: ElectronApplication;
let page: Page;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'arbdesk-electron-e2e-'));
  const args = [path.resolve('dist/electron/main.cjs'), '--data-dir', dataDir];
  // Chromium's OS sandbox cannot start as root (CI containers). webPreferences.sandbox still
  // applies, which is what the page-level checks below look at.
  if (process.platform === 'linux' && process.getuid?.() === 0) args.unshift('--no-sandbox');
  // Port 0: the proxy and control server pick free ports, so a running ArbDesk is no obstacle.
  const env: Record<string, string> = { ARBDESK_PROXY_PORT: '0', ARBDESK_CONTROL_PORT: '0' };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== 'ELECTRON_RUN_AS_NODE' && !(name in env)) env[name] = value;
  }
  app = await _electron.launch({ args, env });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close().catch(() => undefined);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the window opens on our own page (the Overview) and the Status screen shows the services', async () => {
  expect(page.url()).toMatch(/^arbdesk:\/\/app\/index\.html/);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.evaluate(() => {
    window.location.hash = '#/status';
  });
  await expect(page.getByRole('heading', { name: 'Status' })).toBeVisible();
  await expect(page.getByTestId('service-row-proxy')).toBeVisible();
  await expect(page.getByTestId('service-row-bot')).toBeVisible();
  await expect(page.getByTestId('service-row-proxy')).toContainText('running');
});

test('the page gets window.arbdesk with only invoke and subscribe, and no Node', async () => {
  expect(await pageView(page)).toEqual({ keys: ['invoke', 'subscribe'], require: 'undefined', process: 'undefined', module: 'undefined' });
  expect(await invoke(page, 'shell.exec', { cmd: 'id' })).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
  expect(await invoke(page, 'logs.tail', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(await invoke(page, 'system.status')).toMatchObject({ ok: true, value: { mode: 'desktop' } });
});

test('the page cannot open windows or leave the app', async () => {
  expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
  expect(app.windows()).toHaveLength(1);
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  // The navigation is cancelled by main; the app page stays (and still answers).
  await expect.poll(async () => (await invoke(page, 'system.status')).ok).toBe(true);
  expect(page.url()).toMatch(/^arbdesk:\/\/app\/index\.html/);
});

test('the keyboard reaches the screens (Alt+<n>, the skip link) and Settings opens with the first-run checklist', async () => {
  await page.keyboard.press('Alt+Digit8');
  await expect(page).toHaveURL(/#\/settings$/);
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(page.getByTestId('setup-checklist')).toBeVisible();
  // A fresh data dir has no bot token: the first step says what to do.
  await expect(page.getByTestId('setup-step-telegram.token').getByTestId('setup-state')).toHaveText('Not done');
  await expect(page.getByTestId('setup-step-telegram.token').getByTestId('setup-message')).toContainText('@BotFather');
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  // Owner alerts are native notifications here: the page has no in-app pop-ups.
  await expect(page.getByTestId('owner-alert')).toHaveCount(0);
});

test('a crashed services host is restarted, and the window gets its answers again', async () => {
  const before = await invoke(page, 'system.status');
  const pid = (before.value as { pid: number }).pid;
  process.kill(pid, 'SIGKILL');
  // Meanwhile invokes fail as data (host_unavailable); then a new host answers.
  await expect
    .poll(
      async () => {
        const now = await invoke(page, 'system.status');
        return now.ok && (now.value as { pid: number }).pid !== pid;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await expect(page.getByTestId('service-row-proxy')).toContainText('running');
});

test('quitting stops the services host', async () => {
  const status = await invoke(page, 'system.status');
  const pid = (status.value as { pid: number }).pid;
  await app.close();
  await expect.poll(() => isAlive(pid), { timeout: 15_000 }).toBe(false);
});
