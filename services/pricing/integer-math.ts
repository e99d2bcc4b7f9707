/**
 * Integer arithmetic for prices. Products of a token count and a pUSD price can pass 2^53 for
 * very large packages, so these switch to BigInt when a Number would lose digits, and refuse
 * (throw) a result that does not fit a safe integer rather than return a wrong amount.
 */

/** ceil(n / d) for non-negative safe integers n and positive d. */
export function ceilDiv(n: number, d: number): number {
  const rest = n % d;
  return (n - rest) / d + (rest > 0 ? 1 : 0);
}

/** ceil((Σ aᵢ·bᵢ + extra) / d), exact for any non-negative safe integer inputs. */
export function sumProductsCeilDiv(pairs: readonly (readonly [number, number])[], extra: number, d: number): number {
  let sum = extra;
  let safe = true;
  for (const [a, b] of pairs) {
    const p = a * b;
    sum += p;
    if (!Number.isSafeInteger(p) || !Number.isSafeInteger(sum)) {
      safe = false;
      break;
    }
  }
  if (safe) return ceilDiv(sum, d);
  let big = BigInt(extra);
  for (const [a, b] of pairs) big += BigInt(a) * BigInt(b);
  const D = BigInt(d);
  const q = big / D + (big % D > 0n ? 1n : 0n);
  return toSafe(q);
}

/** ceil(a · b / d). */
export function mulCeilDiv(a: number, b: number, d: number): number {
  return sumProductsCeilDiv([[a, b]], 0, d);
}

/** Rounds up to a multiple of `step` (e.g. whole cents = 10 000 µUSD). */
export function ceilTo(n: number, step: number): number {
  return step <= 1 ? n : ceilDiv(n, step) * step;
}

function toSafe(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError('amount too large for exact arithmetic');
  return n;
}
