/**
 * Contract handlers for prices: the catalog with cost, price and margin; per-model overrides;
 * and the preview of a markup or override change (computed by the real pricing code, not saved).
 */
import { ok, type CommandOutput, type PackageView, type ParsedInput, type Result } from '../contract.js';
import type { Logger } from '../log/logger.js';
import type { CatalogStatus } from '../upstream/catalog.js';
import type { UpstreamModel } from '../upstream/models.js';
import type { OverrideStore } from './override-store.js';
import { modelPriceView, previewPrices } from './preview.js';
import type { PricingSettings } from './settings.js';

export { modelPriceView } from './preview.js';

type Names = 'pricing.list' | 'pricing.setOverride' | 'pricing.preview';
type Handlers = { [M in Names]: (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>> };

export interface PricingHandlerDeps {
  models: () => UpstreamModel[];
  /** The catalog entry of one model (what package prices are computed from). */
  lookup: (modelId: string) => UpstreamModel | undefined;
  catalogStatus: () => CatalogStatus | undefined;
  settings: () => PricingSettings;
  markupPercent: () => number;
  overrides: OverrideStore;
  /** Every package, retired ones too (for the preview of their prices). */
  packages: () => PackageView[];
  /** An override was set or removed: package prices must follow. */
  onOverrideChanged: () => void;
  logger: Logger;
  audit: (action: string, subject: string, detail: Record<string, unknown>) => void;
}

export function pricingHandlers(d: PricingHandlerDeps): Handlers {
  return {
    'pricing.list': async () => {
      const status = d.catalogStatus();
      const settings = d.settings();
      const overrides = d.overrides.all();
      return ok({
        models: d.models().map((m) => modelPriceView(m, settings, overrides)).sort((a, b) => a.id.localeCompare(b.id)),
        markupPercent: d.markupPercent(),
        catalog: {
          source: status?.source ?? 'empty',
          models: status?.models ?? 0,
          lastSuccessAt: status?.lastSuccessAt ?? null,
          lastError: status?.lastError ?? null,
        },
      });
    },
    'pricing.setOverride': async (input) => {
      d.overrides.set(input.model, input.override);
      d.audit('pricing.setOverride', input.model, { override: input.override });
      d.logger.info({ event: 'pricing.override_set', model: input.model, override: input.override }, `price override for ${input.model} ${input.override ? 'set' : 'removed'}`);
      d.onOverrideChanged();
      const model = d.models().find((m) => m.id === input.model);
      return ok({ model: model ? modelPriceView(model, d.settings(), d.overrides.all()) : null });
    },
    'pricing.preview': async (input) => {
      const markupPercent = input.markupPercent ?? d.markupPercent();
      const preview = previewPrices(
        d.models(),
        d.packages(),
        d.lookup,
        { settings: d.settings(), overrides: d.overrides.all() },
        { markupPercent: input.markupPercent, overrides: input.overrides },
      );
      return ok({ markupPercent, ...preview });
    },
  };
}
