/**
 * The upstream client: OpenRouter by default, any OpenAI-compatible base URL.
 *
 * One undici Pool per client for the base URL's origin, with keep-alive, so requests reuse warm
 * connections (a new TCP+TLS handshake per request would cost more than the proxy's whole
 * latency budget). Pool connections are unlimited by default: each streaming request holds a
 * connection for its whole life, and a cap would queue customers behind each other.
 *
 * Retries happen only where no charge can have happened (retrying-call.ts, errors.ts): a DNS
 * or connection failure before the request was started on a socket. Never after, never on an
 * HTTP status. GETs (models, credits, generation) cannot be billed, so they may also be retried
 * after a connection broke mid-way.
 */
import type { LookupFunction } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { Pool, type Dispatcher } from 'undici';
import type { Logger } from '../log/logger.js';
import { CreditStatus, creditStatusFrom } from './credits.js';
import type { ResponseHeaders } from './dispatch.js';
import { statusError, toUpstreamError, UpstreamError } from './errors.js';
import { readBody, toReadable, type RawResponse } from './readable-call.js';
import { RetryingCall, type RetryPolicy, type UpstreamCall, type UpstreamSink } from './retrying-call.js';
import { parseGeneration, type GenerationCost } from './generation.js';
import { parseModelsResponse, type ModelsResult } from './models.js';

export interface UpstreamClientOptions {
  /** e.g. https://openrouter.ai/api/v1 — paths such as /chat/completions are appended. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`. Empty sends no Authorization header. */
  apiKey: string;
  /** OpenRouter's optional app attribution: `HTTP-Referer` header (your site URL). */
  referer?: string;
  /** OpenRouter's optional app attribution: `X-Title` header (your app name). */
  title?: string;
  /** TCP+TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Wait for the response head of a chat request (slow models think first). Default 120 s. */
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks of a chat response. Default 120 s. */
  bodyTimeoutMs?: number;
  /** Head and idle timeout of the small JSON endpoints (models, credits, generation). Default 30 s. */
  jsonTimeoutMs?: number;
  /** Max sockets to the upstream; null = unlimited (default). */
  connections?: number | null;
  /** Idle keep-alive when the upstream sends no Keep-Alive hint. Default 10 s. */
  keepAliveTimeoutMs?: number;
  /** Delays before retry 1, 2, …: its length is the retry count. Default [25, 100] ms. */
  retryDelaysMs?: readonly number[];
  /** DNS resolver override (tests, custom resolvers). */
  lookup?: LookupFunction;
  logger?: Logger;
}

export interface RelayOptions {
  /** Whether the body asks for a stream (sets `accept: text/event-stream`). */
  stream: boolean;
  /** Added to the request; cannot override authorization, content-type or host. */
  extraHeaders?: Record<string, string>;
  /** Path under the base URL. Default `/chat/completions`. */
  path?: string;
}

export interface ForwardOptions extends RelayOptions {
  /** Abort = customer gone: the upstream request is aborted (and its socket closed). */
  signal: AbortSignal;
}

export type UpstreamResponse = RawResponse;

export interface JsonAnswer {
  statusCode: number;
  headers: ResponseHeaders;
  json: unknown;
}

export interface LookupGenerationOptions {
  signal?: AbortSignal;
  /** Give up after this long (the id may never appear). Default 30 s. */
  maxWaitMs?: number;
  /** First delay after a 404; doubles up to maxDelayMs. Default 500 ms. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

const MAX_JSON_BYTES = 64 * 1024 * 1024;
const PROTECTED_HEADERS = new Set(['authorization', 'content-type', 'content-length', 'host', 'connection', 'transfer-encoding']);

export class UpstreamClient {
  /** Base URL without credentials or trailing slash (safe to show). */
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly prefix: string;
  private readonly pool: Pool;
  private readonly baseHeaders: Record<string, string>;
  private readonly headersTimeout: number;
  private readonly bodyTimeout: number;
  private readonly jsonTimeout: number;
  private readonly log: Logger;
  /** Generation look-ups running now: what aborts each, and its end. */
  private readonly lookups = new Set<AbortController>();
  private readonly lookupsDone = new Set<Promise<unknown>>();
  /** Chat requests can be billed once sent: retried only before that. */
  private readonly chatRetries: RetryPolicy;
  /** GETs cannot be billed: also retried after a connection broke mid-way. */
  private readonly jsonRetries: RetryPolicy;

  constructor(options: UpstreamClientOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('upstream.baseUrl must be an http:// or https:// URL');
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.baseUrl = this.origin + this.prefix;
    this.headersTimeout = options.headersTimeoutMs ?? 120_000;
    this.bodyTimeout = options.bodyTimeoutMs ?? 120_000;
    this.jsonTimeout = options.jsonTimeoutMs ?? 30_000;
    this.log = options.logger ?? pino({ level: 'silent' });
    const delaysMs = options.retryDelaysMs ?? [25, 100];
    this.chatRetries = { delaysMs, canRetryAfterSend: false, log: this.log };
    this.jsonRetries = { delaysMs, canRetryAfterSend: true, log: this.log };
    this.baseHeaders = {};
    if (options.referer) this.baseHeaders['http-referer'] = options.referer;
    if (options.title) this.baseHeaders['x-title'] = options.title;
    if (options.apiKey) this.baseHeaders.authorization = `Bearer ${options.apiKey}`;
    this.pool = new Pool(this.origin, {
      connections: options.connections ?? null,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: this.headersTimeout,
      bodyTimeout: this.bodyTimeout,
      ...(options.lookup ? { connect: { lookup: options.lookup } } : {}),
    });
  }

  /**
   * POSTs the customer's body unchanged; the sink hears the answer as it arrives (any HTTP
   * status as is: the proxy relays 4xx and maps 5xx). Only transport failures reach
   * `sink.onError`: an UpstreamError before the head, undici's error after it, or the reason
   * given to `abort()`. This is the proxy's path: no stream object or promise per request.
   */
  relayChat(body: Buffer | string, options: RelayOptions, sink: UpstreamSink): UpstreamCall {
    const headers: Record<string, string> = {};
    if (options.extraHeaders) {
      for (const [name, value] of Object.entries(options.extraHeaders)) {
        if (!PROTECTED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
      }
    }
    Object.assign(headers, this.baseHeaders);
    headers['content-type'] = 'application/json';
    headers.accept = options.stream ? 'text/event-stream' : 'application/json';
    const request: Dispatcher.DispatchOptions = {
      method: 'POST',
      path: this.prefix + (options.path ?? '/chat/completions'),
      headers,
      body,
      headersTimeout: this.headersTimeout,
      bodyTimeout: this.bodyTimeout,
    };
    return new RetryingCall(this.pool, request, this.chatRetries, sink).start();
  }

  /**
   * relayChat as a promise of the response head, with the body as a stream to pipe. Only
   * transport failures reject, as UpstreamError — or with `signal.reason` when it aborted.
   */
  forwardChat(body: Buffer | string, options: ForwardOptions): Promise<UpstreamResponse> {
    return toReadable((sink) => this.relayChat(body, options, sink), options.signal);
  }

  /** GET a JSON endpoint under the base URL. Non-2xx throws UpstreamError unless listed in `allow`. */
  async getJson(path: string, what: string, options: { signal?: AbortSignal; allow?: readonly number[] } = {}): Promise<JsonAnswer> {
    const request: Dispatcher.DispatchOptions = {
      method: 'GET',
      path: this.prefix + path,
      headers: { ...this.baseHeaders, accept: 'application/json' },
      headersTimeout: this.jsonTimeout,
      bodyTimeout: this.jsonTimeout,
    };
    const response = await toReadable((sink) => new RetryingCall(this.pool, request, this.jsonRetries, sink).start(), options.signal);
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    if (!ok && !options.allow?.includes(response.statusCode)) {
      response.body.resume(); // drain so the socket goes back to the pool
      throw statusError(response.statusCode, what, response.headers['retry-after']);
    }
    let buffer: Buffer;
    try {
      buffer = await readBody(response.body, MAX_JSON_BYTES);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw toUpstreamError(error, true);
    }
    if (!ok) return { statusCode: response.statusCode, headers: response.headers, json: null };
    try {
      return { statusCode: response.statusCode, headers: response.headers, json: JSON.parse(buffer.toString('utf8')) };
    } catch {
      throw new UpstreamError({ kind: 'upstream_status', status: response.statusCode, message: `${what}: upstream answered with invalid JSON`, requestSent: true });
    }
  }

  /** GET /models → models with exact prices; skipped ones (variable or bad prices) are logged. */
  async fetchModels(options: { signal?: AbortSignal } = {}): Promise<ModelsResult> {
    const answer = await this.getJson('/models', 'listing models', options);
    let result: ModelsResult;
    try {
      result = parseModelsResponse(answer.json);
    } catch (error) {
      throw new UpstreamError({ kind: 'upstream_status', status: answer.statusCode, message: `listing models: ${(error as Error).message}`, requestSent: true });
    }
    if (result.skipped.length) {
      this.log.info(
        { event: 'upstream.models_skipped', count: result.skipped.length, skipped: result.skipped.slice(0, 50) },
        `${result.skipped.length} upstream model(s) not sellable (variable or unparsable price)`,
      );
    }
    return result;
  }

  /**
   * Remaining upstream credit from GET /credits and GET /key (OpenRouter). Endpoints the
   * upstream does not have (404, 403 …) count as unknown; an invalid key (401) or a transport
   * failure throws.
   */
  async fetchCredits(options: { signal?: AbortSignal } = {}): Promise<CreditStatus> {
    const optional = [400, 403, 404, 405, 501];
    const [credits, key] = await Promise.all([
      this.getJson('/credits', 'reading upstream credits', { ...options, allow: optional }),
      this.getJson('/key', 'reading upstream key', { ...options, allow: optional }),
    ]);
    return creditStatusFrom(credits.json ?? undefined, key.json ?? undefined);
  }

  /**
   * GET /generation?id= until the generation is known (OpenRouter needs a few seconds after a
   * request ends), with doubling delays, for at most `maxWaitMs`. Resolves null if it never
   * appeared; throws for an invalid key or other non-404 statuses.
   */
  lookupGeneration(id: string, options: LookupGenerationOptions = {}): Promise<GenerationCost | null> {
    // Each look-up can be cut short by destroy(); close() waits for them (see there).
    const own = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, own.signal]) : own.signal;
    this.lookups.add(own);
    const running = this.lookUp(id, { ...options, signal });
    const done: Promise<unknown> = running
      .finally(() => {
        this.lookups.delete(own);
        this.lookupsDone.delete(done);
      })
      .catch(() => undefined); // the caller handles the failure; this copy only marks the end
    this.lookupsDone.add(done);
    return running;
  }

  private async lookUp(id: string, options: LookupGenerationOptions): Promise<GenerationCost | null> {
    const deadline = Date.now() + (options.maxWaitMs ?? 30_000);
    let delay = options.initialDelayMs ?? 500;
    const maxDelay = options.maxDelayMs ?? 4_000;
    for (;;) {
      try {
        const answer = await this.getJson(`/generation?id=${encodeURIComponent(id)}`, 'looking up a generation', { ...(options.signal ? { signal: options.signal } : {}), allow: [404] });
        if (answer.statusCode !== 404) {
          const found = parseGeneration(answer.json, id);
          if (found) return found;
        }
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        // Transport trouble is worth waiting out; a status (401, 500 …) is an answer.
        if (!(error instanceof UpstreamError) || error.kind === 'upstream_status') throw error;
        this.log.debug({ event: 'upstream.generation_retry', code: error.code }, 'generation lookup failed; retrying');
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.log.warn({ event: 'upstream.generation_not_found', generationId: id }, 'generation cost not available in time');
        return null;
      }
      await pause(Math.min(delay, left), options.signal);
      delay = Math.min(delay * 2, maxDelay);
    }
  }

  /**
   * Closes pooled connections once running requests and generation look-ups have ended: a
   * look-up settles a request the customer already has, so a restart must not cut it short.
   */
  async close(): Promise<void> {
    // Also those started meanwhile (a request cut off by the restart asks for its cost).
    while (this.lookupsDone.size > 0) await Promise.allSettled([...this.lookupsDone]);
    await this.pool.close();
  }

  /** Closes at once, aborting running requests and look-ups (their requests settle from an estimate). */
  async destroy(): Promise<void> {
    for (const lookup of this.lookups) lookup.abort(new Error('the upstream client was closed'));
    await Promise.allSettled([...this.lookupsDone]);
    await this.pool.destroy();
  }
}

/** Waits, or rejects with the signal's own reason when it aborts meanwhile. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
