/**
 * ArbDesk's Electron main process: lifecycle only. It names the app and picks the data dir,
 * takes the single-instance lock, hardens the session, starts and supervises the services host,
 * and shows the window and the tray. Each of those lives in its own file next to this one.
 *
 * Layout at run time (dist/ is built by scripts/build.mjs; the same relative layout holds
 * inside app.asar):
 *   dist/electron/main.cjs      this file, bundled
 *   dist/electron/preload.cjs   the window's preload
 *   dist/renderer/index.html    the UI, served as arbdesk://app/index.html
 *   dist/services/utility.js    the services host, run in a utilityProcess
 *   resources/                  icons
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { app, dialog, safeStorage, session, type BrowserWindow } from 'electron';
import type { EventBatch } from '../../services/contract.js';
import { resolveDataDir } from './data-dir.js';
import { createInvokeHandler } from './dispatch.js';
import { utilityHostSpawner } from './host-process.js';
import { broadcastEvents, registerInvokeHandler } from './ipc.js';
import { createLogger } from './log.js';
import { SecretVault, chooseSecretMode } from './secrets.js';
import { hardenAllWebContents, hardenSession, registerAppScheme, serveRenderer } from './security.js';
import { APP_ENTRY_URL } from './app-url.js';
import { AttentionWatcher, attentionLines, routeHash } from './attention.js';
import { desktopNotifier } from './notifications.js';
import { StatusBoard } from './status-board.js';
import { HostSupervisor } from './supervisor.js';
import { StatusTray } from './tray.js';
import { isTrustedSender } from './url-policy.js';
import { createMainWindow } from './window.js';

const VERSION = typeof __ARBDESK_VERSION__ === 'string' ? __ARBDESK_VERSION__ : 'dev';
const DIST = path.resolve(__dirname, '..');
const PATHS = {
  preload: path.join(DIST, 'electron', 'preload.cjs'),
  renderer: path.join(DIST, 'renderer'),
  host: path.join(DIST, 'services', 'utility.js'),
  resources: path.join(DIST, '..', 'resources'),
};

// --- Before `ready` ------------------------------------------------------------------------

app.setName('ArbDesk');
// appData/ArbDesk is the per-OS folder `arbdesk serve` uses too (computed from appData rather
// than read from userData, which Electron may have fixed before setName ran).
const dataDir = resolveDataDir(process.argv, process.env, path.join(app.getPath('appData'), 'ArbDesk'));

/** Start-up cannot go on: say why in words (a dialog, since there may be no terminal) and exit. */
function cannotStart(reason: string): never {
  process.stderr.write(`ArbDesk cannot start: ${reason}\n`);
  dialog.showErrorBox('ArbDesk cannot start', reason);
  app.exit(1);
  process.exit(1);
}

try {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
} catch (err) {
  cannotStart(`Cannot use the data dir ${dataDir} (${(err as Error).message}). Choose another with --data-dir or ARBDESK_DATA_DIR.`);
}
// Chromium's session data (caches, web storage) goes to its own folder, away from the host's
// files; only a few browser-wide files (Local State, the singleton lock) sit at the top.
// The single-instance lock follows userData, so it is one instance *per data dir*: two
// instances never share one SQLite database, yet a test with its own dir can run.
app.setPath('userData', dataDir);
app.setPath('sessionData', path.join(dataDir, 'chromium'));

const log = createLogger(path.join(dataDir, 'logs'));
registerAppScheme();
app.enableSandbox();
hardenAllWebContents(log);

if (!app.requestSingleInstanceLock()) {
  // Another ArbDesk already runs on this data dir; it gets `second-instance` and shows itself.
  log.info('ArbDesk is already running for this data dir; showing that window instead', { dataDir });
  app.quit();
} else {
  start();
}

function start(): void {
  log.info('ArbDesk desktop starting', { version: VERSION, electron: process.versions.electron, dataDir });
  const board = new StatusBoard();
  let win: BrowserWindow | undefined;
  let tray: StatusTray | undefined;
  let quitting = false;
  let supervisor: HostSupervisor | undefined;
  let attention: AttentionWatcher | undefined;

  const showWindow = (): void => {
    if (!app.isReady() || quitting) return;
    if (!win || win.isDestroyed()) {
      win = createMainWindow({
        dataDir,
        preloadPath: PATHS.preload,
        iconPath: path.join(PATHS.resources, 'icon.png'),
        devTools: !app.isPackaged,
        log,
      });
      // With a tray, closing the window hides it: the bot and proxy keep serving customers.
      win.on('close', (event) => {
        if (!quitting && tray) {
          event.preventDefault();
          win?.hide();
        }
      });
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const onEvents = (batch: EventBatch): void => {
    board.apply(batch);
    broadcastEvents(batch);
    attention?.apply(batch);
    if (batch.stream !== 'log') tray?.update(board.summary());
  };

  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow()); // macOS: dock icon clicked
  // Keep running when the last window is hidden or closed, as long as the tray is there.
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
  // Quit = tell the host to shut down (it closes SQLite and stops the bot cleanly), wait for
  // it (the supervisor kills it after a few seconds), then let Electron exit.
  app.on('before-quit', (event) => {
    quitting = true;
    attention?.stop();
    if (supervisor && supervisor.state !== 'stopped') {
      event.preventDefault();
      void supervisor.stop().finally(() => app.quit());
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(() => {
      const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
      const mode = chooseSecretMode(process.platform, safeStorage.isEncryptionAvailable(), backend);
      if (mode === 'plaintext') {
        log.warn(
          'no OS keyring is available to encrypt secrets; they are kept in secrets.json (mode 0600) in the data dir, as in headless mode',
          { backend },
        );
      }
      const vault = new SecretVault(
        dataDir,
        mode,
        { encrypt: (text) => safeStorage.encryptString(text), decrypt: (data) => safeStorage.decryptString(data) },
        log,
      );

      hardenSession(session.defaultSession, log);
      serveRenderer(session.defaultSession, PATHS.renderer, log);

      const host = new HostSupervisor({
        spawn: utilityHostSpawner(PATHS.host, dataDir, log),
        secrets: () => vault.load(),
        onEvents,
        onReady: (status) => {
          board.applyReady(status);
          tray?.update(board.summary());
        },
        onSecretPersist: (key, value) => {
          vault.persist(key, value);
          log.info(value === null ? 'deleted a secret' : 'stored a secret', { key, store: mode });
        },
        log: log.log,
      });
      supervisor = host;
      // What waits for the owner (tray) and desktop notifications; counts re-read at most every 2 s.
      attention = new AttentionWatcher({
        invoke: (method, input) => host.invoke(method, input),
        notify: desktopNotifier({
          iconPath: path.join(PATHS.resources, 'icon.png'),
          // A click opens the window on the screen the alert is about (a same-page hash change).
          onClick: (notice) => {
            showWindow();
            const hash = routeHash(notice.href);
            if (hash && win && !win.isDestroyed()) void win.loadURL(`${APP_ENTRY_URL}${hash}`).catch(() => undefined);
          },
          log,
        }),
        onCounts: (counts) => {
          board.setWaiting(attentionLines(counts));
          tray?.update(board.summary());
        },
      });

      registerInvokeHandler(
        createInvokeHandler({
          isTrustedSender,
          forward: (method, input) => host.invoke(method, input),
          onRefused: (reason, sender, method) =>
            log.warn('refused an IPC request', {
              reason,
              frame: sender?.url.slice(0, 200) ?? null,
              method: typeof method === 'string' ? method.slice(0, 80) : typeof method,
            }),
        }),
      );
      host.start();
      attention.start();

      try {
        tray = new StatusTray(path.join(PATHS.resources, 'tray'), { open: showWindow, quit: () => app.quit() });
        tray.update(board.summary());
      } catch (err) {
        log.warn('no tray icon on this desktop; closing the window will quit ArbDesk', { error: (err as Error).message });
      }
      showWindow();
    })
    .catch((err: Error) => {
      log.error('start-up failed', { error: err.stack ?? err.message });
      cannotStart(err.message);
    });
}
