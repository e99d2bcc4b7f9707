import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatDuration } from '../../../renderer/components/format';

describe('formatters', () => {
  it('formats a log time as local hh:mm:ss.mmm', () => {
    const iso = new Date(2024, 0, 2, 3, 4, 5, 6).toISOString();
    expect(formatClock(iso, true)).toBe('03:04:05.006');
    expect(formatClock(iso)).toBe('03:04:05');
    expect(formatClock('not a time')).toBe('not a time');
  });

  it('formats durations with at most two units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59.9)).toBe('59 s');
    expect(formatDuration(61)).toBe('1 min 1 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3 * 3600 + 4 * 60 + 5)).toBe('3 h 4 min');
    expect(formatDuration(2 * 86400 + 3 * 3600 + 59)).toBe('2 d 3 h');
  });

  it('formats a past time relative to now', () => {
    const now = Date.parse('2025-01-01T12:10:00.000Z');
    expect(formatAgo('2025-01-01T12:09:58.000Z', now)).toBe('just now');
    expect(formatAgo('2025-01-01T12:09:30.000Z', now)).toBe('30 s ago');
    expect(formatAgo('2025-01-01T12:04:59.000Z', now)).toBe('5 min ago');
    expect(formatAgo('2025-01-01T08:55:00.000Z', now)).toBe('3 h 15 min ago');
    expect(formatAgo('garbage', now)).toBe('');
  });
});
