/**
 * The outbox under fake timers: Telegram's 429 retry_after pauses every call and retries;
 * broadcasts are paced (≤ bulkPerSecond messages in any second, ≥ 1 s apart per chat);
 * customers' replies overtake a broadcast; one chat's messages stay in order.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Outbox, OutboxStoppedError, isUnreachableChat } from '../../../services/bot/outbox.js';

interface Call {
  method: string;
  chat: unknown;
  at: number;
}

function recorder(fail?: (call: Call, n: number) => unknown) {
  const calls: Call[] = [];
  const call = async (method: string, payload: Record<string, unknown>) => {
    const c = { method, chat: payload.chat_id, at: Date.now() };
    calls.push(c);
    const error = fail?.(c, calls.length);
    if (error) throw error;
    return { ok: true, n: calls.length };
  };
  return { calls, call };
}

const tooMany = (retryAfter: number) => ({ code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('outbox', () => {
  it('waits retry_after seconds after a 429 (sending nothing meanwhile), then retries', async () => {
    const r = recorder((c, n) => (n === 1 ? tooMany(3) : undefined));
    const retries: number[] = [];
    const out = new Outbox({ call: r.call, onRetry: (i) => retries.push(i.waitMs) });
    const first = out.send('sendMessage', { chat_id: 1, text: 'a' });
    const second = out.send('sendMessage', { chat_id: 2, text: 'b' });
    await vi.advanceTimersByTimeAsync(0);
    // Chat 2 went out alongside the first attempt; after the 429 everything waits.
    expect(r.calls.map((c) => [c.chat, c.at])).toEqual([[1, 0], [2, 0]]);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(r.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.calls.map((c) => [c.chat, c.at])).toEqual([[1, 0], [2, 0], [1, 3_000]]);
    await expect(first).resolves.toMatchObject({ ok: true });
    await expect(second).resolves.toMatchObject({ ok: true });
    expect(retries).toEqual([3_000]);
  });

  it('pauses calls queued during the wait as well', async () => {
    const r = recorder((c, n) => (n === 1 ? tooMany(2) : undefined));
    const out = new Outbox({ call: r.call });
    void out.send('sendMessage', { chat_id: 1 });
    await vi.advanceTimersByTimeAsync(500);
    const later = out.send('sendMessage', { chat_id: 9 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.calls.map((c) => c.chat)).toEqual([1]);
    await vi.advanceTimersByTimeAsync(500);
    await later;
    expect(r.calls.map((c) => [c.chat, c.at])).toEqual([[1, 0], [1, 2_000], [9, 2_000]]);
  });

  it('gives up after maxAttempts 429s and rejects with Telegram\'s error', async () => {
    const r = recorder(() => tooMany(1));
    const out = new Outbox({ call: r.call, maxAttempts: 3 });
    const p = out.send('sendMessage', { chat_id: 1 });
    const settled = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await settled).toMatchObject({ code: 429 });
    expect(r.calls.map((c) => c.at)).toEqual([0, 1_000, 2_000]);
  });

  it('does not retry a blocked user (403) or a bad request (400)', async () => {
    const blocked = { code: 403, description: 'Forbidden: bot was blocked by the user' };
    const r = recorder((c) => (c.chat === 7 ? blocked : c.chat === 8 ? { code: 400, description: 'Bad Request: chat not found' } : undefined));
    const out = new Outbox({ call: r.call });
    const a = out.send('sendMessage', { chat_id: 7 }).catch((e: unknown) => e);
    const b = out.send('sendMessage', { chat_id: 8 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await a).toBe(blocked);
    expect(isUnreachableChat(await a)).toBe(true);
    expect(isUnreachableChat(await b)).toBe(true);
    expect(isUnreachableChat({ code: 400, description: 'Bad Request: message is too long' })).toBe(false);
    expect(r.calls).toHaveLength(2);
  });

  it('retries a 5xx after a backoff', async () => {
    const r = recorder((c, n) => (n === 1 ? { code: 502, description: 'Bad Gateway' } : undefined));
    const out = new Outbox({ call: r.call });
    const p = out.send('sendMessage', { chat_id: 1 });
    await vi.advanceTimersByTimeAsync(1_000);
    await p;
    expect(r.calls.map((c) => c.at)).toEqual([0, 1_000]);
  });

  it('paces a broadcast: at most bulkPerSecond messages in any second', async () => {
    const r = recorder();
    const out = new Outbox({ call: r.call, perSecond: 30, bulkPerSecond: 25 });
    const all = Array.from({ length: 100 }, (_, i) => out.send('sendMessage', { chat_id: 1000 + i }, 'bulk'));
    await vi.advanceTimersByTimeAsync(0);
    expect(r.calls).toHaveLength(25); // the first second's allowance
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    expect(r.calls).toHaveLength(100);
    for (const c of r.calls) expect(r.calls.filter((x) => x.at > c.at - 1000 && x.at <= c.at).length).toBeLessThanOrEqual(25);
    expect(Math.max(...r.calls.map((c) => c.at))).toBe(3_000); // 100 messages: 4 seconds' worth
  });

  it('keeps bulk messages to one chat a second apart, and in order', async () => {
    const r = recorder();
    const out = new Outbox({ call: r.call });
    const sends = [1, 2, 3].map((n) => out.send('sendMessage', { chat_id: 5, text: n }, 'bulk'));
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(sends);
    expect(r.calls.map((c) => c.at)).toEqual([0, 1_000, 2_000]);
  });

  it('lets customers\' replies overtake a broadcast', async () => {
    const r = recorder();
    const out = new Outbox({ call: r.call, perSecond: 30, bulkPerSecond: 25, maxInFlight: 100 });
    const bulk = Array.from({ length: 60 }, (_, i) => out.send('sendMessage', { chat_id: 1000 + i }, 'bulk'));
    await vi.advanceTimersByTimeAsync(10);
    expect(r.calls).toHaveLength(25);
    // The bulk lane is full for this second, but a customer's reply still has room.
    const reply = out.send('sendMessage', { chat_id: 42 });
    await vi.advanceTimersByTimeAsync(0);
    await reply;
    expect(r.calls.find((c) => c.chat === 42)!.at).toBe(10);
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(bulk);
  });

  it('sends one chat\'s messages in order even when they could go in parallel', async () => {
    const order: unknown[] = [];
    let release: (() => void) | undefined;
    const out = new Outbox({
      call: async (_m, p) => {
        if (p.text === 'photo') await new Promise<void>((r) => (release = r));
        order.push(p.text);
        return true;
      },
    });
    const a = out.send('sendPhoto', { chat_id: 1, text: 'photo' });
    const b = out.send('sendMessage', { chat_id: 1, text: 'status' });
    const c = out.send('sendMessage', { chat_id: 2, text: 'other chat' });
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['other chat']);
    release!();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['other chat', 'photo', 'status']);
  });

  it('rejects what is still queued when stopped', async () => {
    const r = recorder((c, n) => (n === 1 ? tooMany(60) : undefined));
    const out = new Outbox({ call: r.call });
    const p = out.send('sendMessage', { chat_id: 1 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    out.stop();
    expect(await p).toBeInstanceOf(OutboxStoppedError);
    await expect(out.send('sendMessage', { chat_id: 1 })).rejects.toBeInstanceOf(OutboxStoppedError);
  });
});
