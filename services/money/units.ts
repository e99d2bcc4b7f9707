/**
 * Money units. Never floats.
 *  - Ledger amounts are integer **micro-USD** (µUSD, 1e-6 USD): $1.25 = 1_250_000.
 *  - Per-token prices are integer **pico-USD per token** (pUSD, 1e-12 USD), because cheap models
 *    cost fractions of a micro-dollar per token ($0.0000001/token = 100_000 pUSD).
 * Decimal strings (OpenRouter's "0.000003", the owner's "0.10") are parsed digit by digit.
 * JS numbers hold integers exactly up to 9e15: ample for µUSD balances (9 billion USD) and for
 * pUSD totals of one request (9,000 USD).
 */

export const MICRO_PER_USD = 1_000_000;
export const PICO_PER_MICRO = 1_000_000;

export class MoneyFormatError extends Error {
  override name = 'MoneyFormatError';
}

/**
 * Parses a non-negative decimal USD string (also "1e-7" style, as JSON numbers print) into an
 * integer number of 10^-scale units, rounding up any digits past the scale (in the business's
 * favour for prices; callers that want another rule truncate first).
 */
export function parseDecimal(text: string | number, scale: number): number {
  const raw = typeof text === 'number' ? numberToPlainString(text) : text.trim();
  const m = /^(\d*)(?:\.(\d*))?$/.exec(raw);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new MoneyFormatError(`not a decimal amount: "${String(text).slice(0, 40)}"`);
  const whole = m[1] || '0';
  const frac = m[2] ?? '';
  const kept = frac.slice(0, scale).padEnd(scale, '0');
  const rest = frac.slice(scale);
  let value = Number(whole) * 10 ** scale + Number(kept || '0');
  if (/[1-9]/.test(rest)) value += 1;
  if (!Number.isSafeInteger(value)) throw new MoneyFormatError(`amount too large: "${String(text).slice(0, 40)}"`);
  return value;
}

/** "12.5" → 12_500_000 µUSD. */
export function usdToMicro(text: string | number): number {
  return parseDecimal(text, 6);
}

/** OpenRouter per-token price "0.000003" → 3_000_000 pUSD/token. */
export function usdToPico(text: string | number): number {
  return parseDecimal(text, 12);
}

/** pUSD → µUSD, rounding up (a charge never rounds down to free). */
export function picoToMicroCeil(pico: number): number {
  return Math.ceil(pico / PICO_PER_MICRO);
}

/** 1_250_000 → "1.25"; -500 → "-0.0005". Exact. */
export function formatMicro(micro: number, minDecimals = 2): string {
  const sign = micro < 0 ? '-' : '';
  const abs = Math.abs(micro);
  const whole = Math.floor(abs / MICRO_PER_USD);
  let frac = String(abs % MICRO_PER_USD).padStart(6, '0').replace(/0+$/, '');
  if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, '0');
  return `${sign}${whole}${frac ? '.' + frac : ''}`;
}

/** "$1.25" */
export function formatUsd(micro: number): string {
  return (micro < 0 ? '-$' : '$') + formatMicro(Math.abs(micro));
}

/** Prints a JS number without exponent notation, so 1.2e-7 → "0.00000012". */
function numberToPlainString(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new MoneyFormatError(`not a non-negative finite amount: ${n}`);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  const [mantissa, expText] = s.toLowerCase().split('e') as [string, string];
  const exp = Number(expText);
  const [int, frac = ''] = mantissa.split('.') as [string, string?];
  const digits = int + frac;
  const point = int.length + exp;
  if (point <= 0) return '0.' + '0'.repeat(-point) + digits;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return digits.slice(0, point) + '.' + digits.slice(point);
}

/** 3_000_000 pUSD → "0.000003" (per-token prices in OpenAI/OpenRouter's decimal-string form). */
export function formatPico(pico: number): string {
  const whole = Math.floor(pico / 1e12);
  const frac = String(pico % 1e12).padStart(12, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}
