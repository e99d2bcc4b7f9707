/**
 * `npm start` (scripts/start.mjs), run for real in a throwaway copy of the project layout with
 * stand-ins for the build, the headless CLI and the Electron binary.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const OUTPUTS = ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/services/utility.js'];
let project: string;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  writeFileSync(path.join(project, file), text);
}

function fakeBuildOutputs(): void {
  for (const file of OUTPUTS) write(file, '');
}

/** The headless CLI stand-in: reports its arguments, or waits for a signal when asked to. */
const FAKE_CLI = `
const args = process.argv.slice(2);
console.log('serve args: ' + JSON.stringify(args));
if (args.includes('--wait')) {
  process.on('SIGTERM', () => { console.log('serve got SIGTERM'); process.exit(0); });
  console.log('serve ready');
  setInterval(() => {}, 1000);
} else {
  process.exit(7);
}
`;

/** An "Electron binary": a script that reports how it was started. */
function fakeElectron(): void {
  write('node_modules/electron/package.json', JSON.stringify({ name: 'electron', main: 'index.js' }));
  write('node_modules/electron/index.js', "module.exports = require('path').join(__dirname, 'fake-electron');");
  write('node_modules/electron/fake-electron', `#!${process.execPath}\nconsole.log('electron args: ' + JSON.stringify(process.argv.slice(2)));\nprocess.exit(5);\n`);
  chmodSync(path.join(project, 'node_modules/electron/fake-electron'), 0o755);
}

interface Run {
  code: number | null;
  out: string;
}

function start(args: string[], env: Record<string, string | undefined>, onLine?: (line: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((resolve) => {
    const cleanEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...env })) if (v !== undefined) cleanEnv[k] = v;
    const child = spawn(process.execPath, [path.join(project, 'scripts/start.mjs'), ...args], { env: cleanEnv });
    let out = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      out += text;
      for (const line of text.split('\n')) if (line) onLine?.(line, (s) => child.kill(s));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), 'arbdesk-start-'));
  mkdirSync(path.join(project, 'scripts'));
  copyFileSync(path.join(repo, 'scripts/start.mjs'), path.join(project, 'scripts/start.mjs'));
  write('package.json', JSON.stringify({ name: 'arbdesk-start-test', type: 'module' }));
  write('bin/arbdesk.js', FAKE_CLI);
});
afterEach(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('npm start', () => {
  it('builds when dist/ is missing, then runs headless with one line saying why, passing args and the exit code through', async () => {
    write('scripts/build.mjs', `
import { mkdirSync, writeFileSync } from 'node:fs';
for (const f of ${JSON.stringify(OUTPUTS)}) { mkdirSync(new URL('../' + f.replace(/[^/]+$/, ''), import.meta.url), { recursive: true }); writeFileSync(new URL('../' + f, import.meta.url), ''); }
console.log('fake build done');
`);
    const run = await start(['--data-dir', '/tmp/x'], {});
    expect(run.out).toContain('fake build done');
    expect(OUTPUTS.every((f) => existsSync(path.join(project, f)))).toBe(true);
    expect(run.out).toContain(
      'Electron binary not installed (run `npm run electron:fetch` where the internet is reachable) — starting ArbDesk headless in the browser instead',
    );
    expect(run.out).toContain('serve args: ["serve","--data-dir","/tmp/x"]');
    expect(run.code).toBe(7);
  });

  it('does not build when dist/ is there, and stops when a build fails', async () => {
    fakeBuildOutputs();
    write('scripts/build.mjs', "console.log('should not run'); process.exit(3);");
    const run = await start([], {});
    expect(run.out).not.toContain('should not run');

    rmSync(path.join(project, 'dist'), { recursive: true });
    const failed = await start([], {});
    expect(failed.out).toContain('the build failed');
    expect(failed.out).not.toContain('serve args');
    expect(failed.code).toBe(3);
  });

  it.runIf(process.platform === 'linux')('runs headless when there is no display, even with Electron installed', async () => {
    fakeBuildOutputs();
    fakeElectron();
    const run = await start(['--x'], { DISPLAY: undefined, WAYLAND_DISPLAY: undefined });
    expect(run.out).toContain('no display (neither DISPLAY nor WAYLAND_DISPLAY is set) — starting ArbDesk headless');
    expect(run.out).toContain('serve args: ["serve","--x"]');
  });

  it('--headless forces the headless mode and is not passed on', async () => {
    fakeBuildOutputs();
    fakeElectron();
    const run = await start(['--headless', '--data-dir', 'd'], { DISPLAY: ':0' });
    expect(run.out).toContain('--headless given — starting ArbDesk headless');
    expect(run.out).toContain('serve args: ["serve","--data-dir","d"]');
  });

  it.runIf(process.platform !== 'linux' || process.getuid?.() !== 0)('starts Electron on the project dir with the args when it can', async () => {
    fakeBuildOutputs();
    fakeElectron();
    const run = await start(['--data-dir', 'd'], { DISPLAY: ':0', ELECTRON_RUN_AS_NODE: '1' });
    expect(run.out).toContain(`electron args: ${JSON.stringify([project, '--data-dir', 'd'])}`);
    expect(run.code).toBe(5);
  });

  it.runIf(process.platform === 'linux' && process.getuid?.() === 0)('explains that Electron will not run as root, and runs headless', async () => {
    fakeBuildOutputs();
    fakeElectron();
    const run = await start([], { DISPLAY: ':0' });
    expect(run.out).toContain('Electron does not run as root with its sandbox on');
    expect(run.out).toContain('serve args: ["serve"]');
  });

  it('forwards SIGTERM to the child and exits with its code', async () => {
    fakeBuildOutputs();
    const run = await start(['--wait'], {}, (line, kill) => {
      if (line === 'serve ready') kill('SIGTERM');
    });
    expect(run.out).toContain('serve got SIGTERM');
    expect(run.code).toBe(0);
  });
});
