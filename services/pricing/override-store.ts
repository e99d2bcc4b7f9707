/** The owner's per-model price overrides, kept in SQLite and cached in memory. */
import type { Db } from '../db/database.js';
import { priceOverrideFromInput, type PriceOverride, type PriceOverrideInput } from './customer-price.js';

export class OverrideStore {
  private cache: Map<string, PriceOverride> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly db: Db) {}

  all(): ReadonlyMap<string, PriceOverride> {
    this.cache ??= new Map(
      (this.db.prepare('SELECT model, override FROM price_overrides').all() as { model: string; override: string }[]).map((r) => [r.model, JSON.parse(r.override) as PriceOverride]),
    );
    return this.cache;
  }

  /** Sets (input) or removes (null) the override of a model. */
  set(model: string, input: PriceOverrideInput | null): void {
    if (input === null) this.db.prepare('DELETE FROM price_overrides WHERE model = ?').run(model);
    else {
      this.db
        .prepare('INSERT INTO price_overrides (model, override, updated_at) VALUES (?, ?, ?) ON CONFLICT (model) DO UPDATE SET override = excluded.override, updated_at = excluded.updated_at')
        .run(model, JSON.stringify(priceOverrideFromInput(input)), new Date().toISOString());
    }
    this.cache = undefined;
    for (const l of this.listeners) l();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
