/**
 * The owner's side of upstream failures: customers get a 502/504 in OpenAI's shape
 * (upstream-errors.ts), and the owner gets a warn line in the log saying what went wrong and
 * what to do — at most one line per kind of trouble a minute, with how many were folded into
 * it, so an upstream outage under load does not flood the log.
 */
import type { Logger } from '../log/logger.js';

export type UpstreamTroubleKind = 'unreachable' | 'timeout' | 'refused_key' | 'no_credit' | 'rate_limited' | 'upstream_error' | 'dropped_stream';

export interface UpstreamTrouble {
  kind: UpstreamTroubleKind;
  /** The upstream's HTTP status, when it answered. */
  status?: number;
  /** A transport error code such as ECONNREFUSED (a code, never an error text). */
  code?: string;
}

const WHAT_TO_DO: Record<UpstreamTroubleKind, string> = {
  unreachable: 'the upstream could not be reached: check upstream.baseUrl and the network (`arbdesk doctor`)',
  timeout: 'the upstream did not answer in time (customers got 504); raise upstream.timeoutSeconds if its models are slow',
  refused_key: "the upstream refused ArbDesk's key: set a valid one with `arbdesk config set upstream.apiKey`",
  no_credit: 'the upstream account is out of credit: top it up (customers get 502 until then)',
  rate_limited: 'the upstream is rate limiting ArbDesk (customers got 429)',
  upstream_error: 'the upstream failed (customers got 502)',
  dropped_stream: 'the upstream broke off streamed answers mid-way (customers paid for what was generated)',
};

/**
 * Classifies an upstream error status: null for the customer's own mistakes (400/404/413/422,
 * passed through to them), otherwise the owner's trouble. upstreamStatusToClient answers the
 * customer from the same classification.
 */
export function troubleFromStatus(status: number): UpstreamTrouble | null {
  if (status === 400 || status === 404 || status === 413 || status === 422) return null;
  if (status === 401 || status === 403) return { kind: 'refused_key', status };
  if (status === 402) return { kind: 'no_credit', status };
  if (status === 429) return { kind: 'rate_limited', status };
  if (status === 408 || status === 504) return { kind: 'timeout', status };
  return { kind: 'upstream_error', status };
}

export class UpstreamTroubleLog {
  private readonly last = new Map<UpstreamTroubleKind, { at: number; folded: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  report(trouble: UpstreamTrouble): void {
    const now = this.now();
    const seen = this.last.get(trouble.kind);
    if (seen && now - seen.at < this.windowMs) {
      seen.folded += 1;
      return;
    }
    const folded = seen?.folded ?? 0;
    this.last.set(trouble.kind, { at: now, folded: 0 });
    const more = folded ? ` (${folded} more since the last line)` : '';
    this.logger.warn(
      { event: 'proxy.upstream_failed', kind: trouble.kind, ...(trouble.status ? { status: trouble.status } : {}), ...(trouble.code ? { code: trouble.code } : {}), folded },
      `${WHAT_TO_DO[trouble.kind]}${trouble.status ? ` [upstream status ${trouble.status}]` : ''}${trouble.code ? ` [${trouble.code}]` : ''}${more}`,
    );
  }
}

/** The trouble behind an upstream failure before any answer (an UpstreamError: `kind` and `code`, messages written by ArbDesk). */
export function troubleFromError(error: unknown): UpstreamTrouble {
  const e = error as { kind?: string; code?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  return { kind: e?.kind === 'timeout' ? 'timeout' : 'unreachable', ...(code ? { code } : {}) };
}
