/**
 * Packages for sale, stored in SQLite with their current price. Prices come from the pricing
 * rules (services/pricing/package-price.ts) and follow the upstream catalog and the owner's
 * pricing settings: reprice() stores and returns only what changed, for the log.
 */
import type { PackageView } from '../contract.js';
import { newId } from '../customers/customers.js';
import type { Db } from '../db/database.js';
import type { PriceOverrides } from '../pricing/customer-price.js';
import { quotePackage, repricePackages, type PackageRepricing } from '../pricing/package-price.js';
import type { PackageSpec } from '../pricing/package-spec.js';
import type { PricingSettings } from '../pricing/settings.js';
import type { UpstreamModel } from '../upstream/models.js';

interface Row {
  id: string;
  spec: string;
  price_micro: number | null;
  cost_micro: number | null;
  retired_at: string | null;
  created_at: string;
}

export interface PricingContext {
  lookup: (modelId: string) => UpstreamModel | undefined;
  settings: PricingSettings;
  overrides: PriceOverrides;
}

export class PackageStore {
  constructor(private readonly db: Db) {}

  /** Adds every package, or none (the caller validated them all first). */
  import(specs: PackageSpec[], pricing: PricingContext): PackageView[] {
    const now = new Date().toISOString();
    const insert = this.db.prepare(
      `INSERT INTO packages (id, spec, kind, model, tokens, credit_micro, description, price_micro, cost_micro, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ids = this.db.transaction(() =>
      specs.map((spec) => {
        const id = newId('pkg');
        const quote = quotePackage(spec, spec.kind === 'tokens' ? pricing.lookup(spec.model) : undefined, pricing.settings, pricing.overrides);
        insert.run(
          id,
          JSON.stringify(spec),
          spec.kind,
          spec.kind === 'tokens' ? spec.model : null,
          spec.kind === 'tokens' ? spec.tokens : null,
          spec.kind === 'credit' ? spec.creditMicro : null,
          spec.description,
          quote?.priceMicro ?? null,
          quote?.upstreamCostMicro ?? null,
          now,
          now,
        );
        return id;
      }),
    )();
    const byId = new Map(this.list(true).map((p) => [p.id, p]));
    return ids.map((id) => byId.get(id)!);
  }

  /**
   * An import of the seeds' bulk file: packages identical to one already for sale (the same
   * definition, field for field) are not added again, so importing a file twice does not put
   * every package on sale twice; an item repeated within the file is added once. A retired
   * package does not count: importing it again sells it again.
   */
  importNew(specs: PackageSpec[], pricing: PricingContext): { imported: PackageView[]; alreadyForSale: PackageView[] } {
    const live = new Map(this.list().map((p) => [specKey(p.spec), p]));
    const fresh: PackageSpec[] = [];
    const alreadyForSale: PackageView[] = [];
    const seen = new Set<string>();
    for (const spec of specs) {
      const key = specKey(spec);
      const existing = live.get(key);
      if (existing) alreadyForSale.push(existing);
      else if (!seen.has(key)) {
        seen.add(key);
        fresh.push(spec);
      }
    }
    return { imported: fresh.length ? this.import(fresh, pricing) : [], alreadyForSale };
  }

  /** Adds one package (validated by the caller), priced at once. */
  create(spec: PackageSpec, pricing: PricingContext): PackageView {
    return this.import([spec], pricing)[0]!;
  }

  /**
   * Replaces the definition of a live package and reprices it. Undefined when there is no such
   * package; a retired one is returned unchanged (the caller refuses it).
   */
  update(id: string, spec: PackageSpec, pricing: PricingContext): PackageView | undefined {
    const current = this.get(id);
    if (!current || current.retiredAt !== null) return current;
    const quote = quotePackage(spec, spec.kind === 'tokens' ? pricing.lookup(spec.model) : undefined, pricing.settings, pricing.overrides);
    this.db
      .prepare(
        `UPDATE packages SET spec = ?, kind = ?, model = ?, tokens = ?, credit_micro = ?, description = ?, price_micro = ?, cost_micro = ?, updated_at = ?
         WHERE id = ? AND retired_at IS NULL`,
      )
      .run(
        JSON.stringify(spec),
        spec.kind,
        spec.kind === 'tokens' ? spec.model : null,
        spec.kind === 'tokens' ? spec.tokens : null,
        spec.kind === 'credit' ? spec.creditMicro : null,
        spec.description,
        quote?.priceMicro ?? null,
        quote?.upstreamCostMicro ?? null,
        new Date().toISOString(),
        id,
      );
    return this.get(id);
  }

  /** Orders of this package not delivered yet: they would be delivered with its definition at that time. */
  openOrders(id: string): number {
    return this.db.prepare("SELECT COUNT(*) FROM orders WHERE package_id = ? AND status IN ('pending', 'paid')").pluck().get(id) as number;
  }

  list(includeRetired = false): PackageView[] {
    const rows = this.db.prepare(`SELECT * FROM packages ${includeRetired ? '' : 'WHERE retired_at IS NULL'} ORDER BY created_at, rowid`).all() as Row[];
    return rows.map(toView);
  }

  get(id: string): PackageView | undefined {
    const row = this.db.prepare('SELECT * FROM packages WHERE id = ?').get(id) as Row | undefined;
    return row ? toView(row) : undefined;
  }

  retire(id: string): PackageView | undefined {
    this.db.prepare('UPDATE packages SET retired_at = ?, updated_at = ? WHERE id = ? AND retired_at IS NULL').run(new Date().toISOString(), new Date().toISOString(), id);
    const row = this.db.prepare('SELECT * FROM packages WHERE id = ?').get(id) as Row | undefined;
    return row ? toView(row) : undefined;
  }

  /** Recomputes every live token package; stores and returns the changes. */
  reprice(pricing: PricingContext): PackageRepricing[] {
    const live = this.list().map((p) => ({ id: p.id, spec: p.spec, priceMicro: p.priceMicro }));
    const changes = repricePackages(live, pricing.lookup, pricing.settings, pricing.overrides);
    const update = this.db.prepare('UPDATE packages SET price_micro = ?, cost_micro = ?, updated_at = ? WHERE id = ?');
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const c of changes) update.run(c.afterMicro, c.quote?.upstreamCostMicro ?? null, now, c.id);
    })();
    return changes;
  }
}

function toView(r: Row): PackageView {
  const spec = JSON.parse(r.spec) as PackageSpec;
  return {
    id: r.id,
    spec,
    kind: spec.kind,
    model: spec.kind === 'tokens' ? spec.model : null,
    tokens: spec.kind === 'tokens' ? spec.tokens : null,
    creditMicro: spec.kind === 'credit' ? spec.creditMicro : null,
    description: spec.description,
    validityDays: spec.validityDays,
    priceMicro: r.price_micro,
    upstreamCostMicro: r.cost_micro,
    forSale: r.price_micro !== null && r.retired_at === null,
    retiredAt: r.retired_at,
    createdAt: r.created_at,
  };
}

/** A package definition in a fixed field order, for comparing two definitions. */
function specKey(spec: PackageSpec): string {
  return JSON.stringify(Object.keys(spec).sort().map((k) => [k, (spec as unknown as Record<string, unknown>)[k]]));
}
