import { afterEach, describe, expect, it, vi } from 'vitest';
import { SseUsageScanner } from '../../../services/upstream/sse.js';
import { completionInfo, parseUsage } from '../../../services/upstream/usage.js';

afterEach(() => vi.restoreAllMocks());

describe('parseUsage', () => {
  it('converts cost exactly and rounds up to µUSD', () => {
    expect(parseUsage({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost: 0.000123456789 })).toEqual({
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
      costMicro: 124,
      costPico: 123_456_789,
      cachedPromptTokens: null,
      reasoningTokens: null,
    });
    // As they arrive on the wire: JSON numbers, including exponent notation.
    const cost = (text: string) => parseUsage(JSON.parse(`{"prompt_tokens":1,"completion_tokens":1,"cost":${text}}`))!.costMicro;
    expect(cost('1.5e-7')).toBe(1);
    expect(cost('0.000001')).toBe(1);
    expect(cost('0.0000010000001')).toBe(2);
    expect(cost('0.95')).toBe(950_000);
    // Exactly, for the minimum charge (marked up before it is rounded): pUSD, rounded up past 12 decimals.
    const pico = (text: string) => parseUsage(JSON.parse(`{"prompt_tokens":1,"completion_tokens":1,"cost":${text}}`))!.costPico;
    expect(pico('1.05e-6')).toBe(1_050_000);
    expect(pico('1.5e-13')).toBe(1);
    expect(pico('"abc"')).toBeNull();
    // Past what pUSD can hold exactly (~$9,007) the µUSD figure still is.
    expect(pico('12345.5')).toBeNull();
    expect(cost('12345.5')).toBe(12_345_500_000);
    expect(cost('12')).toBe(12_000_000);
    expect(cost('0')).toBe(0);
    expect(cost('-1')).toBeNull();
    expect(parseUsage({ prompt_tokens: 1, completion_tokens: 1, cost: '0.0015' })!.costMicro).toBe(1_500);
  });

  it('reads cached and reasoning tokens, and refuses usage without whole token counts', () => {
    expect(
      parseUsage({ prompt_tokens: 194, completion_tokens: 2, total_tokens: 196, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 1 } }),
    ).toMatchObject({ cachedPromptTokens: 100, reasoningTokens: 1, costMicro: null });
    expect(parseUsage({ prompt_tokens: 1.5, completion_tokens: 2 })).toBeNull();
    expect(parseUsage({ completion_tokens: 2 })).toBeNull();
    expect(parseUsage(null)).toBeNull();
    expect(parseUsage({ prompt_tokens: 3, completion_tokens: 4 })!.totalTokens).toBe(7);
  });

  it('extracts id, model and usage from a non-streaming body', () => {
    expect(completionInfo({ id: 'gen-9', model: 'm', usage: { prompt_tokens: 1, completion_tokens: 2, cost: 0.000003 } })).toEqual({
      id: 'gen-9',
      model: 'm',
      usage: expect.objectContaining({ promptTokens: 1, completionTokens: 2, costMicro: 3 }),
    });
    expect(completionInfo('nope')).toEqual({ id: null, model: null, usage: null });
  });
});

const chunk = (id: string, content: string) =>
  `data: {"id":"${id}","provider":"P","model":"anthropic/claude-3.5-sonnet","object":"chat.completion.chunk","created":1,"choices":[{"index":0,"delta":{"role":"assistant","content":${JSON.stringify(content)}},"finish_reason":null}]}\n\n`;

/** An OpenRouter stream: processing comment, content chunks, usage chunk, [DONE]. */
const OPENROUTER_STREAM = Buffer.from(
  ': OPENROUTER PROCESSING\n\n' +
    chunk('gen-42', 'Hé') +
    chunk('gen-42', 'llo "usage": {not json') +
    chunk('gen-42', '✓ €') +
    'data: {"id":"gen-42","provider":"P","model":"anthropic/claude-3.5-sonnet","object":"chat.completion.chunk","created":1,"choices":[],"usage":{"prompt_tokens":194,"completion_tokens":2,"total_tokens":196,"cost":0.000123456789,"prompt_tokens_details":{"cached_tokens":0}}}\n\n' +
    'data: [DONE]\n\n',
);

function scan(parts: Buffer[]): SseUsageScanner {
  const scanner = new SseUsageScanner();
  for (const part of parts) scanner.push(part);
  scanner.end();
  return scanner;
}

function expectComplete(scanner: SseUsageScanner): void {
  expect(scanner.id).toBe('gen-42');
  expect(scanner.model).toBe('anthropic/claude-3.5-sonnet');
  expect(scanner.usage).toMatchObject({ promptTokens: 194, completionTokens: 2, costMicro: 124 });
  expect(scanner.done).toBe(true);
  expect(scanner.events).toBe(4);
  expect(scanner.generationId).toBe('gen-42');
  expect(scanner.error).toBeNull();
}

describe('SseUsageScanner', () => {
  it('finds the id and usage in one chunk', () => {
    expectComplete(scan([OPENROUTER_STREAM]));
  });

  it('finds them whatever byte the stream is split at', () => {
    for (let i = 0; i <= OPENROUTER_STREAM.length; i++) {
      expectComplete(scan([OPENROUTER_STREAM.subarray(0, i), OPENROUTER_STREAM.subarray(i)]));
    }
  });

  it('finds them with every byte in its own chunk, and with three-way splits', () => {
    expectComplete(scan([...OPENROUTER_STREAM].map((b) => Buffer.from([b]))));
    const n = OPENROUTER_STREAM.length;
    for (let i = 1; i < n; i += 7) {
      for (let j = i; j < n; j += 13) {
        expectComplete(scan([OPENROUTER_STREAM.subarray(0, i), OPENROUTER_STREAM.subarray(i, j), OPENROUTER_STREAM.subarray(j)]));
      }
    }
  });

  it('handles CRLF line ends and a last event without its blank line', () => {
    const crlf = Buffer.from(OPENROUTER_STREAM.toString('utf8').replace(/\n/g, '\r\n').replace(/\r\n\r\n$/, ''));
    expectComplete(scan([crlf]));
  });

  it('parses one event per stream, the one with the usage (the id is read from the first without parsing it)', () => {
    const openaiStyle =
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"delta":{"content":"a"}}],"usage":null}\n\n'.repeat(1) +
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"delta":{"content":"b"}}],"usage":null}\n\n'.repeat(50) +
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":51,"total_tokens":54}}\n\n' +
      'data: [DONE]\n\n';
    const parse = vi.spyOn(JSON, 'parse');
    const scanner = scan([Buffer.from(openaiStyle)]);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(scanner).toMatchObject({ id: 'chatcmpl-1', done: true, events: 52 });
    expect(scanner.usage).toMatchObject({ promptTokens: 3, completionTokens: 51, costMicro: null });
  });

  it('finds usage followed by one more chunk, or cut off before [DONE]', () => {
    const withTrailer = OPENROUTER_STREAM.toString('utf8').replace('data: [DONE]', chunk('gen-42', '').trimEnd() + '\n\ndata: [DONE]');
    expect(scan([Buffer.from(withTrailer)]).usage).toMatchObject({ costMicro: 124 });
    const noDone = scan([OPENROUTER_STREAM.subarray(0, OPENROUTER_STREAM.indexOf('data: [DONE]'))]);
    expect(noDone.usage).toMatchObject({ costMicro: 124 });
    expect(noDone.done).toBe(false);
  });

  it('ignores what follows [DONE]', () => {
    const scanner = scan([OPENROUTER_STREAM, Buffer.from('data: {"id":"x","usage":{"prompt_tokens":9,"completion_tokens":9}}\n\n')]);
    expect(scanner.usage).toMatchObject({ promptTokens: 194 });
  });

  it('reports a stream that ended without usage or [DONE] (client abort, dropped connection)', () => {
    const cut = OPENROUTER_STREAM.subarray(0, OPENROUTER_STREAM.indexOf('"usage":{'));
    const scanner = scan([cut]);
    expect(scanner.id).toBe('gen-42');
    expect(scanner.usage).toBeNull();
    expect(scanner.done).toBe(false);
  });

  it('captures an error sent mid-stream', () => {
    const scanner = scan([Buffer.from(chunk('gen-7', 'x') + 'data: {"id":"gen-7","error":{"code":502,"message":"Provider disconnected"},"choices":[]}\n\n')]);
    expect(scanner.error).toEqual({ code: 502, message: 'Provider disconnected' });
  });

  it('joins multi-line data fields as the SSE spec says', () => {
    const scanner = scan([Buffer.from('event: message\nid: 1\ndata: {"id":"gen-1",\ndata: "usage": {"prompt_tokens":1,"completion_tokens":2}}\n\n')]);
    expect(scanner.id).toBe('gen-1');
    expect(scanner.usage).toMatchObject({ promptTokens: 1, completionTokens: 2 });
  });
});
