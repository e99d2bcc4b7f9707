/**
 * The reselling proxy as a customer's program meets it: the official `openai` SDK against
 * ArbDesk, with the OpenRouter-compatible stand-in (tests/fakes/upstream.ts) as the upstream.
 * Every scenario ends with the ledger's invariants checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Host } from '../../services/host/host.js';
import { hashKey } from '../../services/keys/key-format.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';
import { DEFAULT_FAKE_MODELS } from '../fakes/upstream-models.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

let upstream: FakeUpstream;
let host: Host;
let proxyUrl: string;
let dataDir: string;
let cleanup: () => void;
const issuedKeys: string[] = [];

async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await host.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

async function customerWithKey(usd: string, keyOptions: Record<string, unknown> = {}) {
  const customer = await call<{ id: string }>('customers.add', { name: `Customer ${issuedKeys.length + 1}` });
  if (usd !== '0') await call('customers.credit', { customerId: customer.id, usd, memo: 'test top-up' });
  const issued = await call<{ key: string; record: { id: string } }>('keys.issue', { customerId: customer.id, ...keyOptions });
  issuedKeys.push(issued.key);
  return { customerId: customer.id, key: issued.key, keyId: issued.record.id };
}

const client = (key: string, prefix = '') => new OpenAI({ apiKey: key, baseURL: `${proxyUrl}${prefix}/v1`, maxRetries: 0, timeout: 20_000 });
type UsageList = { recent: { model: string; status: number; outcome: string; chargeMicro: number; promptTokens: number }[]; refused: { status: number; code: string; requests: number }[] };
/** The customer's usage once it holds `n` records (refusals are recorded when the call's socket closes). */
const usageOf = (customerId: string, n: number) =>
  waitFor(() => call<UsageList>('usage.list', { customerId }), (u) => u.recent.length >= n, { what: `${n} usage records` });
const balance = async (customerId: string) => (await call<{ customer: { availableMicro: number; heldMicro: number } }>('customers.get', { customerId })).customer;

beforeAll(async () => {
  upstream = await startFakeUpstream({ completionWords: 8 });
  const t = tempDir();
  cleanup = t.cleanup;
  dataDir = t.dir;
  host = new Host({
    dataDir,
    mode: 'headless',
    env: { OPENROUTER_BASE_URL: upstream.baseUrl, OPENROUTER_API_KEY: upstream.apiKey },
    flags: { 'proxy.port': 0, 'control.port': 0 },
  });
  await host.start();
  const proxy = host.serviceStatuses().find((s) => s.id === 'proxy')!;
  expect(proxy.state).toBe('running');
  proxyUrl = proxy.detail.url!;
});

afterEach(() => {
  expect(host.ledger.checkInvariants()).toEqual([]);
});

afterAll(async () => {
  await host?.stop();
  await upstream?.stop();
  // No customer key, key hash or upstream secret in any log file after the whole run.
  const logs = readdirSync(path.join(dataDir, 'logs')).map((f) => readFileSync(path.join(dataDir, 'logs', f), 'utf8')).join('\n');
  for (const key of issuedKeys) {
    expect(logs).not.toContain(key);
    expect(logs).not.toContain(key.slice(7));
    expect(logs).not.toContain(hashKey(key));
  }
  expect(logs).not.toContain(upstream.apiKey);
  cleanup?.();
});

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
    upstream.set({ doneDelayMs: 40 });
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
      upstream.set({ doneDelayMs: 0 });
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
    const sent = JSON.parse(upstream.requests.filter((r) => r.url.endsWith('/chat/completions')).at(-1)!.body);
    expect(sent.tools[0].function.name).toBe('get_weather');
    expect(sent.response_format).toEqual({ type: 'json_object' });
    expect(sent.temperature).toBe(0.3);
    expect(sent.max_tokens).toBe(20);
    const headers = upstream.requests.at(-1)!.headers;
    expect(headers.authorization).toBe(`Bearer ${upstream.apiKey}`);
  });

  it('lists the models the key may use at the customer price, and reports the key status', async () => {
    const { key } = await customerWithKey('2', { models: ['openai/gpt-4o-mini'] });
    const models = await client(key).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['openai/gpt-4o-mini']);
    expect((models.data[0] as unknown as { pricing: { prompt: string } }).pricing.prompt).toBe('0.0000001875');
    const auth = await fetch(`${proxyUrl}/v1/auth`, { headers: { authorization: `Bearer ${key}` } });
    expect(await auth.json()).toMatchObject({ object: 'key', balance: { available_usd: '2.00', held_usd: '0.00' }, allowed_models: ['openai/gpt-4o-mini'] });
  });
});

describe('token allowances', () => {
  it('pays a request from the allowance for its model (no money taken), and /v1/auth shows what is left', async () => {
    const { key, customerId } = await customerWithKey('0');
    await call('allowances.grant', { customerId, model: 'openai/gpt-4o-mini', tokens: 5000, validityDays: 30, memo: 'test package' });
    const answer = await client(key).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], max_tokens: 30 });
    const used = answer.usage!.prompt_tokens + answer.usage!.completion_tokens;
    const auth = (await (await fetch(`${proxyUrl}/v1/auth`, { headers: { authorization: `Bearer ${key}` } })).json()) as { allowances: { model: string; tokens_remaining: number }[]; balance: { available_usd: string } };
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
    expect(host.serviceStatuses().find((x) => x.id === 'proxy')!.detail.upstreamCredit).toMatch(/^\$\d+(\.\d+)? left$/);
  });
});

describe('errors in OpenAI shape, with the right status', () => {
  it('401 for a missing, wrong or revoked key; 403 for a model the key may not use or an expired key', async () => {
    const { key, keyId, customerId } = await customerWithKey('1', { models: ['openai/gpt-4o-mini'] });
    await expect(client('sk-arb-' + 'x'.repeat(43)).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 401 });
    const noKey = await fetch(`${proxyUrl}/v1/models`);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { code: 'missing_api_key', type: 'authentication_error' } });
    await expect(client(key).chat.completions.create({ model: 'anthropic/claude-3.5-sonnet', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 403, code: 'model_not_allowed' });
    await call('keys.revoke', { keyId });
    await expect(client(key).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 401 });
    // A key the owner issued by hand: the customer is sent to the seller, not to a bot they may never have used.
    const revoked = client(key).models.list();
    await expect(revoked).rejects.toMatchObject({ status: 401, code: 'revoked_api_key' });
    await expect(revoked).rejects.toThrow(/revoked; use your current key, or ask your provider for one/);
    const shopKey = await customerWithKey('1', { label: 'shop' });
    await call('keys.revoke', { keyId: shopKey.keyId });
    await expect(client(shopKey.key).models.list()).rejects.toThrow(/ask the shop bot \(\/keys\) for one/);
    // The key's chat requests are recorded, refused ones too; its free look-ups (models.list) are not.
    const usage = await usageOf(customerId, 2);
    expect(usage.recent.map((r) => `${r.status} ${r.outcome} ${r.model} ${r.chargeMicro}`)).toEqual([
      '401 revoked_api_key  0',
      '403 model_not_allowed anthropic/claude-3.5-sonnet 0',
    ]);
    expect(usage.refused).toEqual(
      expect.arrayContaining([
        { status: 401, code: 'revoked_api_key', requests: 1 },
        { status: 403, code: 'model_not_allowed', requests: 1 },
      ]),
    );
  });

  it('429 with Retry-After past the key\'s requests per minute', async () => {
    const { key, customerId } = await customerWithKey('1', { rpm: 2 });
    const c = client(key);
    const ask = () => c.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
    await ask();
    await ask();
    const refused = await ask().catch((e: { status: number; headers: Headers }) => e);
    expect(refused).toMatchObject({ status: 429 });
    expect(Number((refused as { headers: Headers }).headers.get('retry-after'))).toBeGreaterThan(0);
    const usage = await usageOf(customerId, 3);
    expect(usage.recent.map((r) => `${r.status} ${r.outcome}`)).toEqual(['429 rate_limited', '200 ok', '200 ok']);
    expect(usage.refused).toEqual([{ status: 429, code: 'rate_limited', requests: 1 }]);
  });

  it('402 when the balance cannot cover the most the request can cost; nothing is held', async () => {
    const { key, customerId } = await customerWithKey('0.000100');
    const errorsNow = async () => (await call<{ errors: Record<string, number> }>('proxy.stats', undefined)).errors;
    const before = await errorsNow();
    await expect(client(key).chat.completions.create({ model: 'anthropic/claude-3.5-sonnet', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000 })).rejects.toMatchObject({
      status: 402,
      code: 'insufficient_balance',
    });
    expect(await balance(customerId)).toMatchObject({ availableMicro: 100, heldMicro: 0 });
    // The refusal leaves its record (nothing charged) and the owner sees why.
    const usage = await usageOf(customerId, 1);
    expect(usage.recent).toEqual([expect.objectContaining({ model: 'anthropic/claude-3.5-sonnet', status: 402, outcome: 'insufficient_balance', chargeMicro: 0, promptTokens: 0 })]);
    expect(usage.refused).toEqual([{ status: 402, code: 'insufficient_balance', requests: 1 }]);
    // The live figures count it once, under the same name.
    expect((await errorsNow()).insufficient_balance ?? 0).toBe((before.insufficient_balance ?? 0) + 1);
  });

  it('400 for malformed JSON, wrong types and invalid UTF-8; 413 for huge bodies; 404 for unknown models', async () => {
    const { key, customerId } = await customerWithKey('1');
    const post = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
      fetch(`${proxyUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, body });
    const bad = await post('{"model": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_json', type: 'invalid_request_error' } });
    expect((await post(JSON.stringify({ model: 5, messages: [] }))).status).toBe(400);
    expect((await post(JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], max_tokens: -1 }))).status).toBe(400);
    expect((await post(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).status).toBe(400);
    const huge = await post(JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }] }));
    expect(huge.status).toBe(413);
    const unknown = await post(JSON.stringify({ model: 'nobody/nothing', messages: [{ role: 'user', content: 'x' }] }));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'model_not_found' } });
    // …and the proxy keeps serving.
    const ok = await client(key).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'still there?' }], max_tokens: 5 });
    expect(ok.choices.length).toBe(1);
    // One record per request, newest first: the model when the body said one, '' when it could not be read.
    const usage = await usageOf(customerId, 7);
    expect(usage.recent.map((r) => `${r.status} ${r.outcome} ${r.model}`)).toEqual([
      '200 ok openai/gpt-4o-mini',
      '404 model_not_found nobody/nothing',
      '413 request_too_large ',
      '400 invalid_utf8 ',
      expect.stringMatching(/^400 \S+ openai\/gpt-4o-mini$/),
      expect.stringMatching(/^400 \S+ $/),
      '400 invalid_json ',
    ]);
  });

  it('maps upstream failures: 500 → 502, 429 → 429 with Retry-After, 400 passes through; the hold is released', async () => {
    const { key, customerId } = await customerWithKey('1');
    const before = await balance(customerId);
    await expect(client(key).chat.completions.create({ model: 'fake/error-500', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 502 });
    const limited = await fetch(`${proxyUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake/error-429', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    await expect(client(key).chat.completions.create({ model: 'fake/error-400', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 400 });
    expect(await balance(customerId)).toEqual({ ...before, activeKeys: 1 });
    // Each is recorded with the status the customer got, newest first.
    const usage = await call<{ recent: { model: string; status: number; outcome: string }[] }>('usage.list', { customerId });
    expect(usage.recent.map((r) => [r.model, r.status, r.outcome])).toEqual([
      ['fake/error-400', 400, 'upstream_error'],
      ['fake/error-429', 429, 'upstream_error'],
      ['fake/error-500', 502, 'upstream_error'],
    ]);
    // The owner hears of the upstream's failures in the log (the customer's own 400 is not one).
    const lines = (await call<{ lines: { level: string; event?: string; fields: Record<string, unknown> }[] }>('logs.tail', { limit: 1000 })).lines;
    const failures = lines.filter((l) => l.event === 'proxy.upstream_failed');
    expect(failures.map((l) => [l.level, l.fields.kind, l.fields.status])).toEqual([
      ['warn', 'upstream_error', 500],
      ['warn', 'rate_limited', 429],
    ]);
  });
});

describe('prices follow the upstream', () => {
  it('reprices packages when the upstream price changes, and logs both changes', async () => {
    const imported = await call<{ imported: { id: string; priceMicro: number }[] }>('packages.import', {
      packages: [{ model: 'anthropic/claude-3.5-sonnet', tokens: 2_000_000, description: 'Claude 3.5 Sonnet - 2M tokens' }],
    });
    const before = imported.imported[0]!.priceMicro;
    upstream.setModels(
      DEFAULT_FAKE_MODELS.map((m) => (m.id === 'anthropic/claude-3.5-sonnet' ? { ...m, pricing: { prompt: '0.000006', completion: '0.00003' } } : m)),
    );
    try {
      // A proxy restart reloads the catalog (the scheduled refresh does the same every few minutes).
      await host.dispatch('settings.update', { changes: { 'upstream.catalogRefreshMinutes': 11 } });
      const after = await waitFor(
        () => call<{ packages: { id: string; priceMicro: number }[] }>('packages.list', {}),
        (r) => r.packages.find((p) => p.id === imported.imported[0]!.id)!.priceMicro !== before,
        { what: 'the package to be repriced' },
      );
      expect(after.packages.find((p) => p.id === imported.imported[0]!.id)!.priceMicro).toBeGreaterThan(before * 1.8);
      const lines = (await call<{ lines: { event?: string; fields: Record<string, unknown> }[] }>('logs.tail', { limit: 1000 })).lines;
      expect(lines.some((l) => l.event === 'pricing.upstream_price_changed' && l.fields.model === 'anthropic/claude-3.5-sonnet')).toBe(true);
      expect(lines.some((l) => l.event === 'pricing.package_repriced' && l.fields.packageId === imported.imported[0]!.id)).toBe(true);
      proxyUrl = (await waitFor(() => host.serviceStatuses().find((x) => x.id === 'proxy')!, (x) => x.state === 'running', { what: 'proxy back' })).detail.url!;
    } finally {
      upstream.setModels(DEFAULT_FAKE_MODELS);
    }
  });
});

describe('misbehaving clients', () => {
  const raw = (text: string) =>
    new Promise<string>((resolve) => {
      const url = new URL(proxyUrl);
      const socket = connect(Number(url.port), url.hostname, () => socket.end(text));
      let got = '';
      socket.on('data', (d) => (got += d));
      socket.on('close', () => resolve(got));
      socket.on('error', () => resolve(got));
    });

  it('answers malformed HTTP and bad headers with 4xx, while a slow client does not stop others', async () => {
    const { key, customerId } = await customerWithKey('1');
    expect(await raw('GARBAGE / HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    const badAuth = await fetch(`${proxyUrl}/v1/models`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(badAuth.status).toBe(401);

    // A client that sends its body a byte at a time holds only its own request.
    const url = new URL(proxyUrl);
    const slow = connect(Number(url.port), url.hostname);
    slow.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{`);
    const others = await Promise.all(
      Array.from({ length: 5 }, () => client(key).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })),
    );
    expect(others.every((o) => o.choices.length === 1)).toBe(true);
    slow.destroy();
    // The client that left halfway through its body is recorded too, as 499 client_aborted.
    const usage = await usageOf(customerId, 6);
    expect(usage.recent[0]).toMatchObject({ status: 499, outcome: 'client_aborted', model: '', chargeMicro: 0 });
  });
});

describe('metering under pressure', () => {
  it('an aborted stream is settled at what the upstream charged, and the hold released', async () => {
    upstream.set({ chunkDelayMs: 30 });
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
      expect(host.meter.openReservations()).toBe(0);
    } finally {
      upstream.set({ chunkDelayMs: 0 });
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
    const gen = [...upstream.generations.values()].find((g) => g.model === 'fake/drop-mid-stream' && g.cancelled)!;
    expect(settled.recent[0]).toMatchObject({ outcome: 'upstream_error', status: 502, completionTokens: gen.completionTokens });
    expect(settled.recent[0]!.chargeMicro).toBeGreaterThan(0);
    expect((await balance(customerId)).heldMicro).toBe(0);
    const lines = (await call<{ lines: { event?: string; fields: Record<string, unknown> }[] }>('logs.tail', { limit: 1000 })).lines;
    expect(lines.filter((l) => l.event === 'proxy.upstream_failed').map((l) => l.fields.kind)).toContain('dropped_stream');
  });

  it('a customer that falls megabytes behind still gets the whole stream, charged from its usage', async () => {
    upstream.set({ completionWords: 16_384 }); // the model's most, ≈ 4.4 MB of events
    try {
      const { key, customerId } = await customerWithKey('5');
      const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'a long one' }], max_tokens: 16_384, stream: true });
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const r = httpRequest(`${proxyUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, resolve);
        r.on('error', reject);
        r.end(body);
      });
      response.pause(); // read nothing for now
      // The upstream has written the whole answer while the customer has read nothing (the
      // proxy pauses the upstream meanwhile: tests/unit/proxy/chat-relay.test.ts).
      await waitFor(() => [...upstream.generations.values()].some((g) => g.completionTokens === 16_384 && !g.cancelled), (done) => done, { what: 'the upstream to finish writing' });
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
      upstream.set({ completionWords: 8 });
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
