// Builds everything `npm start`, `arbdesk serve` and electron-builder need, into dist/:
//   dist/renderer/           the React app (Vite)
//   dist/services/cli.js     the `arbdesk` CLI and headless host (ESM, node_modules external)
//   dist/services/utility.js the services host entry for Electron's utilityProcess
//   dist/electron/main.cjs   Electron main process
//   dist/electron/preload.cjs the sandboxed preload (fully bundled: it may only require 'electron')
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { __ARBDESK_VERSION__: JSON.stringify(version) };
const started = Date.now();

rmSync(new URL('../dist/services', import.meta.url), { recursive: true, force: true });
rmSync(new URL('../dist/electron', import.meta.url), { recursive: true, force: true });

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, define, absWorkingDir: root, logLevel: 'warning' };

await Promise.all([
  viteBuild({ configFile: `${root}/vite.config.ts`, logLevel: 'warn' }),
  esbuild({
    ...node,
    entryPoints: { cli: 'services/cli/main.ts', utility: 'services/host/utility-entry.ts' },
    outdir: 'dist/services',
    format: 'esm',
    packages: 'external',
  }),
  esbuild({
    ...node,
    entryPoints: { main: 'electron/main/index.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron', 'better-sqlite3'],
  }),
  esbuild({
    ...node,
    entryPoints: { preload: 'electron/preload/index.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron'],
  }),
]);
console.log(`built ArbDesk ${version} into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
