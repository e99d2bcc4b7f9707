import { defineConfig } from '@playwright/test';

/**
 * Browser e2e against `arbdesk serve` (headless mode), in Debian's Chromium — never a browser
 * download. CHROMIUM_PATH overrides the path. The Electron e2e (tests/e2e/electron.spec.ts)
 * skips itself where the Electron binary is missing.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
