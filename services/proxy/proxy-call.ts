/**
 * One call to a /v1/ route, from its first byte to its socket closing: what the server learns
 * along the way (the key, the model, whether it reached the meter), so that when it ends the
 * live stats count it once and a refused chat request leaves its one record.
 *
 * A metered request is recorded by its settlement (chat-relay.ts), with money. Any other chat
 * request with a known key — refused with 400/402/403/404/413/429/503, or left by the customer
 * while sending its body — is recorded here as a refusal (Meter.recordRefusal: no money, its own
 * table). Requests without a known key belong to no customer: they are counted live and logged
 * (proxy.auth_failed), and the per-address guard (auth-guard.ts) keeps their rate down.
 */
import type { ServerResponse } from 'node:http';
import type { ProxyRequestEvent } from '../contract.js';
import type { KeyRecord } from '../keys/key-store.js';
import type { Meter } from '../metering/meter.js';
import { sendOpenAIError, type OpenAIErrorType } from './openai-error.js';
import type { ProxyStatsWindow } from './stats.js';

/** The status recorded for a customer who left before the answer (nginx's convention; the relay uses it too). */
export const CLIENT_CLOSED = 499;

export class ProxyCall {
  /** Set once the key is known (also a revoked or expired key, refused by authenticate). */
  key: KeyRecord | null = null;
  /** A chat completion request (the others are free look-ups: not recorded one by one). */
  chat = false;
  model = '';
  stream = false;
  /** Reached the meter: its settlement records it and counts it in the stats. */
  metered = false;
  /** The error code the customer was sent, when it was a refusal. */
  code = '';

  constructor(readonly started: number) {}
}

export interface CallEndDeps {
  stats: ProxyStatsWindow;
  meter: Meter;
  nextRequestId: () => string;
  /** The UI's live feed (not the stats: onCallClosed counts the call itself). */
  onRefused?: (event: ProxyRequestEvent) => void;
}

/** Sends an error in OpenAI's shape and remembers its code for the call's record. */
export function refuse(
  res: ServerResponse,
  call: ProxyCall,
  status: number,
  type: OpenAIErrorType,
  code: string,
  message: string,
  headers?: Record<string, string>,
): void {
  call.code = code;
  sendOpenAIError(res, status, type, code, message, headers);
}

/** The response's socket closed: count the call in the live stats and record a refused chat request. */
export function onCallClosed(res: ServerResponse, call: ProxyCall, deps: CallEndDeps): void {
  if (call.metered) return;
  const left = !res.writableFinished;
  const status = left && call.code === '' ? CLIENT_CLOSED : res.statusCode;
  if (status === 200) return;
  const latency = performance.now() - call.started;
  const key = call.key;
  if (!call.chat || !key) return deps.stats.record(errorKind(status), latency);
  const code = call.code || (status === CLIENT_CLOSED ? 'client_aborted' : `status_${status}`);
  // Counted under its code, as the UI's live feed counts the event below until the next stats answer.
  deps.stats.record(code, latency);
  // One event: its record (no tokens, no money) and the UI's live feed.
  const event: ProxyRequestEvent = {
    requestId: deps.nextRequestId(),
    at: new Date().toISOString(),
    keyId: key.id,
    customerId: key.customerId,
    model: call.model,
    stream: call.stream,
    status,
    outcome: code,
    latencyMs: Math.round(latency),
    promptTokens: 0,
    completionTokens: 0,
    chargedMicro: 0,
    upstreamCostMicro: 0,
    profitMicro: 0,
    allowanceTokens: 0,
  };
  deps.meter.recordRefusal(event);
  deps.onRefused?.(event);
}

/** Kind of a non-200 answer, for the error counts on the Proxy screen. */
export function errorKind(status: number): string {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'insufficient_balance';
  if (status === 429) return 'rate_limited';
  if (status === 400 || status === 404 || status === 405 || status === 413) return 'bad_request';
  if (status === CLIENT_CLOSED) return 'client_aborted';
  if (status === 504) return 'upstream_timeout';
  if (status >= 500) return 'upstream_error';
  return `status_${status}`;
}
