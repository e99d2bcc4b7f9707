import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../services/upstream/client.js';
import { parseModelsResponse } from '../../../services/upstream/models.js';
import { UpstreamError } from '../../../services/upstream/errors.js';
import { startFakeUpstream, type FakeUpstream } from '../../fakes/upstream.js';
import { captureLogger } from './helpers.js';

let fake: FakeUpstream | undefined;
let client: UpstreamClient | undefined;
afterEach(async () => {
  await client?.destroy();
  await fake?.stop();
  client = fake = undefined;
});

describe('fetchModels', () => {
  it('parses OpenRouter prices exactly into pUSD per token and skips variable pricing, saying why', async () => {
    fake = await startFakeUpstream();
    const { logger, lines } = captureLogger();
    client = new UpstreamClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, logger });
    const { models, skipped } = await client.fetchModels();
    const mini = models.find((m) => m.id === 'openai/gpt-4o-mini');
    expect(mini).toEqual({
      id: 'openai/gpt-4o-mini',
      name: 'OpenAI: GPT-4o-mini',
      contextLength: 128_000,
      maxCompletionTokens: 16_384,
      priced: true,
      promptPico: 150_000, // $0.00000015
      completionPico: 600_000, // $0.0000006
      requestMicro: 0,
    });
    expect(models.find((m) => m.id === 'anthropic/claude-3.5-sonnet')).toMatchObject({ promptPico: 3_000_000, completionPico: 15_000_000 });
    expect(models.find((m) => m.id === 'fake/request-fee')).toMatchObject({ requestMicro: 5_000 }); // $0.005 per request
    expect(models.some((m) => m.id === 'openrouter/auto')).toBe(false);
    expect(skipped).toEqual([{ id: 'openrouter/auto', reason: 'variable pricing (prompt price -1)' }]);
    expect(lines.find((l) => l.event === 'upstream.models_skipped')).toMatchObject({ count: 1, skipped: [{ id: 'openrouter/auto' }] });
  });

  it('keeps models of a plain OpenAI-compatible upstream with the price explicitly unknown', async () => {
    fake = await startFakeUpstream({ flavor: 'openai' });
    client = new UpstreamClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey });
    const { models, skipped } = await client.fetchModels();
    expect(skipped).toEqual([]);
    expect(models.find((m) => m.id === 'openrouter/auto')).toEqual({
      id: 'openrouter/auto',
      name: 'openrouter/auto',
      contextLength: null,
      maxCompletionTokens: null,
      priced: false,
      promptPico: null,
      completionPico: null,
      requestMicro: null,
    });
    expect(models.every((m) => !m.priced)).toBe(true);
  });

  it('fails with an upstream_status error when /models answers an error', async () => {
    fake = await startFakeUpstream({ modelsStatus: 503 });
    client = new UpstreamClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey });
    await expect(client.fetchModels()).rejects.toMatchObject({ kind: 'upstream_status', status: 503 });
    await expect(client.fetchModels()).rejects.toBeInstanceOf(UpstreamError);
  });
});

describe('parseModelsResponse', () => {
  it('rounds sub-pUSD prices up, rejects unparsable and negative prices, keeps the first of duplicates', () => {
    const { models, skipped } = parseModelsResponse({
      data: [
        { id: 'tiny', pricing: { prompt: '0.0000000000001', completion: '0' } },
        { id: 'num', pricing: { prompt: 0.000002, completion: 1e-7 } },
        { id: 'bad', pricing: { prompt: 'abc', completion: '0.1' } },
        { id: 'neg-completion', pricing: { prompt: '0.1', completion: '-0.5' } },
        { id: 'no-completion', pricing: { prompt: '0.1' } },
        { id: 'num', pricing: { prompt: '9', completion: '9' } },
        { name: 'no id' },
        'junk',
      ],
    });
    expect(models).toEqual([
      expect.objectContaining({ id: 'tiny', promptPico: 1, completionPico: 0 }),
      expect.objectContaining({ id: 'num', promptPico: 2_000_000, completionPico: 100_000 }),
    ]);
    expect(skipped).toEqual([
      { id: 'bad', reason: 'unparsable prompt price "abc"' },
      { id: 'neg-completion', reason: 'variable pricing (completion price -0.5)' },
      { id: 'no-completion', reason: 'no completion price' },
      { id: 'num', reason: 'listed twice; kept the first entry' },
      { id: '?', reason: 'entry has no id' },
      { id: '?', reason: 'entry is not an object' },
    ]);
  });

  it('throws when there is no data array', () => {
    expect(() => parseModelsResponse({ models: [] })).toThrow('no "data" array');
  });
});
