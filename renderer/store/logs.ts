/**
 * The `logs` slice: the last LOG_CAPACITY log lines, oldest first, newest last.
 *
 * Lines arrive from two sources that overlap: `logs.tail` (on start, on reconnect, when the
 * Status screen opens) and live `log` events. A line is the same line when its `seq` and `time`
 * match — `seq` alone restarts from the beginning when the services host restarts, and the
 * old run's lines should stay visible (they usually say why it stopped).
 */
import type { LogLevel, LogLine } from '../../services/contract';
import { isAtLeast } from './levels';

export const LOG_CAPACITY = 1000;

export function logKey(line: LogLine): string {
  return `${line.seq}@${line.time}`;
}

function timeOf(line: LogLine): number {
  const t = Date.parse(line.time);
  return Number.isNaN(t) ? 0 : t;
}

/** Order of display: by time, then by seq (several lines share a millisecond). */
export function compareLines(a: LogLine, b: LogLine): number {
  return timeOf(a) - timeOf(b) || a.seq - b.seq;
}

/**
 * Merges `incoming` into `current` (both oldest first) and keeps the newest `capacity` lines.
 * Returns `current` itself when nothing new arrived, so subscribers do not re-render.
 */
export function mergeLogLines(
  current: readonly LogLine[],
  incoming: readonly LogLine[],
  capacity: number = LOG_CAPACITY,
): readonly LogLine[] {
  if (incoming.length === 0) return current;
  const seen = new Set(current.map(logKey));
  const fresh: LogLine[] = [];
  for (const line of incoming) {
    const key = logKey(line);
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push(line);
  }
  if (fresh.length === 0) return current;

  let merged: LogLine[];
  const last = current[current.length - 1];
  const freshInOrder = fresh.every((line, i) => i === 0 || compareLines(fresh[i - 1]!, line) <= 0);
  if (freshInOrder && (!last || compareLines(last, fresh[0]!) <= 0)) {
    // The common case: live lines newer than everything shown.
    merged = current.concat(fresh);
  } else {
    merged = current.concat(fresh).sort(compareLines);
  }
  return merged.length > capacity ? merged.slice(merged.length - capacity) : merged;
}

export function filterByLevel(lines: readonly LogLine[], minLevel: LogLevel): readonly LogLine[] {
  if (minLevel === 'trace') return lines;
  return lines.filter((line) => isAtLeast(line.level, minLevel));
}
