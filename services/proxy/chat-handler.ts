/**
 * POST /v1/chat/completions — the metered path every paid request takes:
 *
 *   read + check body → model allowed and priced → per-key limits → reserve the most it can
 *   cost → forward (streamed chunks pass straight through) → settle to the actual cost and
 *   release the rest, on every exit path (success, upstream error, timeout, client abort).
 *
 * Nothing on this path waits for work that can wait: the usage record is written in the
 * settle transaction, events are batched by the host, and logs are debug-level.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished, type Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { ProxyRequestEvent } from '../contract.js';
import type { KeyRecord } from '../keys/key-store.js';
import type { Logger } from '../log/logger.js';
import type { Meter, Settlement } from '../metering/meter.js';
import { formatUsd } from '../money/units.js';
import { BodyError, parseChatBody, readBody, type ChatRequest } from './body.js';
import { maxChargeMicro, settleChargeMicro, upstreamCostMicro } from '../pricing/customer-price.js';
import { sendOpenAIError } from './openai-error.js';
import type { OfferedModel, PriceBook, StreamSniffer, UpstreamPort, UpstreamResponse, UpstreamUsage, UsageParsing } from './ports.js';
import type { RateLimiter } from './rate-limits.js';
import { meteredResponses } from './stats.js';
import { sendUpstreamFailure, upstreamStatusToClient } from './upstream-errors.js';

export interface ChatDeps {
  meter: Meter;
  limiter: RateLimiter;
  prices: PriceBook;
  upstream: UpstreamPort;
  usage: UsageParsing;
  logger: Logger;
  policy: () => { maxBodyBytes: number; defaultMaxTokens: number; upstreamConfigured: boolean };
  onRequest: (event: ProxyRequestEvent) => void;
}

/** Unique across restarts (random prefix per process) without a random-bytes call per request. */
const REQUEST_ID_PREFIX = `req_${randomBytes(6).toString('base64url')}`;
let requestCounter = 0;
function nextRequestId(): string {
  requestCounter += 1;
  return `${REQUEST_ID_PREFIX}${requestCounter.toString(36)}`;
}

export async function handleChat(req: IncomingMessage, res: ServerResponse, key: KeyRecord, deps: ChatDeps): Promise<void> {
  const started = performance.now();
  const policy = deps.policy();
  if (!policy.upstreamConfigured) {
    req.resume();
    return sendOpenAIError(res, 503, 'api_error', 'upstream_not_configured', 'this shop has not connected its model provider yet; try again later');
  }
  let chat: ChatRequest;
  try {
    chat = parseChatBody(await readBody(req, policy.maxBodyBytes));
  } catch (error) {
    if (error instanceof BodyError) return sendOpenAIError(res, error.status, 'invalid_request_error', error.code, error.message);
    throw error;
  }
  if (key.allowedModels && !key.allowedModels.includes(chat.model)) {
    return sendOpenAIError(res, 403, 'permission_error', 'model_not_allowed', `this key may not use "${chat.model}"; allowed: ${key.allowedModels.join(', ')}`);
  }
  const offered = deps.prices.get(chat.model);
  if (!offered) return sendOpenAIError(res, 404, 'invalid_request_error', 'model_not_found', `model "${chat.model}" is not offered; GET /v1/models lists the models you can use`);

  const maxTokens = Math.min(chat.maxTokens ?? policy.defaultMaxTokens, offered.maxCompletionTokens ?? Number.MAX_SAFE_INTEGER);
  const promptEstimate = deps.usage.estimatePromptTokens(chat.body);
  const admission = deps.limiter.admit(key.id, key, promptEstimate + maxTokens);
  if (!admission.ok) {
    return sendOpenAIError(res, 429, 'rate_limit_error', 'rate_limited', `${admission.reason}; retry in ${admission.retryAfterSeconds} s`, {
      'retry-after': String(admission.retryAfterSeconds),
    });
  }
  const requestId = nextRequestId();
  try {
    const hold = maxChargeMicro(offered.price, promptEstimate, maxTokens);
    const tokens = promptEstimate + maxTokens;
    const reserved = deps.meter.reserve({ requestId, customerId: key.customerId, keyId: key.id, model: chat.model, amountMicro: hold, tokens });
    if (!reserved.ok) {
      const allowance = reserved.allowanceTokens > 0 ? ` Your ${chat.model} allowance has ${reserved.allowanceTokens} tokens left; this request may use up to ${tokens}.` : '';
      return sendOpenAIError(
        res,
        402,
        'insufficient_quota',
        'insufficient_balance',
        `insufficient balance: ${formatUsd(reserved.availableMicro)} available, this request may cost up to ${formatUsd(hold)} (${maxTokens} max tokens).${allowance} Top up, or lower max_tokens.`,
      );
    }
    meteredResponses.add(res);
    const ctx: RequestCtx = { deps, key, chat, offered, requestId, started, promptEstimate };
    await forward(req, res, ctx, bodyToForward(chat, maxTokens));
  } finally {
    admission.release();
  }
}

interface RequestCtx {
  deps: ChatDeps;
  key: KeyRecord;
  chat: ChatRequest;
  offered: OfferedModel;
  requestId: string;
  started: number;
  promptEstimate: number;
}

/**
 * The customer's body goes upstream as sent, except what the owner's policy overrides: the
 * completion budget is clamped to what was reserved, and streamed requests ask for the final
 * usage chunk (OpenAI-compatible upstreams send it only when asked; OpenRouter always does).
 */
function bodyToForward(chat: ChatRequest, maxTokens: number): Buffer | string {
  const b = { ...chat.body };
  const field = b.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  b[field] = maxTokens;
  if (chat.stream) {
    const options = (b.stream_options && typeof b.stream_options === 'object' ? b.stream_options : {}) as Record<string, unknown>;
    b.stream_options = { ...options, include_usage: true };
  }
  return JSON.stringify(b);
}

async function forward(req: IncomingMessage, res: ServerResponse, ctx: RequestCtx, body: Buffer | string): Promise<void> {
  const abort = new AbortController();
  let clientGone = false;
  const onClose = () => {
    if (!res.writableFinished) {
      clientGone = true;
      abort.abort();
    }
  };
  res.on('close', onClose);
  let upstream: UpstreamResponse;
  try {
    upstream = await ctx.deps.upstream.forwardChat(body, { stream: ctx.chat.stream, signal: abort.signal });
  } catch (error) {
    settle(ctx, clientGone ? 'client_aborted' : 'upstream_error', clientGone ? 499 : 502, null, null);
    if (!clientGone) sendUpstreamFailure(res, error);
    return;
  }
  try {
    if (upstream.statusCode !== 200) return await relayUpstreamError(res, ctx, upstream);
    if (ctx.chat.stream) await relayStream(res, ctx, upstream, () => clientGone);
    else await relayCompletion(res, ctx, upstream);
  } catch (error) {
    // The upstream dropped mid-response or the client left: release the hold (settle is a
    // no-op when the relay already settled). A dropped stream ends the customer's response.
    upstream.body.destroy();
    settle(ctx, clientGone ? 'client_aborted' : 'upstream_error', clientGone ? 499 : 502, null, null);
    if (clientGone) return;
    if (!res.headersSent) sendUpstreamFailure(res, error);
    else res.destroy();
  } finally {
    res.off('close', onClose);
  }
}

async function relayUpstreamError(res: ServerResponse, ctx: RequestCtx, upstream: UpstreamResponse): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  await eachChunk(upstream.body, (chunk) => {
    if (size < 64 * 1024) chunks.push(chunk);
    size += chunk.length;
  });
  settle(ctx, 'upstream_error', upstream.statusCode, null, null);
  upstreamStatusToClient(res, upstream.statusCode, Buffer.concat(chunks), upstream.headers);
}

async function relayCompletion(res: ServerResponse, ctx: RequestCtx, upstream: UpstreamResponse): Promise<void> {
  const chunks: Buffer[] = [];
  await eachChunk(upstream.body, (chunk) => chunks.push(chunk));
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    // forwarded as is; usage then comes from the generation look-up below
  }
  const found = ctx.deps.usage.fromCompletion(parsed);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': raw.length, 'x-arbdesk-request-id': ctx.requestId });
  res.end(raw);
  // The customer has the answer; only an upstream that omitted usage makes us ask for it.
  let usage = found.usage;
  if (!usage && found.generationId) usage = await ctx.deps.upstream.lookupGeneration(found.generationId).catch(() => null);
  settle(ctx, 'ok', 200, usage ?? estimateUsage(ctx, 0), found.generationId);
}

async function relayStream(res: ServerResponse, ctx: RequestCtx, upstream: UpstreamResponse, clientGone: () => boolean): Promise<void> {
  const sniffer = ctx.deps.usage.createSniffer();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-arbdesk-request-id': ctx.requestId,
  });
  // `data: [DONE]` is the last event of an OpenAI-compatible stream: the customer's response
  // ends in the same tick as the write that carried it, so the chunked terminator leaves in
  // the same system call instead of one of its own. Anything after [DONE] is not forwarded,
  // and an upstream that breaks off after it has delivered the whole answer.
  let complete = false;
  try {
    await eachChunk(upstream.body, (chunk) => {
      if (complete) return true;
      sniffer.push(chunk);
      const flowing = res.write(chunk);
      if (sniffer.done) {
        complete = true;
        res.end();
      }
      return flowing;
    }, res);
  } catch (error) {
    if (!clientGone() && !complete) {
      // The upstream broke off mid-stream: bill what it generated (as for an abort), then let
      // forward() end the customer's response.
      sniffer.end();
      await settleFromGeneration(ctx, sniffer, 'upstream_error', 502);
      throw error;
    }
  } finally {
    sniffer.end();
  }
  if (clientGone()) {
    // The customer pays what the upstream charged for the part it generated: ask it by id.
    upstream.body.destroy();
    await settleFromGeneration(ctx, sniffer, 'client_aborted', 499);
    return;
  }
  if (!res.writableEnded) res.end();
  let usage: UpstreamUsage | null = sniffer.usage;
  if (!usage && sniffer.generationId) usage = await ctx.deps.upstream.lookupGeneration(sniffer.generationId).catch(() => null);
  settle(ctx, 'ok', 200, usage ?? estimateUsage(ctx, sniffer.events), sniffer.generationId);
}

/**
 * Calls `onChunk` for every chunk of the upstream body; resolves at its end, rejects when it
 * breaks off. Event-driven rather than `for await`, which costs a few promises per chunk — a
 * streamed answer is dozens of chunks. When `onChunk` returns false (the customer's socket is
 * full), the body pauses until `res` drains.
 */
function eachChunk(body: Readable, onChunk: (chunk: Buffer) => boolean | number | void, res?: ServerResponse): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const resume = () => body.resume();
    body.on('data', (chunk: Buffer) => {
      if (onChunk(chunk) === false && res) {
        body.pause();
        res.once('drain', resume);
      }
    });
    finished(body, (error) => {
      res?.off('drain', resume);
      if (error) reject(error);
      else resolve();
    });
  });
}

async function settleFromGeneration(ctx: RequestCtx, sniffer: StreamSniffer, outcome: 'client_aborted' | 'upstream_error', status: number): Promise<void> {
  const looked = sniffer.usage ?? (sniffer.generationId ? await ctx.deps.upstream.lookupGeneration(sniffer.generationId).catch(() => null) : null);
  settle(ctx, outcome, status, looked ?? estimateUsage(ctx, sniffer.events), sniffer.generationId);
}

/** When the upstream never says: the prompt estimate plus one token per streamed event. */
function estimateUsage(ctx: RequestCtx, completionTokens: number): UpstreamUsage {
  return { promptTokens: ctx.promptEstimate, completionTokens, costMicro: null };
}

function settle(
  ctx: RequestCtx,
  outcome: Settlement['record']['outcome'],
  status: number,
  usage: UpstreamUsage | null,
  generationId: string | null,
): void {
  const latencyMs = Math.round(performance.now() - ctx.started);
  const u = usage ?? { promptTokens: 0, completionTokens: 0, costMicro: null };
  const settled = ctx.deps.meter.settle({
    requestId: ctx.requestId,
    chargeMicro: usage ? settleChargeMicro(ctx.offered.price, u) : 0,
    upstreamCostMicro: usage ? (u.costMicro ?? upstreamCostMicro(ctx.offered.price, u.promptTokens, u.completionTokens) ?? 0) : 0,
    record: { stream: ctx.chat.stream, status, outcome, promptTokens: u.promptTokens, completionTokens: u.completionTokens, latencyMs, generationId },
  });
  if (!settled) return;
  ctx.deps.onRequest({
    requestId: ctx.requestId,
    at: new Date().toISOString(),
    keyId: ctx.key.id,
    customerId: ctx.key.customerId,
    model: ctx.chat.model,
    stream: ctx.chat.stream,
    status,
    outcome,
    latencyMs,
    promptTokens: u.promptTokens,
    completionTokens: u.completionTokens,
    chargedMicro: settled.chargedMicro,
    upstreamCostMicro: settled.upstreamCostMicro,
    profitMicro: settled.profitMicro,
    allowanceTokens: settled.allowanceTokens,
  });
}
