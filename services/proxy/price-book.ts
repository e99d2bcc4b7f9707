/**
 * What the proxy sells and at what price: the upstream catalog × the owner's markup and
 * per-model overrides. Rebuilt (cheaply) when the catalog, the pricing settings or an override
 * changes; looked up per request from a Map.
 */
import { customerPrice, type PriceOverrides } from '../pricing/customer-price.js';
import type { PricingSettings } from '../pricing/settings.js';
import type { UpstreamModel } from '../upstream/models.js';
import type { OfferedModel, PriceBook } from './ports.js';

export class LivePriceBook implements PriceBook {
  private offered = new Map<string, OfferedModel>();

  constructor(
    private readonly models: () => UpstreamModel[],
    private readonly settings: () => PricingSettings,
    private readonly overrides: () => PriceOverrides,
  ) {
    this.rebuild();
  }

  rebuild(): void {
    const next = new Map<string, OfferedModel>();
    const settings = this.settings();
    const overrides = this.overrides();
    for (const model of this.models()) {
      const price = customerPrice(model, settings, overrides);
      if (price) next.set(model.id, { id: model.id, price, contextLength: model.contextLength, maxCompletionTokens: model.maxCompletionTokens });
    }
    this.offered = next;
  }

  get(modelId: string): OfferedModel | undefined {
    return this.offered.get(modelId);
  }

  all(): OfferedModel[] {
    return [...this.offered.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}
