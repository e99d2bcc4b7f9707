import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandName, Result } from '../../../services/contract.js';
import { createInvokeHandler, type DispatchDeps } from '../../../electron/main/dispatch.js';
import { isTrustedSender, type SenderInfo } from '../../../electron/main/url-policy.js';
import { harness } from './fakes/fake-host.js';

const OUR_PAGE: SenderInfo = { url: 'arbdesk://app/index.html', isMainFrame: true };

function setup(forward?: DispatchDeps['forward']) {
  const forwarded: { method: CommandName; input: unknown }[] = [];
  const refused: string[] = [];
  const handler = createInvokeHandler({
    isTrustedSender,
    forward:
      forward ??
      (async (method, input) => {
        forwarded.push({ method, input });
        return { ok: true, value: { echoed: method } };
      }),
    onRefused: (reason) => refused.push(reason),
  });
  return { handler, forwarded, refused };
}

describe('IPC dispatch', () => {
  it('forwards a valid command from our page with its parsed input (defaults applied)', async () => {
    const { handler, forwarded } = setup();
    await expect(handler(OUR_PAGE, 'logs.tail', { limit: 20 })).resolves.toEqual({ ok: true, value: { echoed: 'logs.tail' } });
    await handler(OUR_PAGE, 'system.status', undefined);
    expect(forwarded).toEqual([
      { method: 'logs.tail', input: { limit: 20, minLevel: 'trace' } },
      { method: 'system.status', input: undefined },
    ]);
  });

  it('refuses a method that is not in the contract, without forwarding', async () => {
    const { handler, forwarded, refused } = setup();
    for (const method of ['system.shutdown', '__proto__', 'toString', 42, null]) {
      const result = await handler(OUR_PAGE, method, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    }
    expect(forwarded).toEqual([]);
    expect(refused).toEqual(Array(5).fill('unknown_command'));
  });

  it('refuses input that fails the schema, naming the field, without forwarding', async () => {
    const { handler, forwarded } = setup();
    const tooMany = await handler(OUR_PAGE, 'logs.tail', { limit: 100_000 });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('limit') } });
    const extraKey = await handler(OUR_PAGE, 'system.status', { sneaky: true });
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const empty = await handler(OUR_PAGE, 'settings.update', { changes: {} });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('at least one') } });
    expect(forwarded).toEqual([]);
  });

  it('refuses every message from a frame that is not the top frame of our page — before looking at it', async () => {
    const { handler, forwarded } = setup();
    const strangers: (SenderInfo | null)[] = [
      { url: 'https://evil.example/', isMainFrame: true },
      { url: 'file:///home/owner/Downloads/evil.html', isMainFrame: true },
      { url: 'arbdesk://app/index.html', isMainFrame: false },
      null,
    ];
    for (const sender of strangers) {
      // Even an unknown method gets forbidden_sender: a stranger learns nothing about the contract.
      for (const [method, input] of [
        ['system.status', undefined],
        ['no.such.command', {}],
      ] as const) {
        await expect(handler(sender, method, input)).resolves.toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
      }
    }
    expect(forwarded).toEqual([]);
  });

  it('turns a throwing forward into a failure as data, without the stack', async () => {
    const { handler } = setup(async () => {
      throw new Error('secret internals at /home/owner/.config');
    });
    const result = await handler(OUR_PAGE, 'system.status', undefined);
    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', message: 'system.status failed inside the desktop shell; details are in the log.' },
    });
  });
});

describe('IPC dispatch wired to the supervisor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers host_unavailable while the host is down, and reaches it again once restarted', async () => {
    const h = harness();
    const { handler } = setup((method, input) => h.supervisor.invoke(method, input));
    h.supervisor.start();
    h.child().ready();
    h.child().exit(1);

    const down: Result<unknown> = await handler(OUR_PAGE, 'system.status', undefined);
    expect(down).toEqual({
      ok: false,
      error: { code: 'host_unavailable', message: expect.stringContaining('The services host is down') },
    });

    vi.advanceTimersByTime(500);
    h.child().ready();
    const call = handler(OUR_PAGE, 'system.status', undefined);
    const sent = h.child().invokes()[0];
    expect(sent).toMatchObject({ method: 'system.status' });
    h.child().send({ type: 'result', id: sent?.id, result: { ok: true, value: 'fine' } });
    await expect(call).resolves.toEqual({ ok: true, value: 'fine' });
  });
});
