import { describe, expect, it } from 'vitest';
import { scanCompletion } from '../../../services/upstream/completion-scan.js';
import { completionInfo } from '../../../services/upstream/usage.js';

/** What a whole JSON.parse of the body says (the reference the scan must always agree with). */
function byWholeParse(text: string) {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  const info = completionInfo(parsed);
  return { id: info.id, usage: info.usage };
}

/** The scan's answer without where the usage sits (tail: for the customer's copy, tested below). */
function scanned(text: string) {
  const { id, usage } = scanCompletion(Buffer.from(text));
  return { id, usage };
}

const usage = (p: number, c: number, cost = '0.000042') => `{"prompt_tokens":${p},"completion_tokens":${c},"total_tokens":${p + c},"cost":${cost}}`;
const choices = (content: string) => `[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(content)}},"finish_reason":"stop"}]`;

const bodies: Record<string, string> = {
  'OpenRouter, usage last': `{"id":"gen-1","provider":"P","model":"m","object":"chat.completion","created":1,"choices":${choices('hi')},"usage":${usage(12, 3)}}`,
  'trailing newline': `{"id":"gen-2","choices":${choices('x')},"usage":${usage(1, 2)}}\n`,
  'usage not last': `{"id":"gen-3","choices":${choices('x')},"usage":${usage(5, 6)},"system_fingerprint":"fp"}`,
  'pretty printed': JSON.stringify({ id: 'gen-4', choices: [], usage: { prompt_tokens: 7, completion_tokens: 8, cost: 0.1 } }, null, 2),
  'only a nested usage (last key is another object)': `{"id":"gen-5","choices":[],"meta":{"usage":${usage(99, 99)}}}`,
  'nested usage after the real one': `{"id":"gen-6","usage":${usage(1, 1)},"meta":{"usage":${usage(99, 99)}}}`,
  'a completion that quotes a usage object': `{"id":"gen-7","choices":${choices('"usage":{"prompt_tokens":500,"completion_tokens":500}')},"usage":${usage(2, 4)}}`,
  'a key that ends in an escaped "usage"': `{"id":"gen-8","x\\"usage":${usage(77, 77)}}`,
  'a key ending in an escaped backslash, then the real usage': `{"id":"gen-9","a\\\\":1,"usage":${usage(3, 3)}}`,
  'usage twice (JSON.parse keeps the last)': `{"id":"gen-10","usage":${usage(1, 1)},"usage":${usage(4, 5)}}`,
  'id not first': `{"object":"chat.completion","id":"gen-11","usage":${usage(1, 2)}}`,
  'escaped id': `{"id":"gen\\u002d12","usage":${usage(1, 2)}}`,
  'usage null': `{"id":"gen-13","usage":null}`,
  'usage not an object': `{"id":"gen-14","usage":[1,2]}`,
  'no usage': `{"id":"gen-15","choices":[]}`,
  'not JSON': 'upstream hiccup',
  'truncated': `{"id":"gen-16","choices":${choices('x')},"usa`,
  'empty object': '{}',
  'usage with bad token counts': `{"id":"gen-17","usage":{"prompt_tokens":1.5,"completion_tokens":2}}`,
};

describe('scanCompletion (usage of a non-streamed answer from its bytes)', () => {
  for (const [name, text] of Object.entries(bodies)) {
    it(`agrees with a whole parse: ${name}`, () => {
      expect(scanned(text)).toEqual(byWholeParse(text));
    });
  }

  it('reads the usage an OpenRouter answer charges for, and only the top-level one', () => {
    expect(scanned(bodies['OpenRouter, usage last']!)).toEqual({
      id: 'gen-1',
      usage: expect.objectContaining({ promptTokens: 12, completionTokens: 3, costMicro: 42 }),
    });
    expect(scanCompletion(Buffer.from(bodies['only a nested usage (last key is another object)']!)).usage).toBeNull();
    expect(scanCompletion(Buffer.from(bodies['a key that ends in an escaped "usage"']!)).usage).toBeNull();
    expect(scanCompletion(Buffer.from(bodies['a completion that quotes a usage object']!)).usage).toMatchObject({ promptTokens: 2, completionTokens: 4 });
  });

  it('reads a large answer the same way (UTF-8 in the completion)', () => {
    const text = `{"id":"gen-big","choices":${choices('Grüße, 世界 '.repeat(20_000))},"usage":${usage(10, 60_000, '0.0123')}}`;
    expect(scanned(text)).toEqual(byWholeParse(text));
    expect(scanCompletion(Buffer.from(text)).usage?.costMicro).toBe(12_300);
  });

  it('says where the usage sits whenever it is the last key, also when the id is not first', () => {
    for (const name of ['OpenRouter, usage last', 'trailing newline', 'pretty printed', 'id not first', 'escaped id']) {
      const text = bodies[name]!;
      const tail = scanCompletion(Buffer.from(text)).tail;
      expect(tail, name).not.toBeNull();
      expect(JSON.parse(text.slice(tail!.valueFrom, tail!.valueTo)), name).toEqual(JSON.parse(text).usage);
    }
    for (const name of ['usage not last', 'only a nested usage (last key is another object)', 'not JSON', 'no usage']) {
      expect(scanCompletion(Buffer.from(bodies[name]!)).tail, name).toBeNull();
    }
  });
});
