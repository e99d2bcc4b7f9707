/**
 * One small error type for everything that can go wrong talking to the upstream, so the proxy
 * can answer in OpenAI's error shape without knowing undici's error zoo:
 *  - `timeout`         → 504 (connect, headers or body-idle timeout)
 *  - `unreachable`     → 502 (DNS failure, refused, reset, closed mid-response)
 *  - `upstream_status` → the upstream answered with a non-2xx status (for the JSON helpers;
 *                        forwardChat returns such responses as they are, for the proxy to relay)
 * Messages are written here, never copied from the upstream's body or from URLs, so they can
 * never carry the upstream key.
 */

export type UpstreamErrorKind = 'timeout' | 'unreachable' | 'upstream_status';

export interface UpstreamErrorInit {
  kind: UpstreamErrorKind;
  message: string;
  /** Upstream HTTP status for `upstream_status`, otherwise null. */
  status?: number | null;
  /**
   * Whether any byte of the request may have reached the upstream. When true the upstream may
   * have accepted (and will bill) the request, so it was not retried.
   */
  requestSent: boolean;
  /** How many attempts were made (1 = no retry). */
  attempts?: number;
  /** Low-level code such as ECONNREFUSED or UND_ERR_HEADERS_TIMEOUT, for logs. */
  code?: string;
  /** Seconds from the upstream's Retry-After header, when it sent one. */
  retryAfterSeconds?: number;
}

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  readonly kind: UpstreamErrorKind;
  readonly status: number | null;
  readonly requestSent: boolean;
  readonly attempts: number;
  readonly code: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: UpstreamErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.requestSent = init.requestSent;
    this.attempts = init.attempts ?? 1;
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** The status the proxy should answer its customer with. */
  get proxyStatus(): number {
    if (this.kind === 'timeout') return 504;
    if (this.kind === 'upstream_status' && this.status === 429) return 429;
    return 502;
  }

  /** OpenAI's error body, ready for JSON.stringify. */
  toOpenAIError(): { error: { message: string; type: string; param: null; code: string } } {
    const code = this.kind === 'timeout' ? 'upstream_timeout' : this.kind === 'unreachable' ? 'upstream_unreachable' : 'upstream_error';
    return { error: { message: this.message, type: 'api_error', param: null, code } };
  }
}

/** Codes that mean "the name did not resolve": nothing was sent anywhere. */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
/** Codes that mean the TCP (or TLS) connection failed or broke. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ECONNABORTED',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** The most specific error code of an error (undici and net nest them in AggregateError/cause). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof e.code === 'string' && e.code !== 'ERR_AGGREGATE') return e.code;
    current = Array.isArray(e.errors) && e.errors.length ? e.errors[0] : e.cause;
  }
  return undefined;
}

/**
 * Whether a failure may be retried for a request that could be billed: only when nothing was
 * written (`requestSent` false) and the failure is a DNS or connection failure. Timeouts are not
 * retried: a connect timeout already waited long, and the customer is waiting too.
 */
export function isRetryableBeforeSend(error: unknown, requestSent: boolean): boolean {
  if (requestSent) return false;
  const code = errorCode(error);
  return code !== undefined && (DNS_CODES.has(code) || CONNECTION_CODES.has(code));
}

/** Maps anything thrown while talking to the upstream to an UpstreamError (passes those through). */
export function toUpstreamError(error: unknown, requestSent: boolean, attempts = 1): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = errorCode(error);
  if (code && TIMEOUT_CODES.has(code)) {
    const what =
      code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connecting to the upstream timed out'
      : code === 'UND_ERR_HEADERS_TIMEOUT' ? 'the upstream did not start answering in time'
      : code === 'UND_ERR_BODY_TIMEOUT' ? 'the upstream stopped sending data mid-response'
      : 'the upstream timed out';
    return new UpstreamError({ kind: 'timeout', message: what, requestSent, attempts, code });
  }
  if (code && DNS_CODES.has(code)) {
    return new UpstreamError({ kind: 'unreachable', message: 'the upstream host name could not be resolved (DNS)', requestSent, attempts, code });
  }
  if (code === 'ECONNREFUSED') {
    return new UpstreamError({ kind: 'unreachable', message: 'the upstream refused the connection', requestSent, attempts, code });
  }
  if (code && CONNECTION_CODES.has(code)) {
    const message = requestSent ? 'the connection to the upstream broke after the request was sent' : 'the connection to the upstream failed';
    return new UpstreamError({ kind: 'unreachable', message, requestSent, attempts, code });
  }
  if (code && /^(ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code)) {
    return new UpstreamError({ kind: 'unreachable', message: `TLS failure talking to the upstream (${code})`, requestSent, attempts, code });
  }
  return new UpstreamError({
    kind: 'unreachable',
    message: `talking to the upstream failed${code ? ` (${code})` : ''}`,
    requestSent,
    attempts,
    ...(code ? { code } : {}),
  });
}

/** An `upstream_status` error for a non-2xx answer of a JSON endpoint. */
export function statusError(status: number, what: string, retryAfter?: string | string[]): UpstreamError {
  const hint =
    status === 401 || status === 403 ? ' (check upstream.apiKey)'
    : status === 402 ? ' (upstream account out of credit)'
    : status === 429 ? ' (rate limited)'
    : '';
  const seconds = parseRetryAfter(retryAfter);
  return new UpstreamError({
    kind: 'upstream_status',
    status,
    message: `${what}: upstream answered HTTP ${status}${hint}`,
    requestSent: true,
    ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}),
  });
}

/** Retry-After as whole seconds (delta-seconds or HTTP date), or undefined. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
