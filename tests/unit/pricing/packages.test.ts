import { describe, expect, it } from 'vitest';
import type { PriceOverride } from '../../../services/pricing/customer-price.js';
import { parsePackagesJson, validatePackages, type PackageSpec, type TokenPackageSpec } from '../../../services/pricing/package-spec.js';
import { quotePackage, repriceForChanges, repricePackages, type StoredPackage } from '../../../services/pricing/package-price.js';
import type { PricingSettings } from '../../../services/pricing/settings.js';
import type { UpstreamModel } from '../../../services/upstream/models.js';

const settings: PricingSettings = { markupBps: 2500, minProfitMicro: 100_000, bulkThresholdTokens: 1_000_000, bulkDiscountBps: 500 };
const model = (id: string, promptPico: number, completionPico: number): UpstreamModel => ({
  id,
  name: id,
  contextLength: null,
  maxCompletionTokens: null,
  priced: true,
  promptPico,
  completionPico,
  requestMicro: 0,
});
const sonnet = model('anthropic/claude-3.5-sonnet', 3_000_000, 15_000_000);
const mini = model('openai/gpt-4o-mini', 150_000, 600_000);
const tokens = (m: string, n: number): TokenPackageSpec => ({ kind: 'tokens', model: m, tokens: n, description: `${n} tokens`, categoryId: null, subcategoryId: null, validityDays: null });

describe('package prices', () => {
  it('prices tokens at the blended customer price, rounded up to a whole cent', () => {
    // blended customer price (3.75 + 18.75) / 2 = 11.25 µUSD per token… in pUSD: 11_250_000
    expect(quotePackage(tokens(sonnet.id, 100_000), sonnet, settings)).toEqual({
      priceMicro: 1_130_000, // $1.125 → $1.13
      upstreamCostMicro: 900_000, // (3 + 15) / 2 × 100 000 = $0.90
      profitMicro: 230_000,
      basePriceMicro: 1_125_000,
      blendedPico: 11_250_000,
      floorMicro: 1_000_000,
      bulkDiscountApplied: false,
      minProfitApplied: false,
    });
  });

  it('raises a price to cost + minimum profit', () => {
    const quote = quotePackage(tokens(mini.id, 100_000), mini, settings)!;
    expect(quote.basePriceMicro).toBe(46_875); // $0.046875: only $0.009375 profit
    expect(quote.upstreamCostMicro).toBe(37_500);
    expect(quote.floorMicro).toBe(137_500);
    expect(quote.minProfitApplied).toBe(true);
    expect(quote.priceMicro).toBe(140_000); // $0.1375 → $0.14
    expect(quote.profitMicro).toBeGreaterThanOrEqual(settings.minProfitMicro);
  });

  it('gives the bulk discount from the threshold on, rounding the discounted price up', () => {
    expect(quotePackage(tokens(sonnet.id, 999_999), sonnet, settings)!.bulkDiscountApplied).toBe(false);
    const quote = quotePackage(tokens(sonnet.id, 1_000_000), sonnet, settings)!;
    expect(quote).toMatchObject({ basePriceMicro: 11_250_000, bulkDiscountApplied: true, minProfitApplied: false, priceMicro: 10_690_000 }); // $10.6875 → $10.69
  });

  it('never lets the bulk discount go below cost + minimum profit', () => {
    const quote = quotePackage(tokens(sonnet.id, 1_000_000), sonnet, { ...settings, bulkDiscountBps: 3000 })!;
    // 30 % off $11.25 = $7.875, under cost $9.00 + $0.10
    expect(quote).toMatchObject({ bulkDiscountApplied: true, minProfitApplied: true, priceMicro: 9_100_000, profitMicro: 100_000 });
  });

  it('sells credit packages at their credit, and refuses models that are not for sale', () => {
    const credit: PackageSpec = { kind: 'credit', creditMicro: 10_000_000, description: '$10', categoryId: null, subcategoryId: null, validityDays: 30 };
    expect(quotePackage(credit, undefined, settings)!.priceMicro).toBe(10_000_000);
    const unpriced: UpstreamModel = { id: 'x', name: 'x', contextLength: null, maxCompletionTokens: null, priced: false, promptPico: null, completionPico: null, requestMicro: null };
    expect(quotePackage(tokens('x', 1000), unpriced, settings)).toBeNull();
    expect(quotePackage(tokens('gone', 1000), undefined, settings)).toBeNull();
    const fixed = new Map<string, PriceOverride>([['x', { kind: 'fixed', promptPico: 1_000_000, completionPico: 3_000_000 }]]);
    expect(quotePackage(tokens('x', 1_000_000), unpriced, settings, fixed)).toMatchObject({ basePriceMicro: 2_000_000, upstreamCostMicro: null, floorMicro: null, priceMicro: 1_900_000 });
  });
});

describe('repricing when upstream prices change', () => {
  const stored: StoredPackage[] = [
    { id: 1, spec: tokens(sonnet.id, 100_000), priceMicro: 1_130_000 },
    { id: 2, spec: tokens(mini.id, 100_000), priceMicro: 140_000 },
    { id: 3, spec: { kind: 'credit', creditMicro: 5_000_000, description: '$5', categoryId: null, subcategoryId: null, validityDays: null }, priceMicro: 5_000_000 },
    { id: 4, spec: tokens('old/model', 1000), priceMicro: 10_000 },
  ];

  it('returns the packages whose price follows a catalog change, and only those', () => {
    const changes = repriceForChanges(
      stored,
      [
        { id: sonnet.id, kind: 'repriced', before: { promptPico: 3_000_000, completionPico: 15_000_000, requestMicro: 0 }, after: { promptPico: 6_000_000, completionPico: 30_000_000, requestMicro: 0 } },
        { id: 'old/model', kind: 'removed', before: { promptPico: 1, completionPico: 1, requestMicro: 0 }, after: null },
        { id: 'unrelated', kind: 'added', before: null, after: { promptPico: 1, completionPico: 1, requestMicro: 0 } },
      ],
      settings,
    );
    expect(changes.map(({ id, model, beforeMicro, afterMicro }) => ({ id, model, beforeMicro, afterMicro }))).toEqual([
      { id: 1, model: sonnet.id, beforeMicro: 1_130_000, afterMicro: 2_250_000 },
      { id: 4, model: 'old/model', beforeMicro: 10_000, afterMicro: null },
    ]);
  });

  it('reprices everything after a settings change, reporting no change where the price holds', () => {
    const catalog = new Map([
      [sonnet.id, sonnet],
      [mini.id, mini],
    ]);
    expect(repricePackages(stored.slice(0, 2), (id) => catalog.get(id), settings)).toEqual([]);
    const higher = repricePackages(stored.slice(0, 2), (id) => catalog.get(id), { ...settings, markupBps: 5000 });
    expect(higher.map((c) => [c.id, c.afterMicro])).toEqual([[1, 1_350_000]]); // mini stays on its min-profit floor
  });
});

describe('bulk package JSON', () => {
  it('accepts the seeds\' format, plus validity and USD-credit packages', () => {
    const result = parsePackagesJson(`[
      { "model": "gpt-4", "tokens": 100000, "description": "GPT-4 Access - 100k tokens", "category_id": 1, "subcategory_id": 1 },
      { "model": "claude-3-sonnet", "tokens": 200000, "description": "Claude 3 Sonnet - 200k tokens", "category_id": 1, "subcategory_id": 2, "validity_days": 30 },
      { "usd_credit": "10.00", "description": "$10 of credit" },
      { "usd_credit": 2.5, "description": "  spaces trimmed  ", "validity_days": null }
    ]`);
    expect(result).toEqual({
      ok: true,
      packages: [
        { kind: 'tokens', model: 'gpt-4', tokens: 100_000, description: 'GPT-4 Access - 100k tokens', categoryId: 1, subcategoryId: 1, validityDays: null },
        { kind: 'tokens', model: 'claude-3-sonnet', tokens: 200_000, description: 'Claude 3 Sonnet - 200k tokens', categoryId: 1, subcategoryId: 2, validityDays: 30 },
        { kind: 'credit', creditMicro: 10_000_000, description: '$10 of credit', categoryId: null, subcategoryId: null, validityDays: null },
        { kind: 'credit', creditMicro: 2_500_000, description: 'spaces trimmed', categoryId: null, subcategoryId: null, validityDays: null },
      ],
    });
  });

  it('says what is wrong with which item, for every item', () => {
    const ok = { model: 'm', tokens: 1000, description: 'd' };
    const result = validatePackages([
      ok,
      { ...ok, tokens: 0 },
      { ...ok, tokens: 'lots' },
      { ...ok, tokens: 1.5 },
      { model: 'm', tokens: 10 },
      { ...ok, token: 5 },
      { ...ok, usd_credit: '5' },
      { usd_credit: 'ten', description: 'd' },
      { usd_credit: '0', description: 'd' },
      { ...ok, validity_days: -3, category_id: 'one' },
      42,
      { ...ok, model: '' },
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [
        'item 2: tokens must be a positive whole number',
        'item 3: tokens must be a positive whole number',
        'item 4: tokens must be a positive whole number',
        'item 5: description is required',
        'item 6: unknown field "token" (allowed: model, tokens, usd_credit, description, category_id, subcategory_id, validity_days)',
        'item 7: give either "model" and "tokens" (a token package) or "usd_credit" (a credit package), not both',
        'item 8: usd_credit must be a USD amount such as "10.00"',
        'item 9: usd_credit must be more than 0',
        'item 10: category_id must be a positive whole number or null',
        'item 10: validity_days must be a positive whole number of days',
        'item 11: must be an object such as { "model": "openai/gpt-4o-mini", "tokens": 100000, "description": "…" }',
        'item 12: model must not be empty',
      ],
    });
  });

  it('rejects what is not a JSON array of packages', () => {
    expect(parsePackagesJson('{"model":"m"}')).toEqual({ ok: false, errors: [expect.stringContaining('must contain a JSON array')] });
    expect(parsePackagesJson('[')).toEqual({ ok: false, errors: [expect.stringMatching(/^not valid JSON/)] });
    expect(parsePackagesJson('[]')).toEqual({ ok: false, errors: ['the array has no packages'] });
    expect(parsePackagesJson('\uFEFF[{"model":"m","tokens":1,"description":"d"}]').ok).toBe(true);
  });
});
