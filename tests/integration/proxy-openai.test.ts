/**
 * The reselling proxy as a customer's program meets it: the official `openai` SDK against
 * ArbDesk, with the OpenRouter-compatible stand-in (tests/fakes/upstream.ts) as the upstream.
 * Every scenario ends with the ledger's invariants checked (proxy-harness.ts). Errors and
 * misbehaving clients: proxy-errors.test.ts.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_MODELS } from '../fakes/upstream-models.js';
import { waitFor } from '../helpers/wait.js';
import { useProxyHost } from './proxy-harness.js';

const h = useProxyHost();
const { call, customerWithKey, client, balance } = h;

describe('chat completions through the openai SDK', () => {
  it('answers, charges the customer at the marked-up price and records the request', async () => {
    const { key, customerId } = await customerWithKey('1');
    const before = await balance(customerId);
    const answer = await client(key).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 50 });
    expect(answer.choices[0]!.message.content).toBeTruthy();
    const usage = answer.usage!;
    // gpt-4o-mini upstream: $0.15 / $0.60 per million; 25% markup → 187_500 / 750_000 pUSD per token.
    const byTokens = Math.ceil((usage.prompt_tokens * 187_500 + usage.completion_tokens * 750_000) / 1e6);
    const after = await balance(customerId);
    const charged = before.availableMicro - after.availableMicro;
    // Charged by tokens, but never less than the upstream's own cost (rounded up to µUSD) × 1.25.
    expect(charged).toBeGreaterThanOrEqual(byTokens);
    expect(charged).toBeLessThanOrEqual(byTokens + 2);
    expect(after.heldMicro).toBe(0);
    const list = await call<{ recent: { model: string; chargeMicro: number; upstreamCostMicro: number; outcome: string }[] }>('usage.list', { customerId });
    expect(list.recent[0]).toMatchObject({ model: 'openai/gpt-4o-mini', chargeMicro: charged, outcome: 'ok' });
    expect(list.recent[0]!.upstreamCostMicro).toBeLessThan(charged);
    // The answer's usage.cost is what the customer paid, not what the upstream charged the owner.
    expect((usage as unknown as { cost: number }).cost).toBe(charged / 1e6);
    expect(usage).not.toHaveProperty('is_byok');
  });

  it('streams chunks as they come and charges from the final usage chunk (never $0)', async () => {
    const { key, customerId } = await customerWithKey('1');
    const stream = await client(key, '/ai-proxy').chat.completions.create({
      model: 'anthropic/claude-3.5-sonnet',
      messages: [{ role: 'user', content: 'Count to five' }],
      max_tokens: 40,
      stream: true,
    });
    let text = '';
    let finalUsage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) finalUsage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(finalUsage?.completion_tokens).toBeGreaterThan(0);
    const recent = await waitFor(
      () => call<{ recent: { chargeMicro: number; completionTokens: number; outcome: string }[] }>('usage.list', { customerId }),
      (r) => r.recent.length === 1,
      { what: 'the streamed request to be settled' },
    );
    expect(recent.recent[0]!.chargeMicro).toBeGreaterThan(0);
    expect(recent.recent[0]!.completionTokens).toBe(finalUsage!.completion_tokens);
    expect((finalUsage as unknown as { cost: number }).cost).toBe(recent.recent[0]!.chargeMicro / 1e6);
    expect((await balance(customerId)).heldMicro).toBe(0);
  });

  it('shows the customer their own cost in the usage even when the usage chunk and [DONE] come in separate reads', async () => {
    const { key, customerId } = await customerWithKey('1');
    h.upstream.set({ doneDelayMs: 40 });
    try {
      const stream = await client(key).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 20, stream: true });
      let finalUsage: (OpenAI.CompletionUsage & { cost?: number }) | undefined;
      for await (const chunk of stream) if (chunk.usage) finalUsage = chunk.usage;
      const recent = await waitFor(
        () => call<{ recent: { chargeMicro: number; upstreamCostMicro: number }[] }>('usage.list', { customerId }),
        (r) => r.recent.length === 1,
        { what: 'the streamed request to be settled' },
      );
      expect(finalUsage!.cost).toBe(recent.recent[0]!.chargeMicro / 1e6);
      expect(recent.recent[0]!.upstreamCostMicro).toBeLessThan(recent.recent[0]!.chargeMicro);
    } finally {
      h.upstream.set({ doneDelayMs: 0 });
    }
  });

  it('forwards the body as sent, except the policy fields', async () => {
    const { key } = await customerWithKey('1');
    await client(key).chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'weather?' }],
      max_tokens: 20,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      response_format: { type: 'json_object' },
      temperature: 0.3,
    });
    const sent = JSON.parse(h.upstream.requests.filter((r) => r.url.endsWith('/chat/completions')).at(-1)!.body);
    expect(sent.tools[0].function.name).toBe('get_weather');
    expect(sent.response_format).toEqual({ type: 'json_object' });
    expect(sent.temperature).toBe(0.3);
    expect(sent.max_tokens).toBe(20);
    const headers = h.upstream.requests.at(-1)!.headers;
    expect(headers.authorization).toBe(`Bearer ${h.upstream.apiKey}`);
  });

  it('lists the models the key may use at the customer price, and reports the key status', async () => {
    const { key } = await customerWithKey('2', { models: ['openai/gpt-4o-mini'] });
    const models = await client(key).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['openai/gpt-4o-mini']);
    expect((models.data[0] as unknown as { pricing: Record<string, string> }).pricing).toEqual({ prompt: '0.0000001875', completion: '0.00000075' });
    // A model with a per-request fee shows it, marked up like the token prices ($0.005 × 1.25).
    const { key: anyModel } = await customerWithKey('1');
    const fee = (await client(anyModel).models.list()).data.find((m) => m.id === 'fake/request-fee') as unknown as { pricing: Record<string, string> };
    expect(fee.pricing).toEqual({ prompt: '0.00000125', completion: '0.0000025', request: '0.00625' });
    const auth = await fetch(`${h.proxyUrl}/v1/auth`, { headers: { authorization: `Bearer ${key}` } });
    expect(await auth.json()).toMatchObject({ object: 'key', balance: { available_usd: '2.00', held_usd: '0.00' }, allowed_models: ['openai/gpt-4o-mini'] });
  });
});

describe('token allowances', () => {
  it('pays a request from the allowance for its model (no money taken), and /v1/auth shows what is left', async () => {
    const { key, customerId } = await customerWithKey('0');
    await call('allowances.grant', { customerId, model: 'openai/gpt-4o-mini', tokens: 5000, validityDays: 30, memo: 'test package' });
    const answer = await client(key).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], max_tokens: 30 });
    const used = answer.usage!.prompt_tokens + answer.usage!.completion_tokens;
    const auth = (await (await fetch(`${h.proxyUrl}/v1/auth`, { headers: { authorization: `Bearer ${key}` } })).json()) as { allowances: { model: string; tokens_remaining: number }[]; balance: { available_usd: string } };
    expect(auth.allowances).toEqual([expect.objectContaining({ model: 'openai/gpt-4o-mini', tokens_remaining: 5000 - used })]);
    expect(auth.balance.available_usd).toBe('0.00');
    const recent = await call<{ recent: { chargeMicro: number; allowanceTokens: number }[] }>('usage.list', { customerId });
    expect(recent.recent[0]).toMatchObject({ chargeMicro: 0, allowanceTokens: used });
    // Another model is not covered by that allowance, and there is no money: 402 saying so.
    await expect(client(key).chat.completions.create({ model: 'anthropic/claude-3.5-sonnet', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 })).rejects.toMatchObject({ status: 402 });
  });
});

describe('upstream status', () => {
  it('reports the catalog and the credit left, with the proxy status showing it too', async () => {
    const status = await waitFor(
      () => call<{ configured: boolean; catalog: { models: number; source: string }; credit: { remainingMicro: number | null; low: boolean } | null }>('upstream.status', {}),
      (s) => s.credit?.remainingMicro !== null && s.credit !== null,
      { what: 'the first credit reading' },
    );
    expect(status).toMatchObject({ configured: true, catalog: { source: 'upstream' }, credit: { low: false } });
    expect(status.catalog.models).toBeGreaterThan(2);
    expect(status.credit!.remainingMicro).toBeGreaterThan(90_000_000); // the stand-in has $100
    expect(h.host.serviceStatuses().find((x) => x.id === 'proxy')!.detail.upstreamCredit).toMatch(/^\$\d+(\.\d+)? left$/);
  });
});


describe('prices follow the upstream', () => {
  it('reprices packages when the upstream price changes, and logs both changes', async () => {
    const imported = await call<{ imported: { id: string; priceMicro: number }[] }>('packages.import', {
      packages: [{ model: 'anthropic/claude-3.5-sonnet', tokens: 2_000_000, description: 'Claude 3.5 Sonnet - 2M tokens' }],
    });
    const before = imported.imported[0]!.priceMicro;
    h.upstream.setModels(
      DEFAULT_FAKE_MODELS.map((m) => (m.id === 'anthropic/claude-3.5-sonnet' ? { ...m, pricing: { prompt: '0.000006', completion: '0.00003' } } : m)),
    );
    try {
      // A proxy restart reloads the catalog (the scheduled refresh does the same every few minutes).
      await h.host.dispatch('settings.update', { changes: { 'upstream.catalogRefreshMinutes': 11 } });
      const after = await waitFor(
        () => call<{ packages: { id: string; priceMicro: number }[] }>('packages.list', {}),
        (r) => r.packages.find((p) => p.id === imported.imported[0]!.id)!.priceMicro !== before,
        { what: 'the package to be repriced' },
      );
      expect(after.packages.find((p) => p.id === imported.imported[0]!.id)!.priceMicro).toBeGreaterThan(before * 1.8);
      const lines = (await call<{ lines: { event?: string; fields: Record<string, unknown> }[] }>('logs.tail', { limit: 1000 })).lines;
      expect(lines.some((l) => l.event === 'pricing.upstream_price_changed' && l.fields.model === 'anthropic/claude-3.5-sonnet')).toBe(true);
      expect(lines.some((l) => l.event === 'pricing.package_repriced' && l.fields.packageId === imported.imported[0]!.id)).toBe(true);
      h.proxyUrl = (await waitFor(() => h.host.serviceStatuses().find((x) => x.id === 'proxy')!, (x) => x.state === 'running', { what: 'proxy back' })).detail.url!;
    } finally {
      h.upstream.setModels(DEFAULT_FAKE_MODELS);
    }
  });
});


describe('metering under pressure', () => {
  it('an aborted stream is settled at what the upstream charged, and the hold released', async () => {
    h.upstream.set({ chunkDelayMs: 30 });
    try {
      const { key, customerId } = await customerWithKey('1');
      const controller = new AbortController();
      const stream = await client(key).chat.completions.create(
        { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'long story' }], max_tokens: 200, stream: true },
        { signal: controller.signal },
      );
      let chunks = 0;
      try {
        for await (const _ of stream) {
          if (++chunks === 2) controller.abort();
        }
      } catch {
        // the SDK may end the iteration quietly or throw an abort error; either way the client left
      }
      expect(chunks).toBeLessThan(10);
      const settled = await waitFor(
        () => call<{ recent: { outcome: string; chargeMicro: number }[] }>('usage.list', { customerId }),
        (r) => r.recent.length === 1,
        { what: 'the aborted stream to be settled', timeoutMs: 20_000 },
      );
      expect(settled.recent[0]!.outcome).toBe('client_aborted');
      expect(settled.recent[0]!.chargeMicro).toBeGreaterThan(0);
      expect((await balance(customerId)).heldMicro).toBe(0);
      expect(h.host.meter.openReservations()).toBe(0);
    } finally {
      h.upstream.set({ chunkDelayMs: 0 });
    }
  });

  it('an upstream that breaks off mid-stream: the customer\'s stream ends broken, and pays what the upstream generated', async () => {
    const { key, customerId } = await customerWithKey('1');
    const stream = await client(key).chat.completions.create({ model: 'fake/drop-mid-stream', messages: [{ role: 'user', content: 'tell me' }], max_tokens: 50, stream: true });
    let contentChunks = 0;
    await expect(
      (async () => {
        for await (const c of stream) if (c.choices[0]?.delta.content) contentChunks += 1;
      })(),
    ).rejects.toThrow();
    expect(contentChunks).toBe(3); // the fake drops after 3 content chunks
    const settled = await waitFor(
      () => call<{ recent: { outcome: string; status: number; chargeMicro: number; completionTokens: number }[] }>('usage.list', { customerId }),
      (r) => r.recent.length === 1,
      { what: 'the broken stream to be settled', timeoutMs: 20_000 },
    );
    const gen = [...h.upstream.generations.values()].find((g) => g.model === 'fake/drop-mid-stream' && g.cancelled)!;
    expect(settled.recent[0]).toMatchObject({ outcome: 'upstream_error', status: 502, completionTokens: gen.completionTokens });
    expect(settled.recent[0]!.chargeMicro).toBeGreaterThan(0);
    expect((await balance(customerId)).heldMicro).toBe(0);
    const lines = (await call<{ lines: { event?: string; fields: Record<string, unknown> }[] }>('logs.tail', { limit: 1000 })).lines;
    expect(lines.filter((l) => l.event === 'proxy.upstream_failed').map((l) => l.fields.kind)).toContain('dropped_stream');
  });

  it('a customer that falls megabytes behind still gets the whole stream, charged from its usage', async () => {
    h.upstream.set({ completionWords: 16_384 }); // the model's most, ≈ 4.4 MB of events
    try {
      const { key, customerId } = await customerWithKey('5');
      const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'a long one' }], max_tokens: 16_384, stream: true });
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const r = httpRequest(`${h.proxyUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, resolve);
        r.on('error', reject);
        r.end(body);
      });
      response.pause(); // read nothing for now
      // The upstream has written the whole answer while the customer has read nothing (the
      // proxy pauses the upstream meanwhile: tests/unit/proxy/chat-relay.test.ts).
      await waitFor(() => [...h.upstream.generations.values()].some((g) => g.completionTokens === 16_384 && !g.cancelled), (done) => done, { what: 'the upstream to finish writing' });
      let got = '';
      response.setEncoding('utf8');
      response.on('data', (d: string) => (got += d));
      response.resume();
      await new Promise((resolve) => response.on('end', resolve));
      expect(got.endsWith('data: [DONE]\n\n')).toBe(true);
      const events = got.split('\n\n').filter((e) => e.startsWith('data: {'));
      const content = events.map((e) => (JSON.parse(e.slice(6)) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '').join('');
      expect(content.split(' ').filter(Boolean).length).toBe(16_384);
      const usage = await waitFor(
        () => call<{ recent: { outcome: string; completionTokens: number; chargeMicro: number }[] }>('usage.list', { customerId }),
        (r) => r.recent.length === 1,
        { what: 'the slow stream to be settled' },
      );
      expect(usage.recent[0]).toMatchObject({ outcome: 'ok', completionTokens: 16_384 });
      expect((await balance(customerId)).heldMicro).toBe(0);
    } finally {
      h.upstream.set({ completionWords: 8 });
    }
  });

  it('hundreds of concurrent requests on a balance that covers only some: never below zero, every served request charged', async () => {
    // Each request may cost up to 20 × 750_000 pUSD + prompt ≈ 17 µUSD; $0.0012 covers a few dozen.
    const { key, customerId } = await customerWithKey('0.0012');
    const c = client(key);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) =>
        i % 2
          ? c.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `q${i}` }], max_tokens: 20 })
          : (async () => {
              const s = await c.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `q${i}` }], max_tokens: 20, stream: true });
              for await (const _ of s) {
                // drain
              }
              return s;
            })(),
      ),
    );
    const served = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(served).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 402 });
    const usage = await waitFor(
      () => call<{ recent: { chargeMicro: number; outcome: string; status: number }[] }>('usage.list', { customerId, limit: 1000 }),
      (u) => u.recent.length === 300,
      { what: 'every request to be recorded', timeoutMs: 20_000 },
    );
    const servedRecords = usage.recent.filter((r) => r.status === 200);
    expect(servedRecords.length).toBe(served);
    expect(servedRecords.every((r) => r.outcome === 'ok' && r.chargeMicro > 0)).toBe(true);
    expect(usage.recent.filter((r) => r.status === 402 && r.outcome === 'insufficient_balance' && r.chargeMicro === 0).length).toBe(refused.length);
    const after = await balance(customerId);
    expect(after.availableMicro).toBeGreaterThanOrEqual(0);
    expect(after.heldMicro).toBe(0);
    const charged = usage.recent.reduce((sum, r) => sum + r.chargeMicro, 0);
    expect(charged + after.availableMicro).toBe(1200);
  });
});
