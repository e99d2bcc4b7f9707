/** The stand-in must speak the wire format the official `openai` SDK understands. */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../fakes/upstream.js';

let fake: FakeUpstream | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe('fake upstream with the official openai SDK', () => {
  it('answers non-streaming and streaming chat completions with usage and cost', async () => {
    fake = await startFakeUpstream();
    const sdk = new OpenAI({ baseURL: fake.baseUrl, apiKey: fake.apiKey, maxRetries: 0 });
    const done = await sdk.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'say hi' }], max_tokens: 4 });
    expect(done.choices[0]!.message.content).toBe('Hello from the fake');
    expect(done.choices[0]!.finish_reason).toBe('length');
    expect(done.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 4, total_tokens: 8, cost: 0.000003 }); // 4 × 0.15 + 4 × 0.6 µUSD

    const stream = await sdk.chat.completions.create({ model: 'anthropic/claude-3.5-sonnet', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from the fake upstream; this is a deterministic answer for tests.');
    expect(usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 12, cost: 0.000189 });
  });

  it('answers errors in the shape the SDK turns into typed errors', async () => {
    fake = await startFakeUpstream();
    const sdk = new OpenAI({ baseURL: fake.baseUrl, apiKey: fake.apiKey, maxRetries: 0 });
    await expect(sdk.chat.completions.create({ model: 'fake/error-429', messages: [] })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(sdk.chat.completions.create({ model: 'no/such-model', messages: [] })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const wrongKey = new OpenAI({ baseURL: fake.baseUrl, apiKey: 'sk-or-v1-wrong', maxRetries: 0 });
    await expect(wrongKey.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('drops a stream mid-way and still bills what it produced', async () => {
    fake = await startFakeUpstream({ dropAfterChunks: 2 });
    const sdk = new OpenAI({ baseURL: fake.baseUrl, apiKey: fake.apiKey, maxRetries: 0 });
    const stream = await sdk.chat.completions.create({ model: 'fake/drop-mid-stream', messages: [{ role: 'user', content: 'x' }], stream: true });
    const read = async () => {
      for await (const _chunk of stream) {
        // consume until the connection drops
      }
    };
    await expect(read()).rejects.toThrow();
    expect(fake.generations.get('gen-1')).toMatchObject({ completionTokens: 2, cancelled: true, costPico: 3n * 1_000_000n + 2n * 2_000_000n });
  });
});
