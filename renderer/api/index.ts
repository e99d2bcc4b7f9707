/**
 * The renderer's one `api`: IPC through the preload's `window.arbdesk` under Electron, HTTP +
 * WebSocket to the same origin in a browser (`arbdesk serve`). Same interface either way.
 */
import type { ArbdeskBridge } from '../../services/contract';
import { createHttpApi, type OpenSocket } from './http';
import { createIpcApi } from './ipc';
import type { Api } from './types';

declare global {
  interface Window {
    /** Exposed by electron/preload under Electron; absent in a browser. */
    arbdesk?: ArbdeskBridge;
  }
}

const openBrowserSocket: OpenSocket = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  ws.onmessage = (event) => handlers.message(event.data);
  ws.onclose = (event) => handlers.close(event.code, event.reason);
  return { close: () => ws.close() };
};

function pickApi(): Api {
  if (window.arbdesk) return createIpcApi(window.arbdesk);
  return createHttpApi({
    origin: window.location.origin,
    fetch: (url, init) => window.fetch(url, init),
    openSocket: openBrowserSocket,
  });
}

export const api: Api = pickApi();
export type { Api } from './types';
