/**
 * Upstream trouble in the customer's terms, in OpenAI's error shape. The customer's own mistakes
 * (400, 404, 413, 422) pass through with the upstream's message; the owner's problems (the
 * upstream refusing ArbDesk's key, running out of credit) become 502 without upstream detail;
 * rate limits stay 429 with Retry-After; timeouts are 504.
 */
import type { ServerResponse } from 'node:http';
import { sendOpenAIError } from './openai-error.js';
import { troubleFromStatus, type UpstreamTrouble } from './upstream-trouble.js';

interface ErrorLike {
  kind?: 'timeout' | 'unreachable' | 'upstream_status';
  message?: string;
}

export function sendUpstreamFailure(res: ServerResponse, error: unknown): void {
  const e = error as ErrorLike;
  if (e?.kind === 'timeout') return sendOpenAIError(res, 504, 'api_error', 'upstream_timeout', 'the upstream model provider did not answer in time; try again');
  return sendOpenAIError(res, 502, 'api_error', 'upstream_unreachable', 'the upstream model provider could not be reached; try again shortly');
}

/**
 * Answers the customer for an upstream error status, and returns the trouble the owner should
 * hear about (null for the customer's own mistakes). One classification (troubleFromStatus)
 * decides both.
 */
export function upstreamStatusToClient(
  res: ServerResponse,
  status: number,
  body: Buffer,
  headers: Record<string, string | string[] | undefined>,
): UpstreamTrouble | null {
  const trouble = troubleFromStatus(status);
  if (trouble === null) {
    sendOpenAIError(res, status, 'invalid_request_error', 'upstream_rejected', upstreamMessage(body) ?? `the upstream refused the request (${status})`);
  } else if (trouble.kind === 'rate_limited') {
    const retry = headers['retry-after'];
    sendOpenAIError(res, 429, 'rate_limit_error', 'upstream_rate_limited', 'the upstream model provider is rate limiting; retry shortly', {
      'retry-after': String(Array.isArray(retry) ? retry[0] : (retry ?? '5')),
    });
  } else if (trouble.kind === 'refused_key' || trouble.kind === 'no_credit') {
    sendOpenAIError(res, 502, 'api_error', 'upstream_unavailable', 'the service is temporarily unable to reach its model provider; the owner has been notified');
  } else if (trouble.kind === 'timeout') {
    sendOpenAIError(res, 504, 'api_error', 'upstream_timeout', 'the upstream model provider timed out; try again');
  } else {
    sendOpenAIError(res, 502, 'api_error', 'upstream_error', `the upstream model provider failed (${status}); try again`);
  }
  return trouble;
}

function upstreamMessage(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { message?: unknown } };
    const m = parsed?.error?.message;
    return typeof m === 'string' ? m.slice(0, 500) : undefined;
  } catch {
    return undefined;
  }
}
