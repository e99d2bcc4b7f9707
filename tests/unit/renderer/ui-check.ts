/**
 * Looks at the built renderer in Chromium without the services host, checks what the owner
 * would notice, and writes screenshots to tests/artifacts/screenshots/renderer/.
 *
 *   npx vite build && npx tsx tests/unit/renderer/ui-check.ts [desktop|browser|proxy|customers|invoices|support …]
 *
 * Desktop mode: a fake `window.arbdesk` (fake-bridge.ts) answers commands and emits events.
 * Browser mode: no bridge; Playwright's page.route / page.routeWebSocket play the control
 * server (`POST /api/invoke/<method>`, WebSocket `/api/events`, 401 when not signed in).
 * Exits non-zero on the first failed check, on a page error or on a CSP violation.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { browserMode } from './ui-check/browser';
import { DIST, OUT, problems, serveDist } from './ui-check/common';
import { customersMode } from './ui-check/customers';
import { desktopMode } from './ui-check/desktop';
import { invoicesMode } from './ui-check/invoices';
import { proxyMode } from './ui-check/proxy';
import { supportMode } from './ui-check/support';

async function main() {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/renderer is missing: run `npx vite build` first');
  mkdirSync(OUT, { recursive: true });
  const { server, origin } = await serveDist();
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  try {
    if (wanted('desktop')) await desktopMode(origin);
    if (wanted('browser')) await browserMode(origin);
    if (wanted('proxy')) await proxyMode(origin);
    if (wanted('customers')) await customersMode(origin);
    if (wanted('invoices')) await invoicesMode(origin);
    if (wanted('support')) await supportMode(origin);
  } finally {
    server.close();
  }
  // 401 answers are expected in the signed-out check; Chromium logs them as console errors.
  const unexpected = problems.filter((p) => !(p.startsWith('[signed-out] console:') && p.includes('401')));
  if (unexpected.length) {
    console.error(unexpected.join('\n'));
    process.exit(1);
  }
  console.log('all UI checks passed');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
