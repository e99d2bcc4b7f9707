/**
 * The whole main process (electron/main/index.ts, bundled like scripts/build.mjs does) running
 * the real services host, with a stand-in for the `electron` module (fakes/electron-fake.mjs)
 * because the Electron binary is missing here. Covers the wiring the pure-module tests cannot:
 * start-up order, the window's locked-down options, the page served with its CSP, IPC through
 * dispatch to the host and back, events to the window, the tray, restart after a host crash,
 * secrets encrypted on disk, close-to-tray, and quit stopping the host.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/url-policy.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const fakes = fileURLToPath(new URL('./fakes/', import.meta.url));

let work: string;
let dataDir: string;
let main: ChildProcess;
let output = '';
let nextId = 1;
const waiting = new Map<number, (reply: { ok: boolean; value?: unknown; error?: string }) => void>();

/** Runs a command of the fake's remote control inside the main process. */
async function control<T = unknown>(command: string, args?: unknown): Promise<T> {
  const id = nextId++;
  const reply = await new Promise<{ ok: boolean; value?: unknown; error?: string }>((resolve) => {
    waiting.set(id, resolve);
    main.send({ id, command, args });
  });
  if (!reply.ok) throw new Error(`${command} failed in main: ${reply.error}`);
  return reply.value as T;
}

interface Result {
  ok: boolean;
  value?: { pid: number; mode: string; services: { id: string; state: string }[] };
  error?: { code: string; message: string };
}
const invoke = (method: string, input?: unknown, frame?: { frameUrl: string; isMainFrame: boolean }) =>
  control<Result>('invoke', { method, input, ...frame });

interface State {
  recorded: { sandboxEnabled: boolean; schemes: { scheme: string; privileges: Record<string, boolean> }[]; lockRequested: boolean; ipcListeners: string[] };
  ipcHandlers: string[];
  schemesHandled: string[];
  window?: {
    options: { webPreferences: Record<string, unknown>; show: boolean };
    visible: boolean;
    loadedStatus: number;
    url: string;
    sentStreams: string[];
    hostStatuses: string[];
  };
  windows: number;
  tray?: { tooltip: string; image: string; menu: string[] };
  notifications: { title: string; body: string }[];
  hostPids: number[];
  hostsAlive: number;
}
const state = () => control<State>('state');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'arbdesk-main-'));
  dataDir = path.join(work, 'data');
  const define = { __ARBDESK_VERSION__: JSON.stringify('0.0.0-test') };
  const common = { bundle: true, platform: 'node', target: 'node20', define, absWorkingDir: repo, logLevel: 'error' } as const;
  await Promise.all([
    build({ ...common, entryPoints: ['electron/main/index.ts'], outfile: path.join(work, 'dist/electron/main.cjs'), format: 'cjs', external: ['electron', 'better-sqlite3'] }),
    build({ ...common, entryPoints: ['services/host/utility-entry.ts'], outfile: path.join(work, 'dist/services/utility.js'), format: 'esm', packages: 'external' }),
  ]);
  mkdirSync(path.join(work, 'dist/renderer'), { recursive: true });
  writeFileSync(path.join(work, 'dist/renderer/index.html'), '<!doctype html><title>ArbDesk</title>');
  writeFileSync(path.join(work, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(path.join(repo, 'node_modules'), path.join(work, 'node_modules'), 'dir');

  main = fork(path.join(work, 'dist/electron/main.cjs'), ['--data-dir', dataDir], {
    execArgv: ['--import', path.join(fakes, 'register-electron-fake.mjs')],
    env: { ...process.env, ARBDESK_PROXY_PORT: '0', ARBDESK_CONTROL_PORT: '0', FAKE_APPDATA: path.join(work, 'appdata') },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  main.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  main.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  main.on('message', (reply: { id: number; ok: boolean }) => waiting.get(reply.id)?.(reply));
}, 60_000);

afterAll(() => {
  if (main && main.exitCode === null) main.kill('SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the main process', () => {
  it('before ready: registers its scheme, enables the sandbox and takes the single-instance lock', async () => {
    const s = await state();
    expect(s.recorded.schemes).toEqual([
      { scheme: 'arbdesk', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
    ]);
    expect(s.recorded.sandboxEnabled).toBe(true);
    expect(s.recorded.lockRequested).toBe(true);
    expect(s.windows).toBe(0);
  });

  it('on ready: opens one locked-down window on arbdesk://app and serves the page with the CSP', async () => {
    await control('ready');
    await vi.waitFor(async () => expect((await state()).window?.visible).toBe(true), { timeout: 20_000, interval: 50 });
    const { window: win, ipcHandlers, recorded, schemesHandled } = await state();
    expect(win?.url).toBe('arbdesk://app/index.html');
    expect(win?.loadedStatus).toBe(200);
    expect(win?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      preload: path.join(work, 'dist/electron/preload.cjs'),
    });
    expect(ipcHandlers).toEqual(['arbdesk:invoke']);
    expect(recorded.ipcListeners).toEqual([]); // electron-store's own channel is removed
    expect(schemesHandled).toEqual(['arbdesk']);

    const page = await control<{ status: number; headers: Record<string, string> }>('fetch', { url: 'arbdesk://app/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const escape = await control<{ status: number }>('fetch', { url: 'arbdesk://app/..%2f..%2fdata%2fsecrets.enc.json' });
    expect(escape.status).toBe(404);
  });

  it('answers the window through the contract, and refuses strangers and unknown commands', async () => {
    const status = await invoke('system.status');
    expect(status).toMatchObject({ ok: true, value: { mode: 'desktop' } });
    expect(status.value?.services.map((s) => s.id)).toEqual(expect.arrayContaining(['proxy', 'bot']));
    expect(await invoke('system.status', undefined, { frameUrl: 'https://evil.example/', isMainFrame: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden_sender' },
    });
    expect(await invoke('system.status', undefined, { frameUrl: 'arbdesk://app/index.html', isMainFrame: false })).toMatchObject({
      ok: false,
      error: { code: 'forbidden_sender' },
    });
    expect(await invoke('system.reboot')).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(await invoke('logs.tail', { limit: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('applies the navigation, window, webview, permission and request policies to the window', async () => {
    expect(await control('probe')).toEqual({
      windowOpen: { action: 'deny' },
      windowOpenAllowlisted: { action: 'deny' },
      navigationAwayPrevented: true,
      navigationToAppAllowed: true,
      webviewPrevented: true,
      permissions: { clipboardWriteFromApp: true, mediaFromApp: false },
      requestCancelled: { https: true, app: false },
      // The allowlisted link went to the browser instead.
      opened: ['https://openrouter.ai/keys'],
    });
  });

  it('sends event batches to the window and keeps the tray up to date', async () => {
    await vi.waitFor(
      async () => {
        const s = await state();
        expect(s.window?.sentStreams).toEqual(expect.arrayContaining(['arbdesk:events:host.status', 'arbdesk:events:log']));
        // A fresh data dir has no upstream key: the proxy is degraded, and the tray says so.
        expect(s.tray?.tooltip).toMatch(/^ArbDesk — Reselling proxy degraded/);
      },
      { timeout: 10_000, interval: 50 },
    );
    const { tray } = await state();
    expect(tray?.image).toMatch(/tray-warn\.png$/);
    expect(tray?.menu[0]).toBe('Open ArbDesk');
    expect(tray?.menu.at(-1)).toBe('Quit ArbDesk');
    expect(tray?.menu.some((label) => label.startsWith('Reselling proxy: degraded — listening on'))).toBe(true);
  });

  it('stores a secret the owner enters encrypted with safeStorage, never in plain text', async () => {
    const updated = await invoke('settings.update', { changes: { 'upstream.apiKey': 'sk-or-v1-MAINTEST' } });
    expect(updated.ok).toBe(true);
    await vi.waitFor(() => expect(existsSync(path.join(dataDir, 'secrets.enc.json'))).toBe(true), { timeout: 5_000, interval: 25 });
    const onDisk = readFileSync(path.join(dataDir, 'secrets.enc.json'), 'utf8');
    expect(onDisk).not.toContain('MAINTEST');
    expect(Buffer.from(JSON.parse(onDisk)['upstream.apiKey'], 'base64').subarray(0, 9).toString()).toBe('fake-enc:');
    expect(existsSync(path.join(dataDir, 'secrets.json'))).toBe(false);
  });

  it('tells the owner once with a desktop notification when a service goes down, however often it fails again', async () => {
    // A bot token with nothing listening at the Bot API root: the bot fails, and keeps failing on each restart.
    const updated = await invoke('settings.update', { changes: { 'telegram.apiRoot': 'http://127.0.0.1:9', 'telegram.token': '111:MAIN-notify-test' } });
    expect(updated.ok).toBe(true);
    await vi.waitFor(
      async () => {
        const status = (await invoke('system.status')) as unknown as { value: { services: { id: string; state: string; restarts: number }[] } };
        expect(status.value.services.find((s) => s.id === 'bot')?.restarts).toBeGreaterThanOrEqual(2);
      },
      { timeout: 20_000, interval: 100 },
    );
    // The tray shows what waits for the owner: the failed service.
    await vi.waitFor(async () => expect((await state()).tray?.tooltip).toMatch(/1 service down$/), { timeout: 10_000, interval: 100 });
    const told = (await state()).notifications.filter((n) => n.title === 'Telegram shop bot is down');
    expect(told).toHaveLength(1);
    expect(told[0]?.body).toMatch(/cannot reach the Telegram Bot API/);
    expect(JSON.stringify((await state()).notifications)).not.toContain('MAIN-notify-test');
    // A click opens the window on the screen the alert is about.
    expect(await control<boolean>('clickNotification')).toBe(true);
    await vi.waitFor(async () => expect((await state()).window?.url).toBe('arbdesk://app/index.html#/status'), { timeout: 5_000, interval: 25 });
    // Back to no bot, so the rest of the run is as before.
    expect((await invoke('settings.update', { changes: { 'telegram.token': null, 'telegram.apiRoot': null } })).ok).toBe(true);
  });

  it('restarts a crashed services host, tells the window, and gives the secret back to the new host', async () => {
    const oldPid = await control<number>('killHost');
    await vi.waitFor(
      async () => {
        const now = await invoke('system.status');
        expect(now.ok && now.value?.pid !== oldPid).toBe(true);
      },
      { timeout: 20_000, interval: 100 },
    );
    const { window: win } = await state();
    expect(win?.hostStatuses).toEqual(expect.arrayContaining(['down', 'restarting']));
    expect(win?.hostStatuses.at(-1)).toBe('up');
    // The outage was told once on the desktop.
    expect((await state()).notifications.filter((n) => n.title === 'ArbDesk services are down')).toHaveLength(1);
    const settings = (await invoke('settings.get')) as unknown as { ok: boolean; value: { settings: { key: string; isSet: boolean }[] } };
    expect(settings.value.settings.find((s) => s.key === 'upstream.apiKey')?.isSet).toBe(true);
  });

  it('hides the window to the tray on close, keeping the services running', async () => {
    expect(await control<number>('closeWindow')).toBe(1);
    const s = await state();
    expect(s.window?.visible).toBe(false);
    expect(s.hostsAlive).toBe(1);
  });

  it('refuses to start on an unusable data dir, saying which and what to do', async () => {
    const blocker = path.join(work, 'a-file');
    writeFileSync(blocker, '');
    const other = fork(path.join(work, 'dist/electron/main.cjs'), ['--data-dir', path.join(blocker, 'data')], {
      execArgv: ['--import', path.join(fakes, 'register-electron-fake.mjs')],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let text = '';
    other.stderr?.on('data', (d: Buffer) => (text += d.toString()));
    const code = await new Promise<number | null>((resolve) => other.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(text).toContain(`ArbDesk cannot start: Cannot use the data dir ${path.join(blocker, 'data')}`);
    expect(text).toContain('Choose another with --data-dir or ARBDESK_DATA_DIR');
  });

  it('on quit: shuts the host down, saves the window state and exits', async () => {
    const { hostPids } = await state();
    const exited = new Promise<number | null>((resolve) => main.on('exit', (code) => resolve(code)));
    main.send({ id: nextId++, command: 'quit' });
    expect(await exited).toBe(0);
    for (const pid of hostPids) expect(alive(pid), `host ${pid}`).toBe(false);
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'desktop-state.json'), 'utf8'));
    expect(saved.window).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: false });
    expect(readFileSync(path.join(dataDir, 'logs', 'desktop.log'), 'utf8')).toContain('ArbDesk desktop starting');
    expect(output).not.toContain('sk-or-v1-MAINTEST');
    if (process.env.SHOW_MAIN_OUTPUT) console.log(output);
  });
});
