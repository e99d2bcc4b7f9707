/**
 * The IPC surface of main: one `handle` for invokes and one broadcast for events. The decisions
 * (who may ask, what may be asked) are in dispatch.ts; this file only adapts Electron's objects.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { EventBatch } from '../../services/contract.js';
import { EVENTS_CHANNEL, INVOKE_CHANNEL } from '../ipc-channels.js';
import { isAppPageUrl } from './app-url.js';
import type { InvokeHandler } from './dispatch.js';
import type { SenderInfo } from './url-policy.js';

/** The frame that sent the message, as the policy needs it; null when it is already gone. */
function senderInfo(event: IpcMainInvokeEvent): SenderInfo | null {
  try {
    const frame = event.senderFrame;
    if (!frame || frame.isDestroyed()) return null;
    return { url: frame.url, isMainFrame: frame.parent === null };
  } catch {
    return null;
  }
}

export function registerInvokeHandler(handler: InvokeHandler): void {
  ipcMain.handle(INVOKE_CHANNEL, (event, method: unknown, input: unknown) => handler(senderInfo(event), method, input));
}

/** Sends a batch to every window showing our page (never to anything else). */
export function broadcastEvents(batch: EventBatch): void {
  for (const win of BrowserWindow.getAllWindows()) {
    const contents = win.webContents;
    if (contents.isDestroyed() || !isAppPageUrl(contents.getURL())) continue;
    contents.send(EVENTS_CHANNEL, batch);
  }
}
