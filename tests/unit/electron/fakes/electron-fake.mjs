/**
 * A stand-in for the `electron` module, just big enough to run ArbDesk's bundled main process
 * (dist-style main.cjs) under plain Node, where the Electron binary is missing. It records what
 * main sets up (IPC handlers, protocol handler, session policies, window, tray) and is driven by
 * the test over the Node IPC channel (see main-process.test.ts).
 *
 * What it cannot tell: whether real Electron/Chromium honour those settings. That is the
 * Playwright e2e's job where the binary exists (tests/e2e/electron.spec.ts).
 *
 * utilityProcess.fork is a child_process.fork of the same module, with a shim that gives it the
 * `process.parentPort` Electron would, so the real services host runs.
 */
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function makeEvent(fields = {}) {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
    ...fields,
  };
}

// --- app -------------------------------------------------------------------------------------

const paths = { appData: process.env.FAKE_APPDATA ?? '/nonexistent-appdata' };
let isReady = false;
let resolveReady;
const readyPromise = new Promise((resolve) => (resolveReady = resolve));
const recorded = { sandboxEnabled: false, schemes: [], lockRequested: false, ipcListeners: [] };

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  name: 'Electron',
  setName(name) {
    this.name = name;
  },
  getName() {
    return this.name;
  },
  getVersion: () => '40.0.0-fake',
  getPath(name) {
    if (!(name in paths)) throw new Error(`fake electron: no path ${name}`);
    return paths[name];
  },
  setPath(name, value) {
    paths[name] = value;
  },
  enableSandbox() {
    recorded.sandboxEnabled = true;
  },
  requestSingleInstanceLock() {
    recorded.lockRequested = true;
    return true;
  },
  exit(code) {
    process.exit(code);
  },
  whenReady: () => readyPromise,
  isReady: () => isReady,
  quit() {
    const event = makeEvent();
    app.emit('before-quit', event);
    if (event.defaultPrevented) return;
    for (const win of [...windows]) win.close();
    process.exit(0);
  },
});

// --- protocol, session -------------------------------------------------------------------------

const protocolHandlers = new Map();
export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    if (isReady) throw new Error('registerSchemesAsPrivileged after ready');
    recorded.schemes.push(...schemes);
  },
};

const sessionState = { permissionRequest: null, permissionCheck: null, device: null, beforeRequest: null, headersReceived: null };
export const session = {
  defaultSession: {
    protocol: { handle: (scheme, handler) => protocolHandlers.set(scheme, handler) },
    setPermissionRequestHandler: (h) => (sessionState.permissionRequest = h),
    setPermissionCheckHandler: (h) => (sessionState.permissionCheck = h),
    setDevicePermissionHandler: (h) => (sessionState.device = h),
    webRequest: {
      onBeforeRequest: (h) => (sessionState.beforeRequest = h),
      onHeadersReceived: (h) => (sessionState.headersReceived = h),
    },
  },
};

export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (text) => Buffer.concat([Buffer.from('fake-enc:'), Buffer.from(text).reverse()]),
  decryptString: (data) => Buffer.from(data.subarray(9)).reverse().toString(),
};

export const shell = {
  opened: [],
  async openExternal(url) {
    this.opened.push(url);
  },
  async openPath() {
    return '';
  },
};

// --- IPC ---------------------------------------------------------------------------------------

const handlers = new Map();
export const ipcMain = {
  handle(channel, handler) {
    if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    handlers.set(channel, handler);
  },
  on(channel) {
    recorded.ipcListeners.push(channel);
  },
  removeAllListeners(channel) {
    recorded.ipcListeners = recorded.ipcListeners.filter((c) => c !== channel);
  },
};

// --- windows -------------------------------------------------------------------------------------

const windows = [];
let contentsCreated = 0;

class WebContents extends EventEmitter {
  constructor() {
    super();
    this.url = '';
    this.sent = [];
    this.openHandler = null;
    this.destroyed = false;
    this.id = ++contentsCreated;
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  send(channel, payload) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler) {
    this.openHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return windows.filter((w) => !w.destroyed);
  }

  constructor(options) {
    super();
    this.options = options;
    this.destroyed = false;
    this.visible = false;
    this.webContents = new WebContents();
    windows.push(this);
    app.emit('web-contents-created', makeEvent(), this.webContents);
  }

  async loadURL(url) {
    const handler = protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`ERR_UNKNOWN_URL_SCHEME ${url}`);
    const response = await handler(new Request(url));
    this.loadedStatus = response.status;
    this.webContents.url = url;
    setImmediate(() => this.emit('ready-to-show'));
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  restore() {}
  maximize() {}
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1200, height: 800 };
  }
  close() {
    const event = makeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

// --- tray ----------------------------------------------------------------------------------------

const notifications = [];
/** Records what main shows; `click` can be emitted by the test through the remote control. */
export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {
    notifications.push(this);
  }
}

const trays = [];
export class Tray extends EventEmitter {
  constructor(image) {
    super();
    this.image = image;
    this.tooltip = '';
    this.menu = null;
    trays.push(this);
  }
  setImage(image) {
    this.image = image;
  }
  setToolTip(text) {
    this.tooltip = text;
  }
  setContextMenu(menu) {
    this.menu = menu;
  }
  destroy() {}
}
export const Menu = { buildFromTemplate: (template) => ({ template }) };
export const nativeImage = { createFromPath: (file) => ({ file }) };

// --- utilityProcess --------------------------------------------------------------------------------

const hosts = [];
export const utilityProcess = {
  fork(modulePath, args, options) {
    const child = fork(modulePath, args, {
      execArgv: ['--import', path.join(here, 'parent-port-shim.mjs')],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const proc = Object.assign(new EventEmitter(), {
      pid: child.pid,
      stdout: child.stdout,
      stderr: child.stderr,
      options,
      postMessage: (message) => child.send(message),
      kill: () => child.kill('SIGTERM'),
    });
    child.on('spawn', () => proc.emit('spawn'));
    child.on('message', (message) => proc.emit('message', message));
    child.on('exit', (code, signal) => proc.emit('exit', code ?? (signal === 'SIGKILL' ? 137 : 143)));
    hosts.push(child);
    return proc;
  },
};

export const dialog = {
  showErrorBox(title, content) {
    console.error(`[fake dialog] ${title}: ${content}`);
  },
};

export const contextBridge = {};
export const ipcRenderer = {};

// --- the test's remote control ---------------------------------------------------------------------

function frameFor(url, isMainFrame) {
  return { url, parent: isMainFrame ? null : {}, isDestroyed: () => false };
}

const commands = {
  async ready() {
    isReady = true;
    app.emit('ready');
    resolveReady();
    return true;
  },
  async invoke({ method, input, frameUrl = 'arbdesk://app/index.html', isMainFrame = true }) {
    const handler = handlers.get('arbdesk:invoke');
    return handler({ senderFrame: frameFor(frameUrl, isMainFrame) }, method, input);
  },
  async fetch({ url }) {
    const handler = protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    const response = await handler(new Request(url));
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  },
  /** What main has set up so far (no side effects). */
  async state() {
    const win = BrowserWindow.getAllWindows()[0];
    const contents = win?.webContents;
    return {
      recorded,
      ipcHandlers: [...handlers.keys()],
      schemesHandled: [...protocolHandlers.keys()],
      window: win && {
        options: win.options,
        visible: win.visible,
        loadedStatus: win.loadedStatus,
        url: contents.getURL(),
        sentStreams: [...new Set(contents.sent.map((m) => `${m.channel}:${m.payload.stream}`))],
        hostStatuses: contents.sent.filter((m) => m.payload.stream === 'host.status').map((m) => m.payload.events.at(-1).state),
      },
      windows: BrowserWindow.getAllWindows().length,
      tray: trays[0] && { tooltip: trays[0].tooltip, image: trays[0].image.file, menu: trays[0].menu?.template.map((i) => i.label ?? '—') },
      notifications: notifications.map((n) => ({ title: n.options.title, body: n.options.body })),
      hostPids: hosts.map((h) => h.pid),
      hostsAlive: hosts.filter((h) => h.exitCode === null && h.signalCode === null).length,
    };
  },
  /** Tries what a hostile page would: new windows, navigation, a webview, permissions, requests. */
  async probe() {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents;
    const allow = (permission, origin) => sessionState.permissionCheck?.(null, permission, origin, {}) ?? null;
    const cancelled = (url) =>
      new Promise((resolve) => {
        if (!sessionState.beforeRequest) resolve(null);
        else sessionState.beforeRequest({ url }, (response) => resolve(response.cancel === true));
      });
    const navigate = (url) => {
      const event = makeEvent({ url });
      contents?.emit('will-navigate', event);
      return event.defaultPrevented;
    };
    const webview = makeEvent();
    contents?.emit('will-attach-webview', webview, {}, {});
    return {
      windowOpen: contents?.openHandler?.({ url: 'https://evil.example/' }),
      windowOpenAllowlisted: contents?.openHandler?.({ url: 'https://openrouter.ai/keys' }),
      navigationAwayPrevented: navigate('https://evil.example/'),
      navigationToAppAllowed: !navigate('arbdesk://app/index.html#/settings'),
      webviewPrevented: webview.defaultPrevented,
      permissions: {
        clipboardWriteFromApp: allow('clipboard-sanitized-write', 'arbdesk://app'),
        mediaFromApp: allow('media', 'arbdesk://app'),
      },
      requestCancelled: { https: await cancelled('https://example.com/'), app: await cancelled('arbdesk://app/assets/x.js') },
      opened: [...shell.opened],
    };
  },
  async killHost() {
    const host = hosts.at(-1);
    host.kill('SIGKILL');
    return host.pid;
  },
  /** The owner clicks the latest notification. */
  async clickNotification() {
    notifications.at(-1)?.emit('click');
    return BrowserWindow.getAllWindows()[0]?.visible ?? false;
  },
  async closeWindow() {
    BrowserWindow.getAllWindows()[0]?.close();
    return BrowserWindow.getAllWindows().length;
  },
  async quit() {
    app.quit();
    return true;
  },
};

process.on('message', async ({ id, command, args }) => {
  try {
    const value = await commands[command](args ?? {});
    process.send({ id, ok: true, value });
  } catch (err) {
    process.send({ id, ok: false, error: String(err?.stack ?? err) });
  }
});
