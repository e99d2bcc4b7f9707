import type { LookupFunction } from 'node:net';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../services/upstream/client.js';
import { UpstreamError, toUpstreamError } from '../../../services/upstream/errors.js';
import { startFakeUpstream, type FakeUpstream } from '../../fakes/upstream.js';
import { waitFor } from '../../helpers/wait.js';
import { closedPort, readAll } from './helpers.js';

let fake: FakeUpstream;
let client: UpstreamClient;
const signal = () => new AbortController().signal;

beforeEach(async () => {
  fake = await startFakeUpstream();
  client = new UpstreamClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, referer: 'https://shop.example', title: 'ArbDesk' });
});
afterEach(async () => {
  await client.destroy();
  await fake.stop();
});

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected a rejection');
}

describe('forwardChat', () => {
  it('sends the body byte for byte, with the upstream key and attribution headers', async () => {
    const body = '{ "model":"openai/gpt-4o-mini",  "messages":[{"role":"user","content":"héllo ✓ \\u00e9"}], "tools":[{"type":"function","function":{"name":"f","parameters":{}}}], "max_tokens": 3 }';
    const res = await client.forwardChat(Buffer.from(body), {
      stream: false,
      signal: signal(),
      extraHeaders: { 'X-Request-Id': 'req-1', Authorization: 'Bearer customer-key-must-not-pass' },
    });
    expect(res.statusCode).toBe(200);
    const json = JSON.parse(await readAll(res.body)) as { id: string; usage: { completion_tokens: number } };
    expect(json.id).toMatch(/^gen-\d+$/);
    expect(json.usage.completion_tokens).toBe(3);
    expect(fake.requests).toHaveLength(1);
    const seen = fake.requests[0]!;
    expect(seen.body).toBe(body);
    expect(seen.url).toBe('/api/v1/chat/completions');
    expect(seen.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['http-referer']).toBe('https://shop.example');
    expect(seen.headers['x-title']).toBe('ArbDesk');
    expect(seen.headers['x-request-id']).toBe('req-1');
  });

  it('streams SSE chunks through as they arrive, before the upstream has finished', async () => {
    fake.set({ chunkDelayMs: 30, completionWords: 50 });
    const res = await client.forwardChat(JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [], stream: true }), { stream: true, signal: signal() });
    expect(res.headers['content-type']).toBe('text/event-stream');
    const iterator = (res.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    let first = '';
    while (!first.includes('"content":"Hello "')) first += String((await iterator.next()).value);
    expect(fake.inFlight).toBe(1); // the upstream is still writing: nothing was buffered to the end
    res.body.destroy();
  });

  it('reuses keep-alive connections for sequential requests', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await client.forwardChat(JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [] }), { stream: false, signal: signal() });
      await readAll(res.body);
    }
    expect(fake.requests).toHaveLength(20);
    // undici may open a second socket while the first is being handed back to the pool; after
    // that every request reuses a warm connection.
    expect(fake.connections).toBeLessThanOrEqual(2);
  });

  it('returns upstream error statuses as they are, without retrying', async () => {
    const res500 = await client.forwardChat(JSON.stringify({ model: 'fake/error-500', messages: [] }), { stream: false, signal: signal() });
    expect(res500.statusCode).toBe(500);
    expect(res500.attempts).toBe(1);
    await readAll(res500.body);
    const res429 = await client.forwardChat(JSON.stringify({ model: 'fake/error-429', messages: [] }), { stream: false, signal: signal() });
    expect(res429.statusCode).toBe(429);
    expect(res429.headers['retry-after']).toBe('7');
    await readAll(res429.body);
    expect(fake.requests.map((r) => JSON.parse(r.body).model)).toEqual(['fake/error-500', 'fake/error-429']);
  });

  it('passes a 401 for a wrong upstream key through to the caller', async () => {
    const bad = new UpstreamClient({ baseUrl: fake.baseUrl, apiKey: 'sk-or-v1-wrong' });
    const res = await bad.forwardChat('{"model":"openai/gpt-4o-mini","messages":[]}', { stream: false, signal: signal() });
    expect(res.statusCode).toBe(401);
    await readAll(res.body);
    await bad.destroy();
  });

  it('retries a refused connection twice, then reports unreachable', async () => {
    const port = await closedPort();
    const refused = new UpstreamClient({ baseUrl: `http://127.0.0.1:${port}/api/v1`, apiKey: 'k', retryDelaysMs: [1, 1] });
    const error = await rejection(refused.forwardChat('{}', { stream: false, signal: signal() }));
    expect(error).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED', requestSent: false, attempts: 3 });
    expect(error.proxyStatus).toBe(502);
    await refused.destroy();
  });

  it('retries a DNS failure and succeeds on the next attempt, sending the request once', async () => {
    let lookups = 0;
    const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (lookups++ === 0) return callback(Object.assign(new Error('getaddrinfo ENOTFOUND upstream.test'), { code: 'ENOTFOUND' }));
      if (options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
      return callback(null, '127.0.0.1', 4);
    }) as unknown as LookupFunction;
    const dns = new UpstreamClient({ baseUrl: `http://upstream.test:${fake.port}/api/v1`, apiKey: fake.apiKey, lookup, retryDelaysMs: [1, 1] });
    const res = await dns.forwardChat('{"model":"openai/gpt-4o-mini","messages":[]}', { stream: false, signal: signal() });
    expect(res.statusCode).toBe(200);
    expect(res.attempts).toBe(2);
    await readAll(res.body);
    expect(fake.requests).toHaveLength(1);
    await dns.destroy();
  });

  describe('a connection that breaks after the request was written', () => {
    let server: Server;
    let received = 0;
    beforeEach(async () => {
      received = 0;
      server = createServer((socket) => {
        socket.once('data', () => {
          received++;
          socket.resetAndDestroy(); // the upstream got the request, then the connection broke
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('is not retried: the upstream may already bill it', async () => {
      const port = (server.address() as { port: number }).port;
      const broken = new UpstreamClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', retryDelaysMs: [1, 1] });
      const error = await rejection(broken.forwardChat('{"model":"m"}', { stream: false, signal: signal() }));
      expect(error).toMatchObject({ kind: 'unreachable', requestSent: true, attempts: 1 });
      expect(received).toBe(1);
      await broken.destroy();
    });
  });

  it('times out waiting for the response head of a hanging upstream (not retried)', async () => {
    const slow = new UpstreamClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, headersTimeoutMs: 150 });
    const error = await rejection(slow.forwardChat('{"model":"fake/hang","messages":[]}', { stream: false, signal: signal() }));
    expect(error).toMatchObject({ kind: 'timeout', code: 'UND_ERR_HEADERS_TIMEOUT', requestSent: true, attempts: 1 });
    expect(error.proxyStatus).toBe(504);
    expect(fake.requests).toHaveLength(1);
    await slow.destroy();
  });

  it('reports a body that goes silent mid-stream as a timeout', async () => {
    fake.set({ chunkDelayMs: 5_000, completionWords: 3 });
    const idle = new UpstreamClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, bodyTimeoutMs: 150 });
    const res = await idle.forwardChat('{"model":"openai/gpt-4o-mini","messages":[],"stream":true}', { stream: true, signal: signal() });
    const failure = await readAll(res.body).then(
      () => null,
      (error: unknown) => toUpstreamError(error, true),
    );
    expect(failure).toMatchObject({ kind: 'timeout', code: 'UND_ERR_BODY_TIMEOUT' });
    await idle.destroy();
  });

  it('aborting the signal aborts the upstream request mid-stream', async () => {
    fake.set({ chunkDelayMs: 20, completionWords: 200 });
    const controller = new AbortController();
    const res = await client.forwardChat('{"model":"openai/gpt-4o-mini","messages":[],"stream":true}', { stream: true, signal: controller.signal });
    const iterator = (res.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort(new Error('customer left'));
    await expect(iterator.next()).rejects.toThrow('customer left');
    const gen = await waitFor(() => [...fake.generations.values()][0], (g) => g !== undefined, { what: 'the upstream to notice the abort' });
    expect(gen!.cancelled).toBe(true);
    expect(gen!.completionTokens).toBeLessThan(200);
  });

  it('rejects with the signal reason when aborted before the response head', async () => {
    const controller = new AbortController();
    const pending = client.forwardChat('{"model":"fake/hang","messages":[]}', { stream: false, signal: controller.signal });
    await waitFor(() => fake.requests.length, (n) => n === 1, { what: 'the request to arrive' });
    controller.abort(new Error('gone'));
    await expect(pending).rejects.toThrow('gone');
  });
});

describe('toUpstreamError', () => {
  it('maps transport failures to the three kinds, with a safe message', () => {
    expect(toUpstreamError(Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), false)).toMatchObject({ kind: 'timeout', requestSent: false });
    expect(toUpstreamError(Object.assign(new Error('getaddrinfo EAI_AGAIN openrouter.ai'), { code: 'EAI_AGAIN' }), false)).toMatchObject({
      kind: 'unreachable',
      message: 'the upstream host name could not be resolved (DNS)',
    });
    const nested = new AggregateError([Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })], 'all failed');
    expect(toUpstreamError(nested, false)).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED' });
    const withSecret = toUpstreamError(new Error('boom Bearer sk-or-v1-secret'), true);
    expect(withSecret.message).not.toContain('sk-or-v1-secret');
    expect(withSecret.toOpenAIError()).toEqual({ error: { message: withSecret.message, type: 'api_error', param: null, code: 'upstream_unreachable' } });
  });
});
