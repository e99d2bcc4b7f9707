import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../../../services/contract.js';
import { createBridge, type IpcRendererLike } from '../../../electron/preload/bridge.js';

/** Stands in for ipcRenderer: records invokes, and lets the test emit main's messages. */
class FakeIpc extends EventEmitter implements IpcRendererLike {
  readonly invoked: unknown[][] = [];
  answer: (channel: string, ...args: unknown[]) => Promise<unknown> = async () => ({ ok: true, value: 'from main' });
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args]);
    return this.answer(channel, ...args);
  }
}

const batch: EventBatch = {
  stream: 'host.status',
  events: [{ state: 'up', reason: 'services host is running', restarts: 0 }],
};

describe('window.arbdesk (preload bridge)', () => {
  it('exposes exactly invoke and subscribe, frozen', () => {
    const bridge = createBridge(new FakeIpc());
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'subscribe']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends contract commands to main on the one invoke channel', async () => {
    const ipc = new FakeIpc();
    const bridge = createBridge(ipc);
    await expect(bridge.invoke('logs.tail', { limit: 10 })).resolves.toEqual({ ok: true, value: 'from main' });
    expect(ipc.invoked).toEqual([['arbdesk:invoke', 'logs.tail', { limit: 10 }]]);
  });

  it('refuses names outside the contract without bothering main', async () => {
    const ipc = new FakeIpc();
    const bridge = createBridge(ipc);
    const invoke = bridge.invoke as (method: unknown, input?: unknown) => Promise<unknown>;
    for (const method of ['shell.exec', 'constructor', '__proto__', 7]) {
      await expect(invoke(method, {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    }
    expect(ipc.invoked).toEqual([]);
  });

  it('turns a broken IPC (window closing) into a failure as data', async () => {
    const ipc = new FakeIpc();
    ipc.answer = async () => {
      throw new Error("Error invoking remote method 'arbdesk:invoke': reply was never sent");
    };
    const result = await createBridge(ipc).invoke('system.status');
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('passes subscribers only the batch, never the IPC event', () => {
    const ipc = new FakeIpc();
    const received: unknown[][] = [];
    createBridge(ipc).subscribe((...args: unknown[]) => received.push(args));
    ipc.emit('arbdesk:events', { sender: 'the IpcRendererEvent, with sender and ports' }, batch);
    expect(received).toEqual([[batch]]);
  });

  it('unsubscribes exactly that listener, and twice is harmless', () => {
    const ipc = new FakeIpc();
    const bridge = createBridge(ipc);
    const a: EventBatch[] = [];
    const b: EventBatch[] = [];
    const offA = bridge.subscribe((x) => a.push(x));
    bridge.subscribe((x) => b.push(x));
    offA();
    offA();
    ipc.emit('arbdesk:events', {}, batch);
    expect(a).toEqual([]);
    expect(b).toEqual([batch]);
    expect(ipc.listenerCount('arbdesk:events')).toBe(1);
  });

  it('listens on no channel other than arbdesk:events', () => {
    const ipc = new FakeIpc();
    createBridge(ipc).subscribe(() => undefined);
    expect(ipc.eventNames()).toEqual(['arbdesk:events']);
  });
});
