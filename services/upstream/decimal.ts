/**
 * Exact conversions of the upstream's USD amounts (JSON numbers such as 4.8984355238 or
 * 1.2e-7, or decimal strings) to integer µUSD, in the direction the caller names.
 * services/money/units.ts rounds up (right for costs: a charge never rounds down to free);
 * balances we *have* round down instead, so a credit alert never overstates what is left.
 */
import { MoneyFormatError, parseDecimal, usdToMicro } from '../money/units.js';

/** USD → µUSD rounded up (costs). Negative amounts are refused. */
export function usdToMicroCeil(value: string | number): number {
  return usdToMicro(value);
}

/** Signed USD → µUSD rounded down (toward −∞): balances and remaining limits. */
export function usdToMicroFloor(value: string | number): number {
  const text = plain(value);
  if (text.startsWith('-')) return -usdToMicro(text.slice(1)); // ceil of |x| = floor of −|x|
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) throw new MoneyFormatError(`not a decimal amount: "${text.slice(0, 40)}"`);
  const frac = (m[2] ?? '').slice(0, 6); // drop digits past µUSD: truncation = floor for x ≥ 0
  return parseDecimal(`${m[1] || '0'}.${frac}`, 6);
}

/** A JSON number or string as a plain decimal string (no exponent), or throws. */
function plain(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyFormatError(`not a finite amount: ${value}`);
    const s = String(value);
    if (!/e/i.test(s)) return s;
    // JS prints exponents only below 1e-6 or from 1e21: the first floors to 0 µUSD (or −1 for
    // negatives), the second is far beyond any balance here.
    if (/e-/i.test(s)) return value < 0 ? '-0.000001' : '0';
    throw new MoneyFormatError(`amount too large: ${s}`);
  }
  const t = value.trim();
  if (/e/i.test(t)) return plain(Number(t));
  return t;
}
