/** Small, pure formatters for times and durations shown in the UI. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `03:04:05.006` in local time; the raw text when it is not a date. */
export function formatClock(iso: string, withMs = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const base = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return withMs ? `${base}.${pad(date.getMilliseconds(), 3)}` : base;
}

/** `2 d 3 h`, `3 h 4 min`, `5 min 3 s`, `12 s` — two units at most. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}

/** `just now`, `12 s ago`, `5 min ago`, `3 h 4 min ago`: a past time relative to `now` (ms). */
export function formatAgo(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((now - t) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${formatDuration(seconds)} ago`;
}

/** Local date and time for tooltips: `2024-01-02 03:04:05`. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${formatClock(iso)}`;
}

// ---------------------------------------------------------------------------------------------
// Money. Integer micro-USD formatted with integer (bigint) arithmetic only: 1_250_000 → "$1.25",
// 123 → "$0.000123". No float ever touches a money amount, so what is shown is exactly what the
// ledger holds (or rounded to the cent by an explicit rule, never by binary floating point).

const MICRO_PER_USD = 1_000_000n;
const MICRO_PER_CENT = 10_000n;
const MINUS = '\u2212';

function toMicro(micro: number | bigint): bigint {
  if (typeof micro === 'bigint') return micro;
  // The contract promises integers; anything else is shown as its nearest whole micro-dollar.
  if (!Number.isFinite(micro)) return 0n;
  return BigInt(Math.round(micro));
}

export function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * `exact` (default): every non-zero micro-dollar digit, at least two decimals —
 * "$1.25", "$1.234567", "$0.000123", "$12,345.00".
 * `cents`: rounded to the cent (half away from zero) — "$1.23" — except that an amount under
 * one cent is shown exactly ("$0.000123") rather than as "$0.00".
 */
export function formatUsd(micro: number | bigint, mode: 'exact' | 'cents' = 'exact'): string {
  let value = toMicro(micro);
  const negative = value < 0n;
  if (negative) value = -value;
  if (mode === 'cents' && value >= MICRO_PER_CENT) {
    value = ((value + MICRO_PER_CENT / 2n) / MICRO_PER_CENT) * MICRO_PER_CENT;
  }
  const whole = value / MICRO_PER_USD;
  let fraction = (value % MICRO_PER_USD).toString().padStart(6, '0').replace(/0+$/, '');
  if (fraction.length < 2) fraction = fraction.padEnd(2, '0');
  return `${negative && value !== 0n ? MINUS : ''}$${groupThousands(whole.toString())}.${fraction}`;
}

/** A count with thousands separators: 12,345. */
export function formatCount(n: number): string {
  return groupThousands(String(Math.round(n)));
}


/** A change of money with its sign always shown: "+$5.00", "−$2.50", "$0.00". */
export function formatSignedUsd(micro: number | bigint, mode: 'exact' | 'cents' = 'exact'): string {
  return toMicro(micro) > 0n ? `+${formatUsd(micro, mode)}` : formatUsd(micro, mode);
}

/** Local date only: `2024-01-02`; the raw text when it is not a date. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
