/**
 * The proxy's refusals as a customer's program meets them: errors in OpenAI's shape with the
 * right status, each refused chat request leaving its record, and clients that misbehave
 * (malformed HTTP, bad headers, slow or vanishing senders) while the proxy keeps serving.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useProxyHost } from './proxy-harness.js';

const h = useProxyHost();
const { call, customerWithKey, client, usageOf, balance } = h;

describe('errors in OpenAI shape, with the right status', () => {
  it('401 for a missing, wrong or revoked key; 403 for a model the key may not use or an expired key', async () => {
    const { key, keyId, customerId } = await customerWithKey('1', { models: ['openai/gpt-4o-mini'] });
    await expect(client('sk-arb-' + 'x'.repeat(43)).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 401 });
    const noKey = await fetch(`${h.proxyUrl}/v1/models`);
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
      fetch(`${h.proxyUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, body });
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
    const limited = await fetch(`${h.proxyUrl}/v1/chat/completions`, {
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

describe('misbehaving clients', () => {
  const raw = (text: string) =>
    new Promise<string>((resolve) => {
      const url = new URL(h.proxyUrl);
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
    const badAuth = await fetch(`${h.proxyUrl}/v1/models`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(badAuth.status).toBe(401);

    // A client that sends its body a byte at a time holds only its own request.
    const url = new URL(h.proxyUrl);
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
