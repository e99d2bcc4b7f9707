#!/usr/bin/env node
// Launcher for the `arbdesk` command: runs the built CLI (dist/services/cli.js).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/services/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('arbdesk: ArbDesk is not built yet. Run `npm run build` in its folder (npm install does it too).');
  process.exit(1);
}
await import(entry.href);
