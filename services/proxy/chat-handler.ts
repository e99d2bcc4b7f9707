/**
 * POST /v1/chat/completions — the metered path every paid request takes:
 *
 *   read + check body → model allowed and priced → per-key limits → reserve the most it can
 *   cost → forward (chat-relay.ts: streamed chunks pass straight through) → settle to the
 *   actual cost and release the rest, on every exit path (success, upstream error, timeout,
 *   client abort).
 *
 * Nothing on this path waits for work that can wait: the settlement and usage record are
 * queued for the write-behind (committed by its writer thread), events are batched by the
 * host, and logs are debug-level.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { ProxyRequestEvent } from '../contract.js';
import type { KeyRecord } from '../keys/key-store.js';
import type { Logger } from '../log/logger.js';
import type { Meter } from '../metering/meter.js';
import { formatUsd } from '../money/units.js';
import { BodyError, parseChatBody, readBody, type ChatRequest } from './body.js';
import { maxChargeMicro } from '../pricing/customer-price.js';
import { ChatRelay } from './chat-relay.js';
import { bodyToForward } from './forward-body.js';
import type { PriceBook, UpstreamPort, UsageParsing } from './ports.js';
import { refuse, type ProxyCall } from './proxy-call.js';
import type { RateLimiter } from './rate-limits.js';
import type { UpstreamTrouble } from './upstream-trouble.js';

export interface ChatDeps {
  meter: Meter;
  limiter: RateLimiter;
  prices: PriceBook;
  upstream: UpstreamPort;
  usage: UsageParsing;
  logger: Logger;
  policy: () => { maxBodyBytes: number; defaultMaxTokens: number; upstreamConfigured: boolean };
  onRequest: (event: ProxyRequestEvent) => void;
  onUpstreamTrouble?: (trouble: UpstreamTrouble) => void;
}

/** Unique across restarts (random prefix per process) without a random-bytes call per request. */
const REQUEST_ID_PREFIX = `req_${randomBytes(6).toString('base64url')}`;
let requestCounter = 0;
export function nextRequestId(): string {
  requestCounter += 1;
  return `${REQUEST_ID_PREFIX}${requestCounter.toString(36)}`;
}

/**
 * `call` (proxy-call.ts) learns the model as soon as the body is read, so a refusal — sent with
 * refuse() — is recorded with it when the call ends.
 */
export async function handleChat(req: IncomingMessage, res: ServerResponse, key: KeyRecord, deps: ChatDeps, call: ProxyCall): Promise<void> {
  const started = call.started;
  const policy = deps.policy();
  if (!policy.upstreamConfigured) {
    req.resume();
    return refuse(res, call, 503, 'api_error', 'upstream_not_configured', 'this shop has not connected its model provider yet; try again later');
  }
  let chat: ChatRequest;
  let raw: Buffer;
  try {
    raw = await readBody(req, policy.maxBodyBytes);
    chat = parseChatBody(raw);
  } catch (error) {
    // The customer left while sending the body: nobody to answer (recorded as 499 client_aborted).
    if (error instanceof BodyError && error.code === 'aborted') return;
    if (error instanceof BodyError) {
      call.model = error.model;
      return refuse(res, call, error.status, 'invalid_request_error', error.code, error.message);
    }
    throw error;
  }
  call.model = chat.model;
  call.stream = chat.stream;
  // The customer left once the body was in: nobody to answer or charge (recorded as 499 when the socket closed).
  if (res.destroyed) return;
  if (key.allowedModels && !key.allowedModels.includes(chat.model)) {
    return refuse(res, call, 403, 'permission_error', 'model_not_allowed', `this key may not use "${chat.model}"; allowed: ${key.allowedModels.join(', ')}`);
  }
  const offered = deps.prices.get(chat.model);
  if (!offered) return refuse(res, call, 404, 'invalid_request_error', 'model_not_found', `model "${chat.model}" is not offered; GET /v1/models lists the models you can use`);

  const maxTokens = Math.min(chat.maxTokens ?? policy.defaultMaxTokens, offered.maxCompletionTokens ?? Number.MAX_SAFE_INTEGER);
  const promptEstimate = deps.usage.estimatePromptTokens(chat.body);
  const admission = deps.limiter.admit(key.id, key, promptEstimate + maxTokens);
  if (!admission.ok) {
    return refuse(res, call, 429, 'rate_limit_error', 'rate_limited', `${admission.reason}; retry in ${admission.retryAfterSeconds} s`, {
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
      return refuse(
        res,
        call,
        402,
        'insufficient_quota',
        'insufficient_balance',
        `insufficient balance: ${formatUsd(reserved.availableMicro)} available, this request may cost up to ${formatUsd(hold)} (${maxTokens} max tokens).${allowance} Top up, or lower max_tokens.`,
      );
    }
    call.metered = true;
    // The relay settles on every exit path and then frees the key's concurrency slot.
    new ChatRelay(res, deps, { key, stream: chat.stream, offered, hold: reserved.hold, started, promptEstimate }, admission.release).start(bodyToForward(raw, chat, maxTokens));
  } catch (error) {
    admission.release();
    throw error;
  }
}
