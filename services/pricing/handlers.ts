/** Contract handlers for prices: the catalog with cost, price and margin; per-model overrides. */
import { ok, type CommandOutput, type ModelPriceView, type ParsedInput, type Result } from '../contract.js';
import type { Logger } from '../log/logger.js';
import type { CatalogStatus } from '../upstream/catalog.js';
import type { UpstreamModel } from '../upstream/models.js';
import { customerPrice } from './customer-price.js';
import type { OverrideStore } from './override-store.js';
import type { PricingSettings } from './settings.js';

type Names = 'pricing.list' | 'pricing.setOverride';
type Handlers = { [M in Names]: (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>> };

export interface PricingHandlerDeps {
  models: () => UpstreamModel[];
  catalogStatus: () => CatalogStatus | undefined;
  settings: () => PricingSettings;
  markupPercent: () => number;
  overrides: OverrideStore;
  logger: Logger;
  audit: (action: string, subject: string, detail: Record<string, unknown>) => void;
}

export function modelPriceView(model: UpstreamModel, d: Pick<PricingHandlerDeps, 'settings' | 'overrides'>): ModelPriceView {
  const overrides = d.overrides.all();
  const price = customerPrice(model, d.settings(), overrides);
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

export function pricingHandlers(d: PricingHandlerDeps): Handlers {
  return {
    'pricing.list': async () => {
      const status = d.catalogStatus();
      return ok({
        models: d.models().map((m) => modelPriceView(m, d)).sort((a, b) => a.id.localeCompare(b.id)),
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
      const model = d.models().find((m) => m.id === input.model);
      return ok({ model: model ? modelPriceView(model, d) : null });
    },
  };
}
