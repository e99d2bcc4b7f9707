/**
 * Formatting for the Proxy screen. Money is integer micro-USD; the exact formatter (bigint
 * arithmetic only) lives in components/format.ts and is re-exported here.
 */
import { formatCount, formatUsd, groupThousands } from '../../components/format';

export { formatCount, formatUsd };

const MINUS = '\u2212';

function toMicro(micro: number): bigint {
  if (!Number.isFinite(micro)) return 0n;
  return BigInt(Math.round(micro));
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
