/**
 * Report ranges in UTC calendar days, and the buckets a range is cut into: days
 * (`2026-01-31`), ISO 8601 weeks (`2026-W05`, Monday to Sunday, the week-year of its Thursday)
 * and months (`2026-01`). Pure and free of Node built-ins: the contract imports the input
 * schema from here.
 */
import { z } from 'zod';

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The longest range one report covers, in days (both ends included). */
export const MAX_REPORT_DAYS = 400;

const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** `2026-01-31` → its UTC midnight in ms; null when it is not a real calendar date. */
export function parseDay(text: string): number | null {
  if (!DATE_RE.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00.000Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return null;
  return ms;
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included (1 for a one-day range). */
export function spanDays(from: string, to: string): number {
  return Math.round(((parseDay(to) ?? 0) - (parseDay(from) ?? 0)) / DAY_MS) + 1;
}

/** The ISO time where the UTC day `day` starts, and where the day after `day` starts. */
export function dayStartIso(day: string): string {
  return `${day}T00:00:00.000Z`;
}
export function dayAfterIso(day: string): string {
  return new Date((parseDay(day) ?? 0) + DAY_MS).toISOString();
}

/** Every day of the range, oldest first. */
export function daysOf(from: string, to: string): string[] {
  const start = parseDay(from);
  const end = parseDay(to);
  if (start === null || end === null) return [];
  const out: string[] = [];
  for (let t = start; t <= end; t += DAY_MS) out.push(dayOf(t));
  return out;
}

/** ISO 8601 week of a day: `2021-01-03` → `2020-W53`, `2026-01-01` → `2026-W01`. */
export function isoWeek(day: string): string {
  const ms = parseDay(day) ?? 0;
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = ms + (3 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday - jan1) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function bucketOf(day: string, granularity: Granularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return day.slice(0, 7);
  return isoWeek(day);
}

export interface Bucket {
  key: string;
  /** First and last day of the bucket inside the range (a week or month at either end is cut to the range). */
  from: string;
  to: string;
  days: string[];
}

/** The range cut into buckets, oldest first; every bucket is listed, with or without data. */
export function bucketsOf(from: string, to: string, granularity: Granularity): Bucket[] {
  const out: Bucket[] = [];
  for (const day of daysOf(from, to)) {
    const key = bucketOf(day, granularity);
    const last = out[out.length - 1];
    if (last && last.key === key) {
      last.to = day;
      last.days.push(day);
    } else out.push({ key, from: day, to: day, days: [day] });
  }
  return out;
}

const IsoDay = z
  .string()
  .regex(DATE_RE, 'must be a date such as 2026-01-31 (a UTC day)')
  .refine((s) => parseDay(s) !== null, 'is not a calendar date');

/** `reports.pnl` input: a UTC day range (both ends included, at most MAX_REPORT_DAYS days) and a bucket size. */
export const pnlInputSchema = z
  .object({ from: IsoDay, to: IsoDay, granularity: z.enum(GRANULARITIES).default('day') })
  .strict()
  .refine((r) => parseDay(r.to)! >= parseDay(r.from)!, { message: 'must not be before from', path: ['to'] })
  .refine((r) => spanDays(r.from, r.to) <= MAX_REPORT_DAYS, {
    message: `a report covers at most ${MAX_REPORT_DAYS} days; choose a shorter range or report several ranges`,
    path: ['to'],
  });
