/**
 * "What if": the prices the owner would get with another markup or other per-model overrides,
 * computed by the very functions that price for real (customerPrice, quotePackage), so the
 * preview on the Packages screen and the prices after Save cannot disagree. Nothing is stored.
 */
import type { ModelPriceView, PackagePricePreview, PackageView } from '../contract-views.js';
import type { UpstreamModel } from '../upstream/models.js';
import { customerPrice, priceOverrideFromInput, type PriceOverride, type PriceOverrideInput, type PriceOverrides } from './customer-price.js';
import { quotePackage } from './package-price.js';
import { percentToBps, type PricingSettings } from './settings.js';

export interface PricingChanges {
  /** A new global markup, percent (as the `pricing.markupPercent` setting holds it). */
  markupPercent?: number | undefined;
  /** Per-model changes: an override to set, or null to remove the model's override. */
  overrides?: Record<string, PriceOverrideInput | null> | undefined;
}

/** One model's row: upstream cost, the customer's price under `settings` + `overrides`, the margin. */
export function modelPriceView(model: UpstreamModel, settings: PricingSettings, overrides: PriceOverrides): ModelPriceView {
  const price = customerPrice(model, settings, overrides);
  return {
    id: model.id,
    name: model.name,
    upstreamPromptPico: model.priced ? model.promptPico : null,
    upstreamCompletionPico: model.priced ? model.completionPico : null,
    customerPromptPico: price?.promptPico ?? null,
    customerCompletionPico: price?.completionPico ?? null,
    source: price?.source ?? null,
    markupBps: price?.markupBps ?? null,
    belowCost: price?.belowCost ?? false,
    forSale: price !== null,
    contextLength: model.contextLength,
    maxCompletionTokens: model.maxCompletionTokens,
    hasOverride: overrides.has(model.id),
  };
}

/** The settings and overrides that would be in force after the changes. */
export function applyPricingChanges(settings: PricingSettings, overrides: PriceOverrides, changes: PricingChanges): { settings: PricingSettings; overrides: PriceOverrides } {
  const nextSettings = changes.markupPercent === undefined ? settings : { ...settings, markupBps: percentToBps(changes.markupPercent, 'up') };
  const nextOverrides = new Map<string, PriceOverride>(overrides);
  for (const [model, input] of Object.entries(changes.overrides ?? {})) {
    if (input === null) nextOverrides.delete(model);
    else nextOverrides.set(model, priceOverrideFromInput(input));
  }
  return { settings: nextSettings, overrides: nextOverrides };
}

/** Model and package prices under the changes; the models sorted by id. */
export function previewPrices(
  models: readonly UpstreamModel[],
  packages: readonly PackageView[],
  lookup: (modelId: string) => UpstreamModel | undefined,
  current: { settings: PricingSettings; overrides: PriceOverrides },
  changes: PricingChanges,
): { models: ModelPriceView[]; packages: PackagePricePreview[] } {
  const next = applyPricingChanges(current.settings, current.overrides, changes);
  return {
    models: models.map((m) => modelPriceView(m, next.settings, next.overrides)).sort((a, b) => a.id.localeCompare(b.id)),
    packages: packages.map((p) => {
      const quote = quotePackage(p.spec, p.spec.kind === 'tokens' ? lookup(p.spec.model) : undefined, next.settings, next.overrides);
      const previewMicro = p.retiredAt !== null ? null : (quote?.priceMicro ?? null);
      const upstreamCostMicro = quote?.upstreamCostMicro ?? null;
      return {
        id: p.id,
        currentMicro: p.priceMicro,
        previewMicro,
        upstreamCostMicro,
        profitMicro: previewMicro !== null && upstreamCostMicro !== null ? previewMicro - upstreamCostMicro : null,
      };
    }),
  };
}
