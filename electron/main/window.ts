/**
 * The one ArbDesk window: locked-down web preferences, our page on arbdesk://app, and its size
 * and position remembered in <dataDir>/desktop-state.json (electron-store; the host's own
 * files in the data dir are untouched).
 */
import { BrowserWindow, ipcMain, screen } from 'electron';
import Store from 'electron-store';
import { APP_ENTRY_URL } from './app-url.js';
import type { Logger } from './log.js';
import {
  MIN_HEIGHT,
  MIN_WIDTH,
  WINDOW_STATE_SCHEMA,
  captureWindowState,
  restoreWindowState,
  type WindowState,
} from './window-state.js';

interface DesktopState {
  window?: WindowState;
}

export interface WindowOptions {
  dataDir: string;
  preloadPath: string;
  iconPath: string;
  /** DevTools only in development builds: in the owner's app they are one more way in. */
  devTools: boolean;
  log: Logger;
}

function openStateStore(dataDir: string, log: Logger): Store<DesktopState> | undefined {
  try {
    const store = new Store<DesktopState>({
      name: 'desktop-state',
      cwd: dataDir,
      schema: { window: WINDOW_STATE_SCHEMA },
      clearInvalidConfig: true,
    });
    // electron-store answers this synchronous channel for renderers that use the store. Ours
    // never do, and no IPC handler should exist that the contract does not list.
    ipcMain.removeAllListeners('electron-store-get-data');
    return store;
  } catch (err) {
    log.warn('window state cannot be saved; using defaults', { error: (err as Error).message });
    return undefined;
  }
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const { log } = options;
  const store = openStateStore(options.dataDir, log);
  const state = restoreWindowState(
    store?.get('window'),
    screen.getAllDisplays().map((d) => d.workArea),
  );

  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'ArbDesk',
    icon: options.iconPath,
    backgroundColor: '#1a1b1e',
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: options.devTools,
    },
  });

  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });

  if (store) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const save = (): void => {
      if (win.isDestroyed() || win.isMinimized()) return;
      store.set('window', captureWindowState(win.getNormalBounds(), win.isMaximized()));
    };
    // Saved shortly after moves/resizes as well as on close, so a crash loses nothing.
    const saveSoon = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 500);
    };
    win.on('resize', saveSoon);
    win.on('move', saveSoon);
    win.on('maximize', save);
    win.on('unmaximize', save);
    win.on('close', () => {
      if (timer) clearTimeout(timer);
      save();
    });
  }

  win.webContents.on('did-fail-load', (_event, code, description, url) => {
    log.error('the window could not load the ArbDesk page (is dist/renderer built?)', { code, description, url });
  });
  // A crashed page is reloaded once; a page that keeps crashing is left alone (and logged)
  // rather than reloaded in a loop.
  let lastCrash = 0;
  win.webContents.on('render-process-gone', (_event, details) => {
    const now = Date.now();
    const reload = details.reason !== 'clean-exit' && now - lastCrash > 30_000;
    lastCrash = now;
    log.error('the window renderer stopped', { reason: details.reason, exitCode: details.exitCode, reload });
    if (reload && !win.isDestroyed()) void win.loadURL(APP_ENTRY_URL).catch(() => undefined);
  });

  void win.loadURL(APP_ENTRY_URL).catch((err: Error) => log.error('loadURL failed', { error: err.message }));
  return win;
}
