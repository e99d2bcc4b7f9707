/**
 * Exact decimal strings for rates. Prices arrive as decimal text (the owner's "60000", Binance's
 * "67187.33000000") or as JSON numbers (CoinGecko's 67187.33). A JSON number is turned back into
 * text through its shortest round-trip form (String(n)), which is the literal the API printed
 * for any price with up to 15 significant digits; it never goes through arithmetic.
 */

export class RateError extends Error {
  override name = 'RateError';
}

const PLAIN = /^(\d+)(?:\.(\d*))?$/;

/** "060000.50" → "60000.5"; refuses signs, exponents, commas and zero. */
export function normalizeRate(text: string, what: string): string {
  const m = PLAIN.exec(text.trim());
  if (!m) throw new RateError(`${what}: "${text.slice(0, 40)}" is not a plain decimal number such as 60000 or 1.0001`);
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 18) throw new RateError(`${what}: "${text.slice(0, 40)}" has more than 18 decimals`);
  const out = frac ? `${whole}.${frac}` : whole;
  if (!/[1-9]/.test(out)) throw new RateError(`${what}: the rate must be more than zero`);
  return out;
}

/** A positive finite JSON number → exact decimal text of its shortest representation (1.2e-7 → "0.00000012"). */
export function numberToRate(n: unknown, what: string): string {
  if (typeof n === 'string') return normalizeRate(n, what);
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new RateError(`${what}: expected a positive price, got ${JSON.stringify(n)?.slice(0, 40)}`);
  const s = String(n).toLowerCase();
  if (!s.includes('e')) return normalizeRate(s, what);
  const [mantissa, expText] = s.split('e') as [string, string];
  const exp = Number(expText);
  const [int, frac = ''] = mantissa.split('.') as [string, string?];
  const digits = int + frac;
  const point = int.length + exp;
  const plain =
    point <= 0 ? '0.' + '0'.repeat(-point) + digits : point >= digits.length ? digits + '0'.repeat(point - digits.length) : digits.slice(0, point) + '.' + digits.slice(point);
  return normalizeRate(plain, what);
}
