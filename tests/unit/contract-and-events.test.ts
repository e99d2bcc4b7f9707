import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkCommand, COMMAND_NAMES } from '../../services/contract.js';
import type { EventBatch } from '../../services/contract.js';
import { EventBatcher } from '../../services/events/batcher.js';

describe('checkCommand (the allowlist at every boundary)', () => {
  it('refuses names outside the contract, including prototype names', () => {
    for (const name of ['system.shutdown', '__proto__', 'constructor', 'toString', 42, undefined]) {
      const r = checkCommand(name, {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('unknown_command');
    }
  });

  it('names the bad field in invalid input', () => {
    const r = checkCommand('logs.tail', { limit: 5000 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!r.ok) expect(r.error.message).toMatch(/^logs\.tail: limit: /);
    // zod's own wording is said plainly.
    const long = checkCommand('customers.credit', { customerId: 'cus_abcdefghijkl', usd: '1', memo: 'x'.repeat(501) });
    if (!long.ok) expect(long.error.message).toBe('customers.credit: memo: must be at most 500 characters');
    expect(long.ok).toBe(false);
    const extra = checkCommand('system.status', { sneaky: true });
    expect(extra.ok).toBe(false);
  });

  it('applies defaults to valid input', () => {
    expect(checkCommand('logs.tail', {})).toEqual({ ok: true, method: 'logs.tail', input: { limit: 200, minLevel: 'trace' } });
    expect(COMMAND_NAMES).toEqual(expect.arrayContaining(['system.status', 'settings.get', 'settings.update', 'logs.tail']));
  });
});

describe('EventBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends at most one batch per stream per 100 ms, however fast events arrive', async () => {
    const batches: EventBatch[] = [];
    const b = new EventBatcher({ onFlush: (x) => batches.push(x) });
    for (let ms = 0; ms < 1000; ms++) {
      b.push('log', { seq: ms, time: '', level: 'info', msg: `m${ms}`, fields: {} });
      await vi.advanceTimersByTimeAsync(1);
    }
    b.flush();
    const logBatches = batches.filter((x) => x.stream === 'log');
    expect(logBatches.length).toBeLessThanOrEqual(11);
    expect(logBatches.flatMap((x) => x.events).length).toBe(1000);
  });

  it('keeps streams apart and drops the oldest past the per-batch cap, counting them', () => {
    const batches: EventBatch[] = [];
    const b = new EventBatcher({ onFlush: (x) => batches.push(x), maxPerBatch: 3 });
    for (let i = 0; i < 5; i++) b.push('log', { seq: i, time: '', level: 'info', msg: '', fields: {} });
    b.push('host.status', { state: 'up', reason: '', restarts: 0 });
    b.flush();
    expect(batches.map((x) => x.stream).sort()).toEqual(['host.status', 'log']);
    const log = batches.find((x) => x.stream === 'log')!;
    expect(log.events.map((e) => (e as { seq: number }).seq)).toEqual([2, 3, 4]);
    expect(b.dropped).toBe(2);
  });
});
