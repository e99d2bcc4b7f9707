#!/usr/bin/env node
/**
 * `npm start [-- args]`: the desktop app when Electron can run here, otherwise the same product
 * headless (`arbdesk serve`, UI in the browser). Arguments are passed through to either
 * (e.g. `npm start -- --data-dir /tmp/arbdesk`); `--headless` forces the headless mode.
 *
 * Builds dist/ first when it is missing. Exits with the child's exit code; Ctrl-C and SIGTERM
 * are forwarded so the services host shuts down cleanly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_OUTPUTS = [
  'dist/electron/main.cjs',
  'dist/electron/preload.cjs',
  'dist/renderer/index.html',
  'dist/services/utility.js',
];

function ensureBuilt() {
  const missing = BUILD_OUTPUTS.filter((file) => !existsSync(path.join(root, file)));
  if (missing.length === 0) return;
  console.log(`[arbdesk start] ${missing[0]} is missing — building first (node scripts/build.mjs)`);
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('[arbdesk start] the build failed; fix the errors above and run npm start again');
    process.exit(build.status ?? 1);
  }
}

/** The Electron binary's path, or null. require('electron') from Node throws when path.txt is absent. */
function electronBinary() {
  try {
    const binary = createRequire(path.join(root, 'package.json'))('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Why the desktop app cannot start here, or null when it can. */
function whyNotDesktop(args, binary) {
  if (args.includes('--headless')) return '--headless given';
  if (!binary) return 'Electron binary not installed (run `npm run electron:fetch` where the internet is reachable)';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  }
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    // Chromium will not start its sandbox as root, and we do not turn the sandbox off.
    return 'Electron does not run as root with its sandbox on (start ArbDesk as your own user)';
  }
  return null;
}

/** Runs the child with our stdio, forwards Ctrl-C/SIGTERM to it and exits as it does. */
function run(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (err) => {
    console.error(`[arbdesk start] could not start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1));
  });
}

const args = process.argv.slice(2);
ensureBuilt();
const binary = electronBinary();
const reason = whyNotDesktop(args, binary);
if (reason === null) {
  // ELECTRON_RUN_AS_NODE (set by some tools) would make Electron behave as plain Node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  run(binary, [root, ...args], env);
} else {
  console.log(`[arbdesk start] ${reason} — starting ArbDesk headless in the browser instead`);
  run(process.execPath, [path.join(root, 'bin', 'arbdesk.js'), 'serve', ...args.filter((a) => a !== '--headless')]);
}
