/** Report ranges in UTC days, as the host takes them (`reports.pnl`: from/to both included, ≤ 400 days). */

export type Granularity = 'day' | 'week' | 'month';

export const MAX_DAYS = 400;
const DAY_MS = 86_400_000;

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface Range {
  from: string;
  to: string;
}

export const PRESETS = [
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: 'month', label: 'This month' },
  { id: 'prev-month', label: 'Last month' },
  { id: '12m', label: 'Last 12 months' },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];

/** A preset's UTC days for `now` (ms); "last N days" include today. */
export function presetRange(id: PresetId, now: number): Range {
  const today = utcDay(now);
  const d = new Date(now);
  if (id === '7d') return { from: utcDay(now - 6 * DAY_MS), to: today };
  if (id === '30d') return { from: utcDay(now - 29 * DAY_MS), to: today };
  if (id === 'month') return { from: `${today.slice(0, 7)}-01`, to: today };
  if (id === 'prev-month') {
    const firstOfThis = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const lastOfPrev = firstOfThis - DAY_MS;
    return { from: `${utcDay(lastOfPrev).slice(0, 7)}-01`, to: utcDay(lastOfPrev) };
  }
  return { from: utcDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 11, 1)), to: today };
}

/** A granularity that gives a readable chart for the range. */
export function suggestedGranularity(range: Range): Granularity {
  const days = (Date.parse(range.to) - Date.parse(range.from)) / DAY_MS + 1;
  if (days > 120) return 'month';
  if (days > 45) return 'week';
  return 'day';
}

/** What is wrong with a range before asking the host (the host checks again). */
export function rangeProblem(range: Range): string | null {
  const ok = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
  if (!ok(range.from)) return 'Choose a start date.';
  if (!ok(range.to)) return 'Choose an end date.';
  const days = (Date.parse(range.to) - Date.parse(range.from)) / DAY_MS + 1;
  if (days < 1) return 'The end date is before the start date.';
  if (days > MAX_DAYS) return `A report covers at most ${MAX_DAYS} days; choose a shorter range.`;
  return null;
}
