/**
 * What a customer pays per token, and per request.
 *
 *   customer price per token = upstream price × (10 000 + markup bps) / 10 000, rounded UP to a
 *   whole pUSD (1e-12 USD) — the business never sells a token below the markup it set.
 *
 * Per-model overrides beat the global markup: a model-specific markup, or a fixed customer price
 * per prompt/completion token. A model with no upstream price (plain OpenAI-compatible
 * upstream) and no fixed override is not for sale: customerPrice() returns null.
 */
import type { ModelPrice } from '../upstream/catalog.js';
import type { UpstreamModel } from '../upstream/models.js';
import { PICO_PER_MICRO, usdToMicro } from '../money/units.js';
import { mulCeilDiv, sumProductsCeilDiv } from './integer-math.js';
import { BPS_PER_UNIT, percentToBps, type PricingSettings } from './settings.js';
import { z } from 'zod';

export type PriceOverride =
  /** This model's own markup instead of the global one. */
  | { kind: 'markup'; markupBps: number }
  /** A fixed customer price, pUSD per token (and per request), whatever the upstream charges. */
  | { kind: 'fixed'; promptPico: number; completionPico: number; requestPico?: number };

/** Overrides by model id. */
export type PriceOverrides = ReadonlyMap<string, PriceOverride>;

export interface CustomerPrice {
  model: string;
  /** Customer price per prompt token, pUSD. */
  promptPico: number;
  /** Customer price per completion token, pUSD. */
  completionPico: number;
  /** Customer fee per request, pUSD (the upstream's per-request fee, marked up). Usually 0. */
  requestPico: number;
  source: 'markup' | 'model-markup' | 'fixed';
  /** The markup applied, bps; null for a fixed price. */
  markupBps: number | null;
  /** The upstream's price (our cost), or null when the upstream does not publish one. */
  upstream: ModelPrice | null;
  /** A fixed override priced under the upstream's cost (the owner should know). */
  belowCost: boolean;
}

/** A model the catalog does not list (only a fixed override can sell it). */
export interface ModelRef {
  id: string;
}

export function customerPrice(model: UpstreamModel | ModelRef, settings: PricingSettings, overrides?: PriceOverrides): CustomerPrice | null {
  const upstream: ModelPrice | null =
    'priced' in model && model.priced ? { promptPico: model.promptPico, completionPico: model.completionPico, requestMicro: model.requestMicro } : null;
  const override = overrides?.get(model.id);
  if (override?.kind === 'fixed') {
    const requestPico = override.requestPico ?? 0;
    const belowCost =
      upstream !== null &&
      (override.promptPico < upstream.promptPico || override.completionPico < upstream.completionPico || requestPico < upstream.requestMicro * PICO_PER_MICRO);
    return { model: model.id, promptPico: override.promptPico, completionPico: override.completionPico, requestPico, source: 'fixed', markupBps: null, upstream, belowCost };
  }
  if (!upstream) return null;
  const markupBps = override?.kind === 'markup' ? override.markupBps : settings.markupBps;
  return {
    model: model.id,
    promptPico: markUp(upstream.promptPico, markupBps),
    completionPico: markUp(upstream.completionPico, markupBps),
    requestPico: markUp(upstream.requestMicro * PICO_PER_MICRO, markupBps),
    source: override?.kind === 'markup' ? 'model-markup' : 'markup',
    markupBps,
    upstream,
    belowCost: false,
  };
}

/** amount × (1 + bps/10 000), rounded up. */
export function markUp(amount: number, markupBps: number): number {
  return mulCeilDiv(amount, BPS_PER_UNIT + markupBps, BPS_PER_UNIT);
}

/** The charge for a finished request, µUSD, rounded up (a charge never rounds down to free). */
export function chargeMicro(price: CustomerPrice, promptTokens: number, completionTokens: number): number {
  return sumProductsCeilDiv([[promptTokens, price.promptPico], [completionTokens, price.completionPico]], price.requestPico, PICO_PER_MICRO);
}

/** The most a request can cost: what to reserve before forwarding it. */
export function maxChargeMicro(price: CustomerPrice, estimatedPromptTokens: number, maxTokens: number): number {
  return chargeMicro(price, estimatedPromptTokens, maxTokens);
}

/** What the upstream will charge us for these tokens at its list price, µUSD rounded up; null if unknown. */
export function upstreamCostMicro(price: CustomerPrice, promptTokens: number, completionTokens: number): number | null {
  const u = price.upstream;
  if (!u) return null;
  return sumProductsCeilDiv([[promptTokens, u.promptPico], [completionTokens, u.completionPico]], u.requestMicro * PICO_PER_MICRO, PICO_PER_MICRO);
}

/**
 * The charge once the upstream reported usage. Token price × tokens, but for marked-up prices
 * never less than the upstream's reported cost × (1 + markup): the upstream may bill things the
 * token counts do not show (images, web search, per-request fees), and we must not sell those
 * at a loss. A fixed price is a promise to the customer, so it is charged by tokens only.
 */
export function settleChargeMicro(
  price: CustomerPrice,
  usage: { promptTokens: number; completionTokens: number; costMicro: number | null; costPico?: number | null },
): number {
  const byTokens = chargeMicro(price, usage.promptTokens, usage.completionTokens);
  if (price.markupBps === null) return byTokens;
  // Marked up exactly, rounded once at the end: a cost of 1.05 µUSD at 30 % is 1.365 → 2 µUSD,
  // not the µUSD-rounded 2 × 1.3 → 3.
  const costPico = usage.costPico ?? (usage.costMicro === null ? null : usage.costMicro * PICO_PER_MICRO);
  if (costPico === null) return byTokens;
  return Math.max(byTokens, mulCeilDiv(costPico, BPS_PER_UNIT + price.markupBps, BPS_PER_UNIT * PICO_PER_MICRO));
}

/**
 * Owner input for an override, as typed in a form or a CLI flag: a markup in percent, or USD per
 * million tokens as decimal strings ("3.75" per 1M prompt tokens). Exact: $3.75 per 1M tokens is
 * 3 750 000 pUSD per token.
 */
export const priceOverrideInputSchema = z.union([
  z.strictObject({ markupPercent: z.number().min(0, 'must be 0 or more').max(1000, 'must be at most 1000') }),
  z.strictObject({
    promptUsdPerMillion: z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, 'must be a decimal USD amount such as 3.75'),
    completionUsdPerMillion: z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, 'must be a decimal USD amount such as 15'),
    requestUsd: z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, 'must be a decimal USD amount such as 0.005').optional(),
  }),
]);
export type PriceOverrideInput = z.infer<typeof priceOverrideInputSchema>;

export function priceOverrideFromInput(input: PriceOverrideInput): PriceOverride {
  if ('markupPercent' in input) return { kind: 'markup', markupBps: percentToBps(input.markupPercent, 'up') };
  // USD per 1M tokens at 6 decimals = µUSD per 1M tokens = pUSD per token.
  return {
    kind: 'fixed',
    promptPico: usdToMicro(input.promptUsdPerMillion),
    completionPico: usdToMicro(input.completionUsdPerMillion),
    requestPico: input.requestUsd ? usdToMicro(input.requestUsd) * PICO_PER_MICRO : 0,
  };
}

/** pUSD per token → "USD per 1M tokens" string, exact: 3 750 000 → "3.75". */
export function picoToUsdPerMillion(pico: number): string {
  const whole = Math.floor(pico / 1_000_000);
  const frac = String(pico % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}
