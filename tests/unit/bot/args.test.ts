import { describe, expect, it } from 'vitest';
import { ArgsError, parseCommand, parseTokenCount, splitArgs } from '../../../services/bot/args.js';

describe('command parsing', () => {
  it('splits /name@bot and the rest', () => {
    expect(parseCommand('/create_package gpt-4 1 "x"')).toEqual({ name: 'create_package', mention: null, rest: 'gpt-4 1 "x"' });
    expect(parseCommand('/Start@ShopBot')).toEqual({ name: 'start', mention: 'ShopBot', rest: '' });
    expect(parseCommand('/reply tkt_1\nline two')).toEqual({ name: 'reply', mention: null, rest: 'tkt_1\nline two' });
    expect(parseCommand('hello /start')).toBeNull();
    expect(parseCommand('/')).toBeNull();
  });
});

describe('quoted arguments', () => {
  it('keeps a quoted description as one argument', () => {
    expect(splitArgs('gpt-4 100000 "GPT-4 Access - 100k tokens"')).toEqual(['gpt-4', '100000', 'GPT-4 Access - 100k tokens']);
    expect(splitArgs("gpt-4  100000   'single quoted'")).toEqual(['gpt-4', '100000', 'single quoted']);
  });

  it('accepts the quotes phones type', () => {
    expect(splitArgs('m 1 “smart quotes”')).toEqual(['m', '1', 'smart quotes']);
    expect(splitArgs('m 1 «ёлочки»')).toEqual(['m', '1', 'ёлочки']);
    expect(splitArgs('m 1 „German“')).toEqual(['m', '1', 'German']);
  });

  it('handles escapes, empty quotes and quotes inside words', () => {
    expect(splitArgs('m 1 "say \\"hi\\" \\\\ ok"')).toEqual(['m', '1', 'say "hi" \\ ok']);
    expect(splitArgs('m 1 ""')).toEqual(['m', '1', '']);
    expect(splitArgs('a "b c" d')).toEqual(['a', 'b c', 'd']);
    expect(splitArgs('  ')).toEqual([]);
  });

  it('reports an unclosed quote', () => {
    expect(() => splitArgs('m 1 "never closed')).toThrow(ArgsError);
    expect(() => splitArgs('m 1 “never closed')).toThrow(/never closed/);
  });
});

describe('token counts', () => {
  it('reads what owners type', () => {
    expect(parseTokenCount('100000')).toBe(100_000);
    expect(parseTokenCount('100_000')).toBe(100_000);
    expect(parseTokenCount('100,000')).toBe(100_000);
    expect(parseTokenCount('100k')).toBe(100_000);
    expect(parseTokenCount('1.5M')).toBe(1_500_000);
    for (const bad of ['0', '-5', '1.5', 'lots', '1e6', '10,00', '1.2345k', '', '99999999999999999999']) expect(parseTokenCount(bad), bad).toBeNull();
  });
});
