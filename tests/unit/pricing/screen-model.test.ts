/** The Packages screen's pure helpers (renderer/features/packages/model.ts): what the owner reads and types. */
import { describe, expect, it } from 'vitest';
import type { ModelPriceView } from '../../../services/contract.js';
import {
  draftCount,
  fieldErrors,
  formatBps,
  importProblems,
  marginBps,
  packageItem,
  parseMarkup,
  parsePerMillion,
  perMillion,
  searchModels,
  sortModels,
  EMPTY_PACKAGE_FORM,
} from '../../../renderer/features/packages/model.js';
import { checkOnePackage } from '../../../services/packages/handlers.js';

const view = (id: string, up: [number, number] | null, price: [number, number] | null): ModelPriceView => ({
  id,
  name: id,
  upstreamPromptPico: up?.[0] ?? null,
  upstreamCompletionPico: up?.[1] ?? null,
  customerPromptPico: price?.[0] ?? null,
  customerCompletionPico: price?.[1] ?? null,
  source: price ? 'markup' : null,
  markupBps: price ? 2500 : null,
  belowCost: false,
  forSale: price !== null,
  contextLength: null,
  maxCompletionTokens: null,
  hasOverride: false,
});

describe('prices and margins', () => {
  it('shows pUSD per token as USD per million tokens, exactly', () => {
    expect(perMillion(3_750_000)).toBe('$3.75');
    expect(perMillion(187_500)).toBe('$0.1875');
    expect(perMillion(null)).toBe('—');
  });

  it('gives the margin as a share of the blended price: 25 % markup is a 20 % margin', () => {
    expect(formatBps(marginBps(view('a', [3_000_000, 15_000_000], [3_750_000, 18_750_000])))).toBe('20.0 %');
    expect(formatBps(marginBps(view('b', [3_000_000, 15_000_000], [2_000_000, 10_000_000])))).toBe('\u221250.0 %');
    expect(marginBps(view('c', null, [1, 1]))).toBeNull();
  });

  it('searches by id or name and sorts by margin with unpriced models last', () => {
    const models = [view('z/cheap', [1, 1], [2, 2]), view('a/none', [1, 1], null), view('m/mid', [4, 4], [5, 5])];
    expect(searchModels(models, 'CHEAP').map((m) => m.id)).toEqual(['z/cheap']);
    expect(sortModels(models, { key: 'margin', direction: 'desc' }).map((m) => m.id)).toEqual(['z/cheap', 'm/mid', 'a/none']);
    expect(sortModels(models, { key: 'margin', direction: 'asc' }).map((m) => m.id)).toEqual(['m/mid', 'z/cheap', 'a/none']);
  });
});

describe('drafts', () => {
  it('reads a markup and a per-million price as typed, refusing what the host would refuse', () => {
    expect(parseMarkup(' 12.5 % ')).toEqual({ ok: true, value: 12.5 });
    expect(parseMarkup('-3').ok).toBe(false);
    expect(parseMarkup('2000').ok).toBe(false);
    expect(parsePerMillion('$3.75')).toEqual({ ok: true, value: '3.75' });
    expect(parsePerMillion('three').ok).toBe(false);
  });

  it('counts a markup equal to the saved one as no change', () => {
    expect(draftCount({ markup: '25', overrides: {} }, 25)).toBe(0);
    expect(draftCount({ markup: '30', overrides: { 'a/b': null } }, 25)).toBe(2);
  });
});

describe('the package form', () => {
  it('sends the seeds’ item shape, which the host accepts as it would from a file', () => {
    const item = packageItem({ ...EMPTY_PACKAGE_FORM, model: ' openai/gpt-4o-mini ', tokens: '2,000,000', description: 'Mini 2M', validityDays: '30' });
    expect(item).toEqual({ model: 'openai/gpt-4o-mini', tokens: 2_000_000, description: 'Mini 2M', validity_days: 30 });
    expect(checkOnePackage(item)).toMatchObject({ ok: true, spec: { kind: 'tokens', tokens: 2_000_000, validityDays: 30 } });
    const credit = packageItem({ ...EMPTY_PACKAGE_FORM, kind: 'credit', usdCredit: '$10.50', description: 'Ten fifty', categoryId: '2' });
    expect(checkOnePackage(credit)).toMatchObject({ ok: true, spec: { kind: 'credit', creditMicro: 10_500_000, categoryId: 2 } });
  });

  it('puts the host’s problems on their fields', () => {
    const bad = checkOnePackage(packageItem({ ...EMPTY_PACKAGE_FORM, model: 'x/y', tokens: 'lots', description: '', validityDays: '0' }));
    expect(bad.ok).toBe(false);
    const { fields, other } = fieldErrors(`package not saved: ${!bad.ok ? bad.message : ''}`);
    expect(fields).toEqual({
      tokens: 'Must be a positive whole number.',
      description: 'Must not be empty.',
      validityDays: 'Must be a positive whole number of days.',
    });
    expect(other).toEqual([]);
  });

  it('lists an import’s problems one per line', () => {
    expect(importProblems('nothing imported: item 2: tokens must be a positive whole number; item 3: unknown field "x" (allowed: model, tokens) (and 4 more)')).toEqual([
      'item 2: tokens must be a positive whole number',
      'item 3: unknown field "x" (allowed: model, tokens)',
      '(and 4 more)',
    ]);
  });
});
