import { describe, expect, it } from 'vitest';
import { ESTIMATE_RULE, estimatePromptTokens } from '../../../services/pricing/estimate.js';

const { perMessageTokens: M, replyPrimingTokens: R, imageTokens: I } = ESTIMATE_RULE;

describe('estimatePromptTokens', () => {
  it('counts UTF-8 bytes / 3 per text, plus per-message and reply overheads', () => {
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: 'Hello!' }] })).toBe(R + M + 2);
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: 'Héllo' }] })).toBe(R + M + 2); // 6 bytes
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: '日本語' }] })).toBe(R + M + 3); // 9 bytes
    expect(
      estimatePromptTokens({
        messages: [
          { role: 'system', content: 'abcd' },
          { role: 'user', name: 'bob', content: [{ type: 'text', text: 'abc' }, { type: 'text', text: 'a' }] },
        ],
      }),
    ).toBe(R + M + 2 + M + 1 + 1 + 1);
  });

  it('over-estimates ordinary English and code (at least one token per word or symbol run)', () => {
    const english = 'The quick brown fox jumps over the lazy dog, and then it runs into the forest to find some food before night falls.';
    const code = 'function add(a: number, b: number): number {\n  return a + b;\n}\nconsole.log(add(1, 2));';
    for (const text of [english, code]) {
      const pieces = text.match(/\w+|[^\w\s]/g)!.length; // words and punctuation: a floor for any BPE tokenizer
      expect(estimatePromptTokens({ messages: [{ role: 'user', content: text }] }) - R - M).toBeGreaterThanOrEqual(pieces * 0.9);
      expect(estimatePromptTokens({ messages: [{ role: 'user', content: text }] }) - R - M).toBeGreaterThanOrEqual(Math.ceil(text.length / 4));
    }
  });

  it('counts an image as a fixed allowance, however big its data URL', () => {
    const huge = 'data:image/png;base64,' + 'A'.repeat(3_000_000);
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: huge } }] }] })).toBe(R + M + I);
  });

  it('counts tools, tool calls and response formats by their JSON', () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const base = estimatePromptTokens({ messages: [{ role: 'user', content: 'x' }] });
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: 'x' }], tools })).toBe(base + Math.ceil(JSON.stringify(tools).length / 3));
    const call = [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"city":"Paris"}' } }];
    expect(estimatePromptTokens({ messages: [{ role: 'assistant', content: null, tool_calls: call }] })).toBe(R + M + Math.ceil(JSON.stringify(call).length / 3));
  });

  it('falls back to the prompt or the whole body when there is no messages array', () => {
    expect(estimatePromptTokens({ prompt: 'abcdef' })).toBe(R + 2);
    expect(estimatePromptTokens({ input: 'abc' })).toBe(R + Math.ceil('{"input":"abc"}'.length / 3));
    expect(estimatePromptTokens(null)).toBe(R);
  });
});
