/**
 * An OpenRouter / OpenAI-compatible upstream stand-in: a real HTTP server on 127.0.0.1 speaking
 * the real wire format, so the upstream client and the proxy are tested over real sockets.
 *
 *   GET  {prefix}/models               OpenRouter shape with pricing strings (or plain OpenAI shape)
 *   GET  {prefix}/credits              { data: { total_credits, total_usage } } — usage grows with traffic
 *   GET  {prefix}/key                  { data: { label, usage, limit, limit_remaining, is_free_tier, rate_limit } }
 *   GET  {prefix}/generation?id=gen-N  404 for the first `generationReadyAfterLookups` lookups, then the cost
 *   POST {prefix}/chat/completions     chat.completion, or SSE chat.completion.chunk events with a final
 *                                      usage event (with exact `cost`) and `data: [DONE]`
 *
 * One token per word: prompt tokens = words of the messages' text + 2 per message; the completion
 * is min(max_tokens, completionWords) words. Cost = tokens × the model's prices, in integer pUSD,
 * printed as an exact decimal JSON number.
 *
 * Test behaviours, by model id `fake/<name>` or header `x-fake-behavior: <name>`:
 *   error-500, error-429 (Retry-After: 7), error-400, slow-first-byte (`slowFirstByteMs`),
 *   drop-mid-stream (socket destroyed after `dropAfterChunks` content chunks), no-usage (no usage
 *   in the response; the generation lookup still knows the cost), hang (never answers).
 * Any request whose Authorization is not `Bearer <apiKey>` gets 401 (except GET /models, which is
 * public on OpenRouter too).
 *
 * Every request is recorded in `requests` (method, path, headers, raw body) so tests can check
 * what arrived. Run it alone:  npx tsx tests/fakes/upstream.ts [port]
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_FAKE_MODELS,
  FAKE_BEHAVIORS,
  completionWords,
  picoToUsdLiteral,
  priceToPico,
  promptTokensOf,
  type FakeBehavior,
  type FakeModel,
} from './upstream-models.js';

export { DEFAULT_FAKE_MODELS, FAKE_BEHAVIORS, type FakeBehavior, type FakeModel } from './upstream-models.js';

export const FAKE_UPSTREAM_KEY = 'sk-or-v1-fake-upstream-key-0123456789abcdef';

export interface FakeUpstreamOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Path prefix, like OpenRouter's `/api/v1`. */
  prefix?: string;
  apiKey?: string;
  models?: readonly FakeModel[];
  /** 'openai': /models without pricing, no /credits, /key, /generation, usage without cost and
   *  in streams only when stream_options.include_usage is set; ids `chatcmpl-N`. */
  flavor?: 'openrouter' | 'openai';
  /** Delay before every chat response head. */
  latencyMs?: number;
  /** Delay of `slow-first-byte`. Default 2000. */
  slowFirstByteMs?: number;
  /** Delay between stream chunks. Default 0 (all at once). */
  chunkDelayMs?: number;
  /** Delay between the usage chunk and `data: [DONE]`, so they reach the proxy in separate reads. Default 0. */
  doneDelayMs?: number;
  /** Completion length when max_tokens does not cut it shorter. Default 12. */
  completionWords?: number;
  /** `drop-mid-stream` destroys the socket after this many content chunks. Default 3. */
  dropAfterChunks?: number;
  /** Each generation answers 404 to this many lookups before it is "ready". Default 1. */
  generationReadyAfterLookups?: number;
  /** Account credit for /credits, USD decimal; null → /credits answers 404. Default "100". */
  creditsUsd?: string | null;
  /** The key's spend limit for /key, USD decimal; null = unlimited. */
  keyLimitUsd?: string | null;
  /** Usage already spent before the first request, USD decimal. Default "0". */
  initialUsageUsd?: string;
  /** Status /models answers with (to test refresh failures). Default 200. */
  modelsStatus?: number;
  /** Keep at most this many recorded requests (oldest dropped). Default 10 000; 0 = none. */
  maxRecorded?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as received (including the prefix). */
  url: string;
  headers: IncomingHttpHeaders;
  /** Raw body bytes as UTF-8 text. */
  body: string;
}

export interface FakeGeneration {
  id: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costPico: bigint;
  streamed: boolean;
  /** The client went away (or the stream was dropped) before the end. */
  cancelled: boolean;
  lookups: number;
}

export interface FakeUpstream {
  /** e.g. http://127.0.0.1:PORT/api/v1 */
  baseUrl: string;
  origin: string;
  port: number;
  apiKey: string;
  requests: RecordedRequest[];
  generations: Map<string, FakeGeneration>;
  /** Chat requests whose response is still being written. */
  readonly inFlight: number;
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  readonly connections: number;
  setModels(models: readonly FakeModel[]): void;
  /** Changes options while running (latencyMs, modelsStatus, creditsUsd, …). */
  set(options: Partial<Omit<FakeUpstreamOptions, 'port' | 'prefix'>>): void;
  stop(): Promise<void>;
}

type Settings = Required<Omit<FakeUpstreamOptions, 'port' | 'models' | 'keyLimitUsd' | 'creditsUsd'>> & {
  keyLimitUsd: string | null;
  creditsUsd: string | null;
};

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const settings: Settings = {
    prefix: (options.prefix ?? '/api/v1').replace(/\/+$/, ''),
    apiKey: options.apiKey ?? FAKE_UPSTREAM_KEY,
    flavor: options.flavor ?? 'openrouter',
    latencyMs: options.latencyMs ?? 0,
    slowFirstByteMs: options.slowFirstByteMs ?? 2000,
    chunkDelayMs: options.chunkDelayMs ?? 0,
    doneDelayMs: options.doneDelayMs ?? 0,
    completionWords: options.completionWords ?? 12,
    dropAfterChunks: options.dropAfterChunks ?? 3,
    generationReadyAfterLookups: options.generationReadyAfterLookups ?? 1,
    creditsUsd: options.creditsUsd === undefined ? '100' : options.creditsUsd,
    keyLimitUsd: options.keyLimitUsd ?? null,
    initialUsageUsd: options.initialUsageUsd ?? '0',
    modelsStatus: options.modelsStatus ?? 200,
    maxRecorded: options.maxRecorded ?? 10_000,
  };
  let models = new Map((options.models ?? DEFAULT_FAKE_MODELS).map((m) => [m.id, m]));
  const requests: RecordedRequest[] = [];
  const generations = new Map<string, FakeGeneration>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let usagePico = priceToPico(settings.initialUsageUsd);
  let seq = 0;
  let inFlight = 0;

  const later = (ms: number, fn: () => void) => {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (settings.maxRecorded > 0) {
        requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
        if (requests.length > settings.maxRecorded) requests.splice(0, requests.length - settings.maxRecorded);
      }
      try {
        route(req, res, body);
      } catch (error) {
        sendError(res, 500, `fake upstream crashed: ${(error as Error).message}`);
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  let connections = 0;
  server.on('connection', () => connections++);

  function route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!url.pathname.startsWith(settings.prefix + '/')) return sendError(res, 404, `no route ${url.pathname}`);
    const path = url.pathname.slice(settings.prefix.length);
    if (req.method === 'GET' && path === '/models') return listModels(res);
    if (req.headers.authorization !== `Bearer ${settings.apiKey}`) return sendError(res, 401, 'No auth credentials found');
    if (req.method === 'POST' && path === '/chat/completions') return chat(req, res, body);
    if (settings.flavor === 'openrouter') {
      if (req.method === 'GET' && path === '/credits') return credits(res);
      if (req.method === 'GET' && (path === '/key' || path === '/auth/key')) return keyInfo(res);
      if (req.method === 'GET' && path === '/generation') return generation(res, url.searchParams.get('id') ?? '');
    }
    sendError(res, 404, `no route ${req.method} ${url.pathname}`);
  }

  function listModels(res: ServerResponse): void {
    if (settings.modelsStatus !== 200) return sendError(res, settings.modelsStatus, 'models unavailable');
    const data = [...models.values()].map((m) =>
      settings.flavor === 'openai'
        ? { id: m.id, object: 'model', created: 1_700_000_000, owned_by: m.id.split('/')[0] ?? 'fake' }
        : {
            id: m.id,
            canonical_slug: m.id,
            name: m.name ?? m.id,
            created: 1_700_000_000,
            description: `${m.name ?? m.id} (fake upstream)`,
            context_length: m.context_length ?? 32_000,
            architecture: { modality: 'text->text', input_modalities: ['text'], output_modalities: ['text'], tokenizer: 'Other', instruct_type: null },
            pricing: m.pricing ?? undefined,
            top_provider: m.top_provider ?? { context_length: m.context_length ?? 32_000, max_completion_tokens: null, is_moderated: false },
            per_request_limits: null,
            supported_parameters: ['max_tokens', 'temperature', 'stream', 'tools', 'response_format'],
          },
    );
    sendJson(res, 200, settings.flavor === 'openai' ? { object: 'list', data } : { data });
  }

  function credits(res: ServerResponse): void {
    if (settings.creditsUsd === null) return sendError(res, 404, 'Not Found');
    sendRaw(res, 200, `{"data":{"total_credits":${picoToUsdLiteral(priceToPico(settings.creditsUsd))},"total_usage":${picoToUsdLiteral(usagePico)}}}`);
  }

  function keyInfo(res: ServerResponse): void {
    const usage = picoToUsdLiteral(usagePico);
    let limit = 'null';
    let remaining = 'null';
    if (settings.keyLimitUsd !== null) {
      const limitPico = priceToPico(settings.keyLimitUsd);
      limit = picoToUsdLiteral(limitPico);
      remaining = limitPico >= usagePico ? picoToUsdLiteral(limitPico - usagePico) : `-${picoToUsdLiteral(usagePico - limitPico)}`;
    }
    const label = `${settings.apiKey.slice(0, 11)}...${settings.apiKey.slice(-3)}`;
    sendRaw(
      res,
      200,
      `{"data":{"label":${JSON.stringify(label)},"usage":${usage},"limit":${limit},"limit_remaining":${remaining},"is_free_tier":false,"is_provisioning_key":false,"rate_limit":{"requests":-1,"interval":"10s"}}}`,
    );
  }

  function generation(res: ServerResponse, id: string): void {
    const g = generations.get(id);
    if (!g || g.lookups++ < settings.generationReadyAfterLookups) return sendError(res, 404, `Generation ${id} not found`);
    const cost = picoToUsdLiteral(g.costPico);
    const data = {
      id: g.id,
      upstream_id: `chatcmpl-${g.id}`,
      total_cost: '__COST__',
      cache_discount: null,
      created_at: new Date().toISOString(),
      model: g.model,
      streamed: g.streamed,
      cancelled: g.cancelled,
      provider_name: 'Fake',
      latency: 10,
      generation_time: 10,
      finish_reason: g.cancelled ? null : 'stop',
      tokens_prompt: g.promptTokens,
      tokens_completion: g.completionTokens,
      native_tokens_prompt: g.promptTokens,
      native_tokens_completion: g.completionTokens,
      native_tokens_reasoning: 0,
      num_media_prompt: null,
      num_search_results: null,
      origin: '',
      usage: '__COST__',
      is_byok: false,
    };
    sendRaw(res, 200, JSON.stringify({ data }).replaceAll('"__COST__"', cost));
  }

  function chat(req: IncomingMessage, res: ServerResponse, raw: string): void {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return sendError(res, 400, 'Invalid JSON body');
    }
    const modelId = typeof body.model === 'string' ? body.model : '';
    const model = models.get(modelId);
    if (!model) return sendError(res, 400, `${modelId || '(none)'} is not a valid model ID`);
    const header = req.headers['x-fake-behavior'];
    const behavior = (FAKE_BEHAVIORS as readonly string[]).find((b) => b === header || modelId === `fake/${b}`) as FakeBehavior | undefined;
    if (behavior === 'hang') return; // never answers; stop() closes the socket
    const stream = body.stream === true;
    const maxTokens = numberOr(body.max_completion_tokens, numberOr(body.max_tokens, Infinity));
    const words = completionWords(Math.max(0, Math.min(settings.completionWords, maxTokens)));
    const finishReason = maxTokens < settings.completionWords ? 'length' : 'stop';
    const promptTokens = promptTokensOf(body);
    const id = settings.flavor === 'openai' ? `chatcmpl-${++seq}` : `gen-${++seq}`;
    const prompt = priceToPico(model.pricing?.prompt.startsWith('-') ? '0.000001' : model.pricing?.prompt);
    const completion = priceToPico(model.pricing?.completion.startsWith('-') ? '0.000002' : model.pricing?.completion);
    const request = priceToPico(model.pricing?.request);
    const gen: FakeGeneration = { id, model: modelId, promptTokens, completionTokens: 0, costPico: 0n, streamed: stream, cancelled: false, lookups: 0 };
    const bill = (completionTokens: number) => {
      gen.completionTokens = completionTokens;
      gen.costPico = BigInt(promptTokens) * prompt + BigInt(completionTokens) * completion + request;
    };
    // OpenRouter always reports usage; OpenAI only in non-streaming answers or when asked.
    const wantsUsage =
      behavior !== 'no-usage' &&
      (settings.flavor === 'openrouter' || !stream || (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true);
    const usageJson = () => {
      const cost = settings.flavor === 'openrouter' ? `"cost":${picoToUsdLiteral(gen.costPico)},"is_byok":false,` : '';
      return `{"prompt_tokens":${promptTokens},"completion_tokens":${gen.completionTokens},"total_tokens":${promptTokens + gen.completionTokens},${cost}"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}`;
    };
    const finish = () => {
      generations.set(id, gen);
      usagePico += gen.costPico;
    };

    inFlight++;
    let done = false;
    res.on('close', () => {
      if (!done) {
        // The client went away mid-response: the upstream still bills what it produced.
        gen.cancelled = true;
        done = true;
        finish();
      }
      inFlight--;
    });

    const delay = settings.latencyMs + (behavior === 'slow-first-byte' ? settings.slowFirstByteMs : 0);
    later(delay, () => {
      if (res.destroyed) return;
      if (behavior === 'error-500') return endWith(() => sendError(res, 500, 'Internal Server Error'));
      if (behavior === 'error-400') return endWith(() => sendError(res, 400, 'Provider returned error: invalid request'));
      if (behavior === 'error-429') return endWith(() => sendError(res, 429, 'Rate limit exceeded', { 'retry-after': '7' }));
      const created = Math.floor(Date.now() / 1000);
      if (!stream) {
        bill(words.length);
        const message = {
          id,
          provider: 'Fake',
          model: modelId,
          object: 'chat.completion',
          created,
          choices: [{ logprobs: null, finish_reason: finishReason, native_finish_reason: finishReason, index: 0, message: { role: 'assistant', content: words.join(''), refusal: null } }],
          ...(wantsUsage ? { usage: '__USAGE__' } : {}),
        };
        return endWith(() => sendRaw(res, 200, JSON.stringify(message).replace('"__USAGE__"', usageJson())));
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (settings.flavor === 'openrouter') res.write(': OPENROUTER PROCESSING\n\n');
      const nullUsage = settings.flavor === 'openai' && wantsUsage ? ',"usage":null' : '';
      const chunk = (choices: string, extra = nullUsage) =>
        `data: {"id":"${id}","provider":"Fake","model":${JSON.stringify(modelId)},"object":"chat.completion.chunk","created":${created},"choices":${choices}${extra}}\n\n`;
      let i = 0;
      // A dropped stream: the connection dies right after the last chunk reached the socket
      // (destroying before the flush would lose the chunks already "sent").
      const drop = () => {
        bill(i);
        done = true;
        gen.cancelled = true;
        finish();
        res.write(': \n', () => res.socket?.destroy());
      };
      const step = (): void => {
        while (!res.destroyed && i < words.length) {
          if (behavior === 'drop-mid-stream' && i >= settings.dropAfterChunks) return drop();
          res.write(chunk(`[{"index":0,"delta":{"role":"assistant","content":${JSON.stringify(words[i])}},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]`));
          i++;
          bill(i);
          if (settings.chunkDelayMs > 0) return later(settings.chunkDelayMs, step);
        }
        if (res.destroyed) return;
        res.write(chunk(`[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"${finishReason}","native_finish_reason":"${finishReason}","logprobs":null}]`));
        if (wantsUsage) res.write(chunk('[]', `,"usage":${usageJson()}`));
        const last = () => {
          if (res.destroyed) return;
          res.write('data: [DONE]\n\n');
          endWith(() => res.end());
        };
        if (settings.doneDelayMs > 0) return later(settings.doneDelayMs, last);
        last();
      };
      step();
    });

    function endWith(send: () => void): void {
      done = true;
      if (!behavior?.startsWith('error')) finish();
      send();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    baseUrl: origin + settings.prefix,
    origin,
    port,
    apiKey: settings.apiKey,
    requests,
    generations,
    get inFlight() {
      return inFlight;
    },
    get connections() {
      return connections;
    },
    setModels(next) {
      models = new Map(next.map((m) => [m.id, m]));
    },
    set(partial) {
      Object.assign(settings, partial);
      if (partial.initialUsageUsd !== undefined) usagePico = priceToPico(partial.initialUsageUsd);
    },
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(res, status, JSON.stringify(body), headers);
}

function sendRaw(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** OpenRouter's error shape: { error: { code, message } }. */
function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code: status, message } }, headers);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const port = Number(process.argv[2] ?? 8799);
  startFakeUpstream({ port }).then((f) => {
    console.log(`Upstream stand-in on ${f.baseUrl}  (key: ${f.apiKey})`);
    console.log(`  try: curl -s ${f.baseUrl}/models | head -c 400`);
  });
}
