/**
 * Package prices.
 *
 * A token package sells `tokens` usable for prompt or completion, so it is priced at the model's
 * BLENDED customer price: the average of the prompt and completion prices per token, rounded up
 * to a whole pUSD. (Completion tokens usually cost 2–5× prompt tokens; the average assumes a
 * mixed use. Owners selling mostly long outputs can set a per-model override.)
 *
 *   1. base   = tokens × blended customer price, rounded UP to µUSD
 *   2. bulk   = packages with tokens ≥ bulkThresholdTokens: base × (1 − discount), rounded UP
 *   3. floor  = tokens × blended upstream price (our cost, rounded UP) + minimum profit;
 *               the price is raised to the floor if it is below — the bulk discount can never
 *               push a sale under cost + minimum profit. No floor when the cost is unknown.
 *   4. price  = rounded UP to a whole cent, so customers see prices like $3.75, not $3.750001.
 * Every rounding goes up: in the business's favour, by at most one unit of the step.
 *
 * A credit package costs exactly its credit (the markup is earned when the credit is spent).
 * Per-request upstream fees are not part of a token package's price.
 */
import type { ModelChange, ModelPrice } from '../upstream/catalog.js';
import type { UpstreamModel } from '../upstream/models.js';
import { PICO_PER_MICRO } from '../money/units.js';
import { customerPrice, type CustomerPrice, type ModelRef, type PriceOverrides } from './customer-price.js';
import { ceilDiv, ceilTo, mulCeilDiv } from './integer-math.js';
import type { PackageSpec } from './package-spec.js';
import { BPS_PER_UNIT, type PricingSettings } from './settings.js';

/** Package prices are rounded up to whole cents. */
export const PACKAGE_PRICE_STEP_MICRO = 10_000;

export interface PackageQuote {
  /** What the customer pays, µUSD (a whole number of cents for token packages). */
  priceMicro: number;
  /** Our upstream cost if every token is used at the blended upstream price; null if unknown. */
  upstreamCostMicro: number | null;
  /** priceMicro − upstreamCostMicro; null if the cost is unknown. */
  profitMicro: number | null;
  /** tokens × blended customer price, before discount and floor. */
  basePriceMicro: number;
  /** Blended customer price per token, pUSD. */
  blendedPico: number;
  /** Cost + minimum profit; null if the cost is unknown. */
  floorMicro: number | null;
  bulkDiscountApplied: boolean;
  /** The price was raised to the floor (minimum profit rule). */
  minProfitApplied: boolean;
}

/** Quote for a token package at a given customer price. */
export function quoteTokenPackage(tokens: number, price: CustomerPrice, settings: PricingSettings): PackageQuote {
  const blendedPico = ceilDiv(price.promptPico + price.completionPico, 2);
  const basePriceMicro = mulCeilDiv(tokens, blendedPico, PICO_PER_MICRO);
  const upstreamCostMicro = price.upstream ? mulCeilDiv(tokens, blendedUpstreamPico(price.upstream), PICO_PER_MICRO) : null;
  const floorMicro = upstreamCostMicro === null ? null : upstreamCostMicro + settings.minProfitMicro;

  let amount = basePriceMicro;
  const bulkDiscountApplied = settings.bulkDiscountBps > 0 && tokens >= settings.bulkThresholdTokens;
  if (bulkDiscountApplied) amount = mulCeilDiv(amount, BPS_PER_UNIT - settings.bulkDiscountBps, BPS_PER_UNIT);
  let minProfitApplied = false;
  if (floorMicro !== null && amount < floorMicro) {
    amount = floorMicro;
    minProfitApplied = true;
  }
  const priceMicro = ceilTo(amount, PACKAGE_PRICE_STEP_MICRO);
  return {
    priceMicro,
    upstreamCostMicro,
    profitMicro: upstreamCostMicro === null ? null : priceMicro - upstreamCostMicro,
    basePriceMicro,
    blendedPico,
    floorMicro,
    bulkDiscountApplied,
    minProfitApplied,
  };
}

/**
 * Quote for any package against the current catalog entry of its model (undefined = not listed).
 * Null when a token package's model is not for sale (no upstream price and no fixed override).
 */
export function quotePackage(spec: PackageSpec, model: UpstreamModel | undefined, settings: PricingSettings, overrides?: PriceOverrides): PackageQuote | null {
  if (spec.kind === 'credit') {
    return {
      priceMicro: spec.creditMicro,
      upstreamCostMicro: null,
      profitMicro: null,
      basePriceMicro: spec.creditMicro,
      blendedPico: 0,
      floorMicro: null,
      bulkDiscountApplied: false,
      minProfitApplied: false,
    };
  }
  const price = customerPrice(model ?? ({ id: spec.model } satisfies ModelRef), settings, overrides);
  return price ? quoteTokenPackage(spec.tokens, price, settings) : null;
}

/** A package as stored by the host: its definition and the price it is currently sold at. */
export interface StoredPackage {
  id: string | number;
  spec: PackageSpec;
  /** Current price, µUSD; null while not for sale. */
  priceMicro: number | null;
}

export interface PackageRepricing {
  id: string | number;
  model: string;
  tokens: number;
  beforeMicro: number | null;
  /** New price; null = no longer for sale (model gone or without a price). */
  afterMicro: number | null;
  quote: PackageQuote | null;
}

/**
 * Recomputes token-package prices against `lookup` (the catalog after a change, or after the
 * owner changed a pricing setting) and returns only the packages whose price changed — what the
 * host stores and logs as `pricing.package_repriced`. `onlyModels` limits it to those models.
 */
export function repricePackages(
  packages: readonly StoredPackage[],
  lookup: (modelId: string) => UpstreamModel | undefined,
  settings: PricingSettings,
  overrides?: PriceOverrides,
  onlyModels?: ReadonlySet<string>,
): PackageRepricing[] {
  const out: PackageRepricing[] = [];
  for (const pkg of packages) {
    if (pkg.spec.kind !== 'tokens') continue;
    if (onlyModels && !onlyModels.has(pkg.spec.model)) continue;
    const quote = quotePackage(pkg.spec, lookup(pkg.spec.model), settings, overrides);
    const afterMicro = quote ? quote.priceMicro : null;
    if (afterMicro !== pkg.priceMicro) {
      out.push({ id: pkg.id, model: pkg.spec.model, tokens: pkg.spec.tokens, beforeMicro: pkg.priceMicro, afterMicro, quote });
    }
  }
  return out;
}

/** repricePackages for the models in a catalog change list, using the prices in the changes. */
export function repriceForChanges(
  packages: readonly StoredPackage[],
  changes: readonly ModelChange[],
  settings: PricingSettings,
  overrides?: PriceOverrides,
): PackageRepricing[] {
  const after = new Map(changes.map((c) => [c.id, c.after]));
  const lookup = (id: string): UpstreamModel | undefined => {
    const price = after.get(id);
    return price ? modelWithPrice(id, price) : undefined;
  };
  return repricePackages(packages, lookup, settings, overrides, new Set(after.keys()));
}

function modelWithPrice(id: string, price: ModelPrice): UpstreamModel {
  return { id, name: id, contextLength: null, maxCompletionTokens: null, priced: true, ...price };
}

function blendedUpstreamPico(price: ModelPrice): number {
  return ceilDiv(price.promptPico + price.completionPico, 2);
}
