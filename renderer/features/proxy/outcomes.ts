/** Request outcomes and error kinds as the Proxy screen names, orders and colours them. */

/**
 * Error kinds in the order the owner reads them: money and limits first (the customer can fix
 * those), then the upstream's trouble, then the client's. `proxy.stats` counts a refused chat
 * request with a known key under its error code (insufficient_balance, rate_limited,
 * model_not_allowed, invalid_json, …), other rejections by HTTP status (auth, bad_request,
 * upstream_error, upstream_timeout, client_aborted), metered requests by their outcome
 * (upstream_error, client_aborted, timeout, interrupted). Kinds not listed here are shown after
 * these, alphabetically.
 */
export const KNOWN_ERROR_KINDS = [
  'insufficient_balance',
  'rate_limited',
  'auth',
  'bad_request',
  'upstream_error',
  'upstream_timeout',
  'timeout',
  'client_aborted',
  'interrupted',
] as const;

const RANK = new Map<string, number>(KNOWN_ERROR_KINDS.map((k, i) => [k, i]));

/** Non-zero kinds, known ones first in KNOWN_ERROR_KINDS order, others alphabetically. */
export function orderedErrorKinds(kinds: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(kinds)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (RANK.get(a) ?? 1000) - (RANK.get(b) ?? 1000) || a.localeCompare(b));
}

export type OutcomeColor = 'green' | 'gray' | 'orange' | 'red';

export function outcomeColor(outcome: string): OutcomeColor {
  if (outcome === 'ok') return 'green';
  if (outcome === 'client_aborted') return 'gray';
  if (outcome === 'rate_limited' || outcome === 'insufficient_balance' || outcome === 'interrupted') return 'orange';
  return 'red';
}
