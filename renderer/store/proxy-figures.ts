/**
 * Figures derived from the `proxy` slice for a given "now" — pure, so they can be computed in
 * a throttled component or a chart frame without touching React state.
 *
 * How the last-minute figures are made (`windowFigures`): the host's `proxy.stats` answer is
 * the authority (it also counts rejections without a known key and free look-ups that failed,
 * which are not `proxy.request` events; a refused chat request with a known key is one, counted
 * under its error code in both). Between two answers (the screen asks every few seconds) the
 * live events that arrived since are added, and the live seconds that slid out of the window
 * since are taken away. If the answer is older than the window, the figures are live only.
 *
 * Percentiles cannot be merged that way: they come from the per-second latency histograms of
 * live events once this renderer has listened for a whole window, from the host before that.
 */
import type { ProxyStats } from '../../services/contract';
import { combineTallies, EMPTY_TALLY, type ProxyBucket, type ProxyData, type Tally } from './proxy';
import { addHistogram, emptyHistogram, histogramPercentile, type LatencyHistogram } from './proxy-latency';

export const DEFAULT_WINDOW_SECONDS = 60;
/** The "requests per second now" figure averages this many seconds. */
export const LIVE_RATE_SECONDS = 5;
/** Events reach the renderer up to one batch interval (100 ms) after they finish. */
export const BATCH_DELAY_MS = 100;
/** A second is drawn once it ended this long ago (so its last batch has arrived). */
export const ARRIVAL_SLACK_MS = 250;

export interface SpanSum {
  tally: Tally;
  latency: LatencyHistogram;
}

/** Sums the buckets whose second is in [fromSec, toSec]. */
export function sumBuckets(buckets: readonly ProxyBucket[], fromSec: number, toSec: number): SpanSum {
  const latency = emptyHistogram();
  let tally: Tally = EMPTY_TALLY;
  if (toSec < fromSec) return { tally, latency };
  for (const b of buckets) {
    if (b.sec < fromSec || b.sec > toSec) continue;
    tally = combineTallies(tally, b);
    addHistogram(latency, b.latency);
  }
  return { tally, latency };
}

/** Live requests per second over the last LIVE_RATE_SECONDS (fewer right after start). */
export function liveRate(state: ProxyData, now: number, seconds: number = LIVE_RATE_SECONDS): number {
  const nowSec = Math.floor(now / 1000);
  const fromSec = nowSec - seconds + 1;
  let count = 0;
  for (const b of state.buckets) if (b.sec >= fromSec && b.sec <= nowSec) count += b.requests;
  if (count === 0) return 0;
  const end = now - BATCH_DELAY_MS;
  const span = Math.min(end - fromSec * 1000, end - state.listeningSince);
  return count / (Math.max(span, 1000) / 1000);
}

export function statsTally(stats: ProxyStats): Tally {
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  for (const [kind, n] of Object.entries(stats.errors)) {
    if (n > 0) {
      errorKinds[kind] = n;
      errors += n;
    }
  }
  return {
    requests: stats.requests,
    errors,
    errorKinds,
    chargedMicro: stats.chargedMicro,
    upstreamCostMicro: stats.upstreamCostMicro,
    profitMicro: stats.profitMicro,
  };
}

export interface WindowFigures extends Tally {
  windowSeconds: number;
  /** Average over the window. */
  requestsPerSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** errors / requests, null without requests. */
  errorRate: number | null;
  /** Where the figures come from: the host's answer adjusted live, or live events only. */
  basis: 'host' | 'live';
}

/** The last-minute figures at `now` (see the file comment for how). */
export function windowFigures(state: ProxyData, now: number): WindowFigures {
  const stats = state.stats;
  const windowSeconds = stats && stats.value.windowSeconds > 0 ? stats.value.windowSeconds : DEFAULT_WINDOW_SECONDS;
  const windowMs = windowSeconds * 1000;
  const nowSec = Math.floor(now / 1000);
  const live = sumBuckets(state.buckets, nowSec - windowSeconds + 1, nowSec);
  const hostFresh = stats !== null && now - stats.receivedAt < windowMs;

  let tally: Tally;
  if (hostFresh) {
    const statsSec = Math.floor(stats.receivedAt / 1000);
    const slidOut = sumBuckets(state.buckets, statsSec - windowSeconds + 1, nowSec - windowSeconds).tally;
    tally = combineTallies(combineTallies(statsTally(stats.value), state.sinceStats), slidOut, -1);
  } else {
    tally = live.tally;
  }

  let p50Ms: number | null = null;
  let p99Ms: number | null = null;
  const coveredWindow = now - state.listeningSince >= windowMs;
  if (live.tally.requests > 0 && (coveredWindow || !hostFresh)) {
    p50Ms = histogramPercentile(live.latency, 50, live.tally.requests);
    p99Ms = histogramPercentile(live.latency, 99, live.tally.requests);
  } else if (hostFresh) {
    p50Ms = stats.value.p50Ms;
    p99Ms = stats.value.p99Ms;
  }

  return {
    ...tally,
    windowSeconds,
    requestsPerSecond: tally.requests / windowSeconds,
    p50Ms,
    p99Ms,
    errorRate: tally.requests > 0 ? tally.errors / tally.requests : null,
    basis: hostFresh ? 'host' : 'live',
  };
}

const p99Cache = new WeakMap<ProxyBucket, number | null>();

/** p99 of one second's requests (memoised: a stored bucket never changes). */
export function bucketP99(bucket: ProxyBucket): number | null {
  let value = p99Cache.get(bucket);
  if (value === undefined) {
    value = histogramPercentile(bucket.latency, 99, bucket.requests);
    p99Cache.set(bucket, value);
  }
  return value;
}

export interface SecondPoint {
  sec: number;
  /** Requests that finished in this second; null before this renderer was listening. */
  requests: number | null;
  p99Ms: number | null;
}

/**
 * One point per complete second for the last `seconds` seconds, oldest first. The current
 * second is left out until its last batch has had time to arrive, so the line does not dip.
 */
export function secondSeries(state: ProxyData, now: number, seconds: number): SecondPoint[] {
  const endSec = Math.floor((now - ARRIVAL_SLACK_MS) / 1000) - 1;
  const startSec = endSec - seconds + 1;
  const firstKnownSec = Math.floor(state.listeningSince / 1000);
  const bySec = new Map<number, ProxyBucket>();
  for (const b of state.buckets) if (b.sec >= startSec && b.sec <= endSec) bySec.set(b.sec, b);
  const points: SecondPoint[] = [];
  for (let sec = startSec; sec <= endSec; sec++) {
    const b = bySec.get(sec);
    if (b) points.push({ sec, requests: b.requests, p99Ms: bucketP99(b) });
    else points.push({ sec, requests: sec < firstKnownSec ? null : 0, p99Ms: null });
  }
  return points;
}
