/** Reading what the owner types into the customer page's forms, exactly. Pure. */
import { formatCount } from '../../components/format';

/**
 * Reading a USD amount typed by the owner, exactly: "25", "2.50", "$1,250.00", "-3.5" → micro-USD
 * as a bigint, plus the decimal string the contract takes. Same limits as the contract (up to
 * 9 whole digits and 6 decimals, not zero), so what passes here the host accepts.
 */

export type UsdInput = { ok: true; micro: bigint; usd: string } | { ok: false; message: string };

const MINUS_SIGNS = /^[-\u2212]/;

export function parseUsdInput(text: string, options: { signed?: boolean } = {}): UsdInput {
  let s = text.trim().replace(/\s+/g, '');
  let negative = false;
  if (MINUS_SIGNS.test(s)) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) {
    s = s.slice(1);
  }
  if (s.startsWith('$')) s = s.slice(1);
  if (s === '') return { ok: false, message: 'Enter an amount in USD, such as 25 or 2.50.' };
  if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) s = s.replace(/,/g, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return { ok: false, message: `“${text.trim()}” is not an amount in USD (use digits and a dot, such as 2.50).` };
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (whole.length > 9) return { ok: false, message: 'That is more than 999,999,999 USD.' };
  if (fraction.length > 6) return { ok: false, message: 'USD amounts have at most 6 decimals (one micro-dollar).' };
  const micro = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0') || '0');
  if (micro === 0n) return { ok: false, message: 'The amount must not be zero.' };
  if (negative && !options.signed) return { ok: false, message: 'Enter a positive amount.' };
  const usd = `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
  return { ok: true, micro: negative ? -micro : micro, usd };
}

/** "1,000,000", "1000000", "1 000 000" → a positive integer up to `max`; anything else is an error saying why. */
export function parseWholeNumber(text: string, what: string, max: number): { ok: true; value: number } | { ok: false; message: string } {
  const s = text.trim().replace(/[,_\s]/g, '');
  if (!/^\d+$/.test(s)) return { ok: false, message: `Enter ${what} as a whole number.` };
  const n = Number(s);
  if (n <= 0) return { ok: false, message: `${what.charAt(0).toUpperCase()}${what.slice(1)} must be more than zero.` };
  if (n > max) return { ok: false, message: `At most ${formatCount(max)}.` };
  return { ok: true, value: n };
}
