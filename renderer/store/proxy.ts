/**
 * The `proxy` slice: what the Proxy screen shows live.
 *
 * - `recent`: the last RECENT_CAPACITY finished requests, newest first, de-duplicated by
 *   requestId. Fed by live `proxy.request` batches and seeded from `usage.list` (the two
 *   overlap; the same request is kept once).
 * - `buckets`: one bucket per second of live traffic over the last SERIES_SECONDS (requests,
 *   errors by outcome, money, a latency histogram), for the chart and the live figures.
 *   Only live events count here; seeded history does not.
 * - `stats`: the host's last `proxy.stats` answer and when it arrived, plus `sinceStats`,
 *   the live events that arrived after it (proxy-figures.ts combines the two).
 *
 * Every function here is pure and returns the input object when nothing changed, so a batch
 * of duplicates costs no store notification. A whole batch is one `applyProxyEvents` call,
 * i.e. one store update, however many events it carries.
 */
import type { ProxyRequestEvent, ProxyStats, RequestView } from '../../services/contract';
import { emptyHistogram, latencyBin, type LatencyHistogram } from './proxy-latency';

export const RECENT_CAPACITY = 500;
/** Length of the per-second series (the chart's span): 5 minutes. */
export const SERIES_SECONDS = 300;
/**
 * When the newest event of a batch is further than this from our clock, the host's clock is
 * taken to be off (a remote `arbdesk serve`) and the batch is placed at our "now" instead.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 2_000;

/** Counts and money over some set of requests. Money is integer micro-USD. */
export interface Tally {
  readonly requests: number;
  /** Requests whose outcome is not `ok`. */
  readonly errors: number;
  /** Non-ok outcomes by kind (`upstream_error`, `client_aborted` …). */
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly chargedMicro: number;
  readonly upstreamCostMicro: number;
  readonly profitMicro: number;
}

export interface ProxyBucket extends Tally {
  /** Unix second (our clock) the requests finished in. */
  readonly sec: number;
  /** Latencies of the requests in this second (see proxy-latency.ts). Never mutated once stored. */
  readonly latency: LatencyHistogram;
}

export interface ProxyStatsSnapshot {
  value: ProxyStats;
  /** Our `Date.now()` when the answer arrived. */
  receivedAt: number;
}

export interface ProxyData {
  /** Newest first, at most RECENT_CAPACITY. */
  recent: readonly ProxyRequestEvent[];
  /** Oldest first, only seconds that had traffic, none older than SERIES_SECONDS. */
  buckets: readonly ProxyBucket[];
  stats: ProxyStatsSnapshot | null;
  /** Live events that arrived after `stats` did (all live events while `stats` is null). */
  sinceStats: Tally;
  /** When this renderer started listening for events: live figures cover no time before it. */
  listeningSince: number;
  /** Live events applied so far (not counting duplicates or seeded history). */
  liveEvents: number;
}

export interface ProxyActions {
  applyProxyStats(stats: ProxyStats, receivedAt: number): void;
  /** Adds requests from `usage.list` to `recent` (history: not counted in the live figures). */
  seedProxyRequests(requests: readonly RequestView[]): void;
}

export const EMPTY_TALLY: Tally = Object.freeze({
  requests: 0,
  errors: 0,
  errorKinds: Object.freeze({}),
  chargedMicro: 0,
  upstreamCostMicro: 0,
  profitMicro: 0,
});

export function initialProxy(now: number): ProxyData {
  return { recent: [], buckets: [], stats: null, sinceStats: EMPTY_TALLY, listeningSince: now, liveEvents: 0 };
}

export function isErrorOutcome(outcome: string): boolean {
  return outcome !== 'ok';
}

/** A `usage.list` row in the shape of a live event (the contract names two fields differently). */
export function requestFromView(view: RequestView): ProxyRequestEvent {
  return {
    requestId: view.id,
    at: view.at,
    keyId: view.keyId,
    customerId: view.customerId,
    model: view.model,
    stream: view.stream,
    status: view.status,
    outcome: view.outcome,
    latencyMs: view.latencyMs,
    promptTokens: view.promptTokens,
    completionTokens: view.completionTokens,
    chargedMicro: view.chargeMicro,
    upstreamCostMicro: view.upstreamCostMicro,
    profitMicro: view.profitMicro,
    allowanceTokens: view.allowanceTokens,
  };
}

function timeOf(at: string): number {
  const t = Date.parse(at);
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Merges `incoming` (any order) into `current` (newest first), dropping requests already
 * present, and keeps the newest `capacity`. `fresh` lists the incoming requests that were new
 * (in arrival order), whether or not they were old enough to fall off the end.
 * Returns `current` itself when nothing was new.
 */
export function mergeRecent(
  current: readonly ProxyRequestEvent[],
  incoming: readonly ProxyRequestEvent[],
  capacity: number = RECENT_CAPACITY,
): { recent: readonly ProxyRequestEvent[]; fresh: ProxyRequestEvent[] } {
  if (incoming.length === 0) return { recent: current, fresh: [] };
  const ids = new Set<string>();
  for (const e of current) ids.add(e.requestId);
  const fresh: ProxyRequestEvent[] = [];
  for (const e of incoming) {
    if (ids.has(e.requestId)) continue;
    ids.add(e.requestId);
    fresh.push(e);
  }
  if (fresh.length === 0) return { recent: current, fresh };

  // Newest first. Live batches arrive oldest first, so reversing is usually enough.
  const times = fresh.map((e) => timeOf(e.at));
  let ascending = true;
  for (let i = 1; i < times.length && ascending; i++) ascending = times[i - 1]! <= times[i]!;
  let added: ProxyRequestEvent[];
  let addedTimes: number[];
  if (ascending) {
    added = fresh.slice().reverse();
    addedTimes = times.slice().reverse();
  } else {
    const order = fresh.map((_, i) => i).sort((a, b) => times[b]! - times[a]! || b - a);
    added = order.map((i) => fresh[i]!);
    addedTimes = order.map((i) => times[i]!);
  }

  // Merge two newest-first lists, stopping at capacity; on equal times the new one goes first.
  const merged: ProxyRequestEvent[] = [];
  let a = 0;
  let c = 0;
  while (merged.length < capacity && (a < added.length || c < current.length)) {
    if (c >= current.length || (a < added.length && addedTimes[a]! >= timeOf(current[c]!.at))) {
      merged.push(added[a++]!);
    } else {
      merged.push(current[c++]!);
    }
  }
  // Everything new was older than what is kept: the list is unchanged.
  if (a === 0 && merged.length === current.length) return { recent: current, fresh };
  return { recent: merged, fresh };
}

/** How far (ms) to move this batch's times so they line up with our clock; 0 when in step. */
export function clockSkew(events: readonly ProxyRequestEvent[], now: number): number {
  let newest = -Infinity;
  for (const e of events) {
    const t = Date.parse(e.at);
    if (t > newest) newest = t;
  }
  if (!Number.isFinite(newest)) return 0;
  const skew = now - newest;
  return Math.abs(skew) > CLOCK_SKEW_TOLERANCE_MS ? skew : 0;
}

interface MutableTally {
  requests: number;
  errors: number;
  errorKinds: Record<string, number>;
  chargedMicro: number;
  upstreamCostMicro: number;
  profitMicro: number;
}

function openTally(from: Tally): MutableTally {
  return { ...from, errorKinds: { ...from.errorKinds } };
}

function addRequest(t: MutableTally, e: ProxyRequestEvent): void {
  t.requests += 1;
  if (isErrorOutcome(e.outcome)) {
    t.errors += 1;
    t.errorKinds[e.outcome] = (t.errorKinds[e.outcome] ?? 0) + 1;
  }
  t.chargedMicro += e.chargedMicro;
  t.upstreamCostMicro += e.upstreamCostMicro;
  t.profitMicro += e.profitMicro;
}

/** Adds `b` to `a` (or subtracts it with sign -1); a new Tally. */
export function combineTallies(a: Tally, b: Tally, sign: 1 | -1 = 1): Tally {
  const errorKinds: Record<string, number> = { ...a.errorKinds };
  for (const [kind, n] of Object.entries(b.errorKinds)) {
    const next = (errorKinds[kind] ?? 0) + sign * n;
    if (next > 0) errorKinds[kind] = next;
    else delete errorKinds[kind];
  }
  return {
    requests: Math.max(0, a.requests + sign * b.requests),
    errors: Math.max(0, a.errors + sign * b.errors),
    errorKinds,
    chargedMicro: a.chargedMicro + sign * b.chargedMicro,
    upstreamCostMicro: a.upstreamCostMicro + sign * b.upstreamCostMicro,
    profitMicro: a.profitMicro + sign * b.profitMicro,
  };
}

type MutableBucket = MutableTally & { sec: number; latency: LatencyHistogram };

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The contract does not validate event payloads at runtime, so the store checks the fields it
 * computes with: an event without an id, a time or integer-ish numbers is dropped, not summed.
 */
export function isWellFormedEvent(e: unknown): e is ProxyRequestEvent {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return (
    typeof r.requestId === 'string' &&
    r.requestId !== '' &&
    typeof r.at === 'string' &&
    typeof r.customerId === 'string' &&
    typeof r.model === 'string' &&
    typeof r.outcome === 'string' &&
    finite(r.latencyMs) &&
    finite(r.chargedMicro) &&
    finite(r.upstreamCostMicro) &&
    finite(r.profitMicro)
  );
}

/** Applies one batch of live `proxy.request` events. Returns `state` when none was new and well formed. */
export function applyProxyEvents(state: ProxyData, events: readonly ProxyRequestEvent[], now: number): ProxyData {
  const valid = events.filter(isWellFormedEvent);
  const { recent, fresh } = mergeRecent(state.recent, valid, RECENT_CAPACITY);
  if (fresh.length === 0) return state;

  const skew = clockSkew(fresh, now);
  const nowSec = Math.floor(now / 1000);
  const oldestSec = nowSec - SERIES_SECONDS + 1;
  const existing = new Map<number, ProxyBucket>();
  for (const b of state.buckets) existing.set(b.sec, b);
  const touched = new Map<number, MutableBucket>();
  const since = openTally(state.sinceStats);

  for (const e of fresh) {
    addRequest(since, e);
    const t = Date.parse(e.at);
    let sec = Number.isNaN(t) ? nowSec : Math.floor((t + skew) / 1000);
    if (sec > nowSec) sec = nowSec;
    if (sec < oldestSec) continue;
    let bucket = touched.get(sec);
    if (!bucket) {
      const prev = existing.get(sec);
      bucket = prev
        ? { ...openTally(prev), sec, latency: prev.latency.slice() }
        : { ...openTally(EMPTY_TALLY), sec, latency: emptyHistogram() };
      touched.set(sec, bucket);
    }
    addRequest(bucket, e);
    bucket.latency[latencyBin(e.latencyMs)]! += 1;
  }

  const buckets: ProxyBucket[] = [];
  for (const b of state.buckets) if (b.sec >= oldestSec && !touched.has(b.sec)) buckets.push(b);
  for (const b of touched.values()) buckets.push(b);
  buckets.sort((x, y) => x.sec - y.sec);

  return { ...state, recent, buckets, sinceStats: since, liveEvents: state.liveEvents + fresh.length };
}

/** A new `proxy.stats` answer: it already counts everything that arrived before it. */
export function applyProxyStats(state: ProxyData, stats: ProxyStats, receivedAt: number): ProxyData {
  return { ...state, stats: { value: stats, receivedAt }, sinceStats: EMPTY_TALLY };
}

/** History from `usage.list`: into `recent` only. Returns `state` when it brought nothing new. */
export function seedProxyRequests(state: ProxyData, requests: readonly RequestView[]): ProxyData {
  const { recent } = mergeRecent(state.recent, requests.map(requestFromView), RECENT_CAPACITY);
  return recent === state.recent ? state : { ...state, recent };
}

/** The slice's actions, for createAppStore. */
export function proxyActions(
  set: (partial: { proxy: ProxyData }) => void,
  get: () => { proxy: ProxyData },
): ProxyActions {
  return {
    applyProxyStats(stats, receivedAt) {
      set({ proxy: applyProxyStats(get().proxy, stats, receivedAt) });
    },
    seedProxyRequests(requests) {
      const proxy = seedProxyRequests(get().proxy, requests);
      if (proxy !== get().proxy) set({ proxy });
    },
  };
}
