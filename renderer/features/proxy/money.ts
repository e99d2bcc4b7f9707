/**
 * Formatting for the Proxy screen. Money is integer micro-USD and is formatted with integer
 * (bigint) arithmetic only: 1_250_000 → "$1.25", 123 → "$0.000123". No float ever touches a
 * money amount, so what is shown is exactly what the ledger holds (or rounded to the cent by
 * an explicit rule, never by binary floating point).
 */

const MICRO_PER_USD = 1_000_000n;
const MICRO_PER_CENT = 10_000n;
const MINUS = '\u2212';

function toMicro(micro: number): bigint {
  // The contract promises integers; anything else is shown as its nearest whole micro-dollar.
  if (!Number.isFinite(micro)) return 0n;
  return BigInt(Math.round(micro));
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * `exact` (default): every non-zero micro-dollar digit, at least two decimals —
 * "$1.25", "$1.234567", "$0.000123", "$12,345.00".
 * `cents`: rounded to the cent (half away from zero) — "$1.23" — except that an amount under
 * one cent is shown exactly ("$0.000123") rather than as "$0.00".
 */
export function formatUsd(micro: number, mode: 'exact' | 'cents' = 'exact'): string {
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

/** Profit as a share of what was charged, to a tenth of a percent ("35.0 %"); "—" when nothing was charged. */
export function formatMargin(profitMicro: number, chargedMicro: number): string {
  const charged = toMicro(chargedMicro);
  if (charged === 0n) return '—';
  const profit = toMicro(profitMicro);
  const negative = profit < 0n !== charged < 0n && profit !== 0n;
  const p = profit < 0n ? -profit : profit;
  const c = charged < 0n ? -charged : charged;
  // Tenths of a percent, rounded half up: (p / c) · 1000.
  const tenths = (2n * p * 1000n + c) / (2n * c);
  const text = `${groupThousands((tenths / 10n).toString())}.${tenths % 10n} %`;
  return negative && tenths !== 0n ? `${MINUS}${text}` : text;
}

/** A count with thousands separators: 12,345. */
export function formatCount(n: number): string {
  return groupThousands(String(Math.round(n)));
}

/** Requests per second: one decimal under 10, whole numbers above ("0.4", "12", "1,003"). */
export function formatRate(perSecond: number): string {
  if (!(perSecond > 0)) return '0';
  const tenths = Math.round(perSecond * 10) / 10;
  return tenths < 10 ? tenths.toFixed(1) : formatCount(perSecond);
}

/** "412 ms", "1.25 s", "12.5 s"; "—" when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A 0–1 ratio as "12.5 %", "<0.1 %" for tiny non-zero ratios, "—" when unknown. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  if (ratio > 0 && ratio < 0.0005) return '<0.1 %';
  return `${(ratio * 100).toFixed(1)} %`;
}
