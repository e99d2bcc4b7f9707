/**
 * `window.arbdesk` as the renderer sees it under Electron: exactly the ArbdeskBridge of the
 * contract (invoke + subscribe) and nothing else — no ipcRenderer, no channel names, no Node.
 *
 * Built from an ipcRenderer-like object so it is tested without Electron; index.ts passes the
 * real ipcRenderer and exposes the result with contextBridge.
 */
import {
  fail,
  isCommandName,
  type ArbdeskBridge,
  type CommandName,
  type CommandOutput,
  type EventBatch,
  type Result,
} from '../../services/contract.js';
import { EVENTS_CHANNEL, INVOKE_CHANNEL } from '../ipc-channels.js';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: IpcRendererLike): ArbdeskBridge {
  const invoke = async <M extends CommandName>(method: M, input?: unknown): Promise<Result<CommandOutput<M>>> => {
    // Refused here too, so a name outside the contract never even reaches main.
    if (!isCommandName(method)) {
      const shown = typeof method === 'string' ? (method as string).slice(0, 80) : typeof method;
      return fail('unknown_command', `"${shown}" is not a command of the ArbDesk contract`);
    }
    try {
      return (await ipc.invoke(INVOKE_CHANNEL, method, input)) as Result<CommandOutput<M>>;
    } catch {
      // Main answers failures as data; a rejection means the IPC itself broke (window closing).
      return fail('internal', `${method}: the desktop app did not answer; details are in the log.`);
    }
  };

  const subscribe = (listener: (batch: EventBatch) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('subscribe(listener) needs a function');
    // Only the batch crosses to the page; the IpcRendererEvent (which carries `sender`) never does.
    const onEvents = (_event: unknown, batch: unknown): void => listener(batch as EventBatch);
    ipc.on(EVENTS_CHANNEL, onEvents);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(EVENTS_CHANNEL, onEvents);
    };
  };

  return Object.freeze({ invoke, subscribe }) as ArbdeskBridge;
}
