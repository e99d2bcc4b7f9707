/**
 * Preload for the ArbDesk window. Runs sandboxed (it may require only 'electron'; the build
 * bundles everything else into dist/electron/preload.cjs) with context isolation, and exposes
 * one object, `window.arbdesk`, built in bridge.ts.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld('arbdesk', createBridge(ipcRenderer));
