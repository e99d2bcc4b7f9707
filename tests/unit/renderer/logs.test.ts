import { describe, expect, it } from 'vitest';
import { filterByLevel, mergeLogLines } from '../../../renderer/store/logs';
import { logLine } from './fixtures';

const seqs = (lines: readonly { seq: number }[]) => lines.map((l) => l.seq);

describe('logs slice: mergeLogLines', () => {
  it('appends live lines after the ones shown', () => {
    const merged = mergeLogLines([logLine(1), logLine(2)], [logLine(3), logLine(4)]);
    expect(seqs(merged)).toEqual([1, 2, 3, 4]);
  });

  it('drops lines already present (same seq and time), e.g. a tail that overlaps live events', () => {
    const live = mergeLogLines([], [logLine(5), logLine(6)]);
    const merged = mergeLogLines(live, [logLine(3), logLine(4), logLine(5), logLine(6)]);
    expect(seqs(merged)).toEqual([3, 4, 5, 6]);
  });

  it('drops duplicates within one batch', () => {
    expect(seqs(mergeLogLines([], [logLine(1), logLine(1), logLine(2)]))).toEqual([1, 2]);
  });

  it('returns the same array when nothing new arrived, so subscribers do not re-render', () => {
    const current = mergeLogLines([], [logLine(1), logLine(2)]);
    expect(mergeLogLines(current, [logLine(2)])).toBe(current);
    expect(mergeLogLines(current, [])).toBe(current);
  });

  it('puts a late tail (older lines) before the live lines', () => {
    const live = mergeLogLines([], [logLine(10), logLine(11)]);
    expect(seqs(mergeLogLines(live, [logLine(8), logLine(9)]))).toEqual([8, 9, 10, 11]);
  });

  it('keeps only the newest lines past the capacity', () => {
    const first = mergeLogLines([], [1, 2, 3, 4].map((n) => logLine(n)), 5);
    const next = mergeLogLines(first, [5, 6, 7].map((n) => logLine(n)), 5);
    expect(seqs(next)).toEqual([3, 4, 5, 6, 7]);
  });

  it('caps at 1000 lines by default', () => {
    const many = Array.from({ length: 1200 }, (_, i) => logLine(i + 1));
    const merged = mergeLogLines([], many);
    expect(merged).toHaveLength(1000);
    expect(merged[0]?.seq).toBe(201);
    expect(merged[999]?.seq).toBe(1200);
  });

  it('keeps lines of a restarted host whose seq numbers start again', () => {
    const oldRun = [logLine(1, { time: '2025-01-01T10:00:00.000Z', msg: 'old' })];
    const newRun = [logLine(1, { time: '2025-01-01T11:00:00.000Z', msg: 'new' })];
    const merged = mergeLogLines(oldRun, newRun);
    expect(merged.map((l) => l.msg)).toEqual(['old', 'new']);
  });

  it('orders lines of the same millisecond by seq', () => {
    const t = '2025-01-01T10:00:00.000Z';
    const merged = mergeLogLines([logLine(2, { time: t })], [logLine(1, { time: t })]);
    expect(seqs(merged)).toEqual([1, 2]);
  });
});

describe('filterByLevel', () => {
  const lines = [
    logLine(1, { level: 'debug' }),
    logLine(2, { level: 'info' }),
    logLine(3, { level: 'warn' }),
    logLine(4, { level: 'error' }),
    logLine(5, { level: 'fatal' }),
  ];

  it('keeps lines at or above the minimum level', () => {
    expect(seqs(filterByLevel(lines, 'warn'))).toEqual([3, 4, 5]);
    expect(seqs(filterByLevel(lines, 'info'))).toEqual([2, 3, 4, 5]);
  });

  it('shows everything at trace', () => {
    expect(filterByLevel(lines, 'trace')).toBe(lines);
  });
});
