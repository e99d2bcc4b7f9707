import { describe, expect, it } from 'vitest';
import { FloodControl } from '../../../services/bot/flood.js';

describe('per-user flood control', () => {
  it('lets N updates through per window, warns once, then drops until the bucket refills', () => {
    let now = 0;
    const flood = new FloodControl({ limit: 5, windowSeconds: 10, now: () => now });
    const verdicts = Array.from({ length: 9 }, () => flood.check(1));
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'warn', 'drop', 'drop', 'drop']);
    now += 1_000; // half a token back
    expect(flood.check(1)).toBe('drop');
    now += 1_000; // one token (5 per 10 s)
    expect(flood.check(1)).toBe('ok');
    expect(flood.check(1)).toBe('drop'); // still flooding: no second warning
    now += 10_000; // full again
    expect([flood.check(1), flood.check(1), flood.check(1), flood.check(1), flood.check(1)]).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(flood.check(1)).toBe('warn'); // slowed down in between: warned again
  });

  it('keeps users apart', () => {
    const flood = new FloodControl({ limit: 1, windowSeconds: 60, now: () => 0 });
    expect(flood.check(1)).toBe('ok');
    expect(flood.check(1)).toBe('warn');
    expect(flood.check(2)).toBe('ok');
  });
});
