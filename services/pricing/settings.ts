/**
 * The owner's pricing settings in integer form. Percentages become basis points (1 % = 100 bps,
 * so 25 % → 2500 and 12.5 % → 1250); the minimum profit becomes µUSD. Parsing goes through the
 * decimal string of the number, so 12.5 is exactly 1250, never 1249.9999.
 * A percentage with finer precision than 0.01 % is rounded in the business's favour: markup up,
 * discount down.
 */
import type { Settings } from '../config/schema.js';
import { usdToMicro } from '../money/units.js';

export interface PricingSettings {
  /** Markup over the upstream price, basis points (2500 = 25 %). */
  markupBps: number;
  /** Minimum profit per package sale, µUSD. */
  minProfitMicro: number;
  /** Packages with at least this many tokens get the bulk discount. */
  bulkThresholdTokens: number;
  /** Bulk discount, basis points (500 = 5 %). */
  bulkDiscountBps: number;
}

export const BPS_PER_UNIT = 10_000;

export type PricingSettingKeys = 'pricing.markupPercent' | 'pricing.minProfitUsd' | 'pricing.bulkDiscountThresholdTokens' | 'pricing.bulkDiscountPercent';

export function pricingSettingsFrom(settings: Pick<Settings, PricingSettingKeys>): PricingSettings {
  return {
    markupBps: percentToBps(settings['pricing.markupPercent'], 'up'),
    minProfitMicro: usdToMicro(settings['pricing.minProfitUsd']),
    bulkThresholdTokens: settings['pricing.bulkDiscountThresholdTokens'],
    bulkDiscountBps: Math.min(BPS_PER_UNIT, percentToBps(settings['pricing.bulkDiscountPercent'], 'down')),
  };
}

/** 25 → 2500, 12.5 → 1250, 0.005 → 1 (up) or 0 (down). Negative or non-finite throws. */
export function percentToBps(percent: number, round: 'up' | 'down'): number {
  if (!Number.isFinite(percent) || percent < 0) throw new RangeError(`not a valid percentage: ${percent}`);
  const text = plainDecimal(percent);
  const [whole, frac = ''] = text.split('.') as [string, string?];
  const kept = Number(whole) * 100 + Number(frac.slice(0, 2).padEnd(2, '0'));
  const dropped = /[1-9]/.test(frac.slice(2));
  return dropped && round === 'up' ? kept + 1 : kept;
}

/** A non-negative finite number without exponent notation. */
function plainDecimal(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // Below 1e-6 only (percentages are at most 1000): far under 1 bps.
  return n === 0 ? '0' : '0.000000000001';
}
