/**
 * Exact conversions between USD (integer µUSD) and crypto base units (bigint sats, wei, token
 * units) at a decimal rate ("60000", "1.0001" USD per whole coin). No floats anywhere.
 *
 *  - price → amount to ask: rounded UP, so the customer always pays at least the price;
 *  - amount received → µUSD to credit: rounded DOWN, so a credit never exceeds what arrived.
 */

export class AmountError extends Error {
  override name = 'AmountError';
}

/** A positive decimal as an integer over a power of ten: "1.25" → { units: 125n, scale: 2 }. */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Parses a plain non-negative decimal string ("60000", "0.5", "1.0001") exactly. No signs, no exponents. */
export function parseExactDecimal(text: string, what = 'amount'): ExactDecimal {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new AmountError(`${what} "${text.slice(0, 40)}" is not a plain decimal number such as 60000 or 1.0001`);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 36) throw new AmountError(`${what} "${text.slice(0, 40)}" has more than 36 decimals`);
  return { units: BigInt((m[1] ?? '0') + frac), scale: frac.length };
}

/** A rate in USD per whole unit; must be more than zero. */
export function parseRate(usdPerUnit: string): ExactDecimal {
  const rate = parseExactDecimal(usdPerUnit, 'rate');
  if (rate.units <= 0n) throw new AmountError(`rate "${usdPerUnit}" must be more than zero`);
  return rate;
}

function checkDecimals(decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36) throw new AmountError(`decimals must be a whole number from 0 to 36, got ${decimals}`);
  return 10n ** BigInt(decimals);
}

function toBigIntMicro(usdMicro: number | bigint): bigint {
  if (typeof usdMicro === 'number' && !Number.isSafeInteger(usdMicro)) throw new AmountError(`µUSD amount must be a whole number, got ${usdMicro}`);
  const v = BigInt(usdMicro);
  if (v < 0n) throw new AmountError(`µUSD amount must not be negative, got ${v}`);
  return v;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/**
 * The amount to ask for a price: µUSD at `usdPerUnit` USD per whole coin, in base units with
 * `decimals` decimals, rounded UP. usdToBaseUnitsCeil(10_000_000, "60000", 8) = 16_667n sats for $10.
 */
export function usdToBaseUnitsCeil(usdMicro: number | bigint, usdPerUnit: string, decimals: number): bigint {
  const micro = toBigIntMicro(usdMicro);
  const rate = parseRate(usdPerUnit);
  const unit = checkDecimals(decimals);
  // base = micro / 1e6 / (rate.units / 10^scale) * unit
  return ceilDiv(micro * unit * 10n ** BigInt(rate.scale), rate.units * 1_000_000n);
}

/**
 * The µUSD a received amount is worth at the invoice's locked rate, rounded DOWN.
 * Returned as a JS number (the ledger's µUSD type); throws past Number.MAX_SAFE_INTEGER.
 */
export function baseUnitsToUsdMicroFloor(amountBase: bigint, usdPerUnit: string, decimals: number): number {
  if (amountBase < 0n) throw new AmountError(`amount must not be negative, got ${amountBase}`);
  const rate = parseRate(usdPerUnit);
  const unit = checkDecimals(decimals);
  const micro = (amountBase * rate.units * 1_000_000n) / (unit * 10n ** BigInt(rate.scale));
  if (micro > BigInt(Number.MAX_SAFE_INTEGER)) throw new AmountError(`amount worth ${micro} µUSD is too large`);
  return Number(micro);
}

/** 123_456n with 8 decimals → "0.00123456"; 100_000_000n → "1". Exact; trailing zeros dropped. */
export function formatBaseUnits(amountBase: bigint, decimals: number): string {
  const unit = checkDecimals(decimals);
  const sign = amountBase < 0n ? '-' : '';
  const abs = amountBase < 0n ? -amountBase : amountBase;
  const whole = abs / unit;
  const frac = decimals === 0 ? '' : (abs % unit).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${sign}${whole}${frac ? '.' + frac : ''}`;
}

/** "0.00123456" with 8 decimals → 123_456n. Refuses more decimals than the asset has (no silent rounding). */
export function parseBaseUnits(text: string, decimals: number): bigint {
  const unit = checkDecimals(decimals);
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new AmountError(`"${text.slice(0, 40)}" is not a plain decimal amount`);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) throw new AmountError(`"${text.slice(0, 40)}" has more than ${decimals} decimals`);
  return BigInt(m[1] ?? '0') * unit + BigInt(frac.padEnd(decimals, '0') || '0');
}
