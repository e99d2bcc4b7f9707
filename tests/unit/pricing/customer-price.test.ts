import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../services/config/schema.js';
import {
  chargeMicro,
  customerPrice,
  markUp,
  maxChargeMicro,
  picoToUsdPerMillion,
  priceOverrideFromInput,
  priceOverrideInputSchema,
  settleChargeMicro,
  upstreamCostMicro,
  type PriceOverride,
} from '../../../services/pricing/customer-price.js';
import { percentToBps, pricingSettingsFrom, type PricingSettings } from '../../../services/pricing/settings.js';
import type { UpstreamModel } from '../../../services/upstream/models.js';

const settings: PricingSettings = { markupBps: 2500, minProfitMicro: 100_000, bulkThresholdTokens: 1_000_000, bulkDiscountBps: 500 };
const model = (id: string, promptPico: number, completionPico: number, requestMicro = 0): UpstreamModel => ({
  id,
  name: id,
  contextLength: null,
  maxCompletionTokens: null,
  priced: true,
  promptPico,
  completionPico,
  requestMicro,
});
const unpriced: UpstreamModel = { id: 'local/llama', name: 'llama', contextLength: null, maxCompletionTokens: null, priced: false, promptPico: null, completionPico: null, requestMicro: null };
const sonnet = model('anthropic/claude-3.5-sonnet', 3_000_000, 15_000_000);

describe('pricing settings', () => {
  it('turns the seeds\' percentages and minimum profit into integers', () => {
    expect(pricingSettingsFrom(defaultSettings())).toEqual({ markupBps: 2500, minProfitMicro: 100_000, bulkThresholdTokens: 1_000_000, bulkDiscountBps: 500 });
    expect(percentToBps(12.5, 'up')).toBe(1250);
    expect(percentToBps(0.1, 'up')).toBe(10);
    expect(percentToBps(33.333, 'up')).toBe(3334); // markup: finer than 0.01 % rounds up
    expect(percentToBps(33.333, 'down')).toBe(3333); // discount: rounds down
    expect(percentToBps(1000, 'up')).toBe(100_000);
    expect(() => percentToBps(-1, 'up')).toThrow();
  });
});

describe('customerPrice', () => {
  it('marks the upstream price up in basis points (the seeds\' example: $0.003 → $0.00375 per 1K tokens)', () => {
    expect(customerPrice(sonnet, settings)).toEqual({
      model: 'anthropic/claude-3.5-sonnet',
      promptPico: 3_750_000,
      completionPico: 18_750_000,
      requestPico: 0,
      source: 'markup',
      markupBps: 2500,
      upstream: { promptPico: 3_000_000, completionPico: 15_000_000, requestMicro: 0 },
      belowCost: false,
    });
    expect(customerPrice(model('m', 150_000, 600_000), { ...settings, markupBps: 1250 })).toMatchObject({ promptPico: 168_750, completionPico: 675_000 });
  });

  it('rounds up to whole pUSD, never down', () => {
    expect(markUp(1, 2500)).toBe(2); // 1.25 → 2
    expect(markUp(3, 3333)).toBe(4); // 3.9999 → 4
    expect(markUp(4, 2500)).toBe(5); // exact stays exact
    expect(markUp(0, 2500)).toBe(0);
    expect(customerPrice(model('cheap', 7, 9), settings)).toMatchObject({ promptPico: 9, completionPico: 12 }); // 8.75, 11.25
  });

  it('marks up a per-request fee too', () => {
    expect(customerPrice(model('fee', 1_000_000, 2_000_000, 5_000), settings)!.requestPico).toBe(6_250_000_000); // $0.005 → $0.00625
  });

  it('applies per-model overrides: own markup, or a fixed price', () => {
    const overrides = new Map<string, PriceOverride>([
      ['anthropic/claude-3.5-sonnet', { kind: 'markup', markupBps: 1000 }],
      ['cheap', { kind: 'fixed', promptPico: 1_000_000, completionPico: 2_000_000 }],
      ['local/llama', { kind: 'fixed', promptPico: 500_000, completionPico: 500_000, requestPico: 10 }],
    ]);
    expect(customerPrice(sonnet, settings, overrides)).toMatchObject({ source: 'model-markup', markupBps: 1000, promptPico: 3_300_000, completionPico: 16_500_000 });
    expect(customerPrice(model('cheap', 3_000_000, 1_000), settings, overrides)).toMatchObject({ source: 'fixed', markupBps: null, promptPico: 1_000_000, belowCost: true });
    expect(customerPrice(unpriced, settings, overrides)).toMatchObject({ source: 'fixed', upstream: null, requestPico: 10, belowCost: false });
    expect(customerPrice({ id: 'local/llama' }, settings, overrides)).toMatchObject({ source: 'fixed' });
  });

  it('does not sell a model whose upstream price is unknown and has no fixed override', () => {
    expect(customerPrice(unpriced, settings)).toBeNull();
    expect(customerPrice(unpriced, settings, new Map([['local/llama', { kind: 'markup', markupBps: 0 }]]))).toBeNull();
    expect(customerPrice({ id: 'not/listed' }, settings)).toBeNull();
  });

  it('reads owner override input exactly (USD per million tokens)', () => {
    const input = priceOverrideInputSchema.parse({ promptUsdPerMillion: '3.75', completionUsdPerMillion: '18.75', requestUsd: '0.005' });
    expect(priceOverrideFromInput(input)).toEqual({ kind: 'fixed', promptPico: 3_750_000, completionPico: 18_750_000, requestPico: 5_000_000_000 });
    expect(priceOverrideFromInput(priceOverrideInputSchema.parse({ markupPercent: 40 }))).toEqual({ kind: 'markup', markupBps: 4000 });
    expect(priceOverrideInputSchema.safeParse({ promptUsdPerMillion: '1e-3', completionUsdPerMillion: '1' }).success).toBe(false);
    expect(picoToUsdPerMillion(3_750_000)).toBe('3.75');
    expect(picoToUsdPerMillion(187_500)).toBe('0.1875');
  });
});

describe('charges', () => {
  const price = customerPrice(sonnet, settings)!;

  it('charges tokens × price, rounded up to whole µUSD', () => {
    // 1000 × 3.75 µUSD… per token: 1000 × 3_750_000 + 500 × 18_750_000 = 13_125_000_000 pUSD
    expect(chargeMicro(price, 1000, 500)).toBe(13_125);
    const mini = customerPrice(model('m', 150_000, 600_000), settings)!; // 187_500 / 750_000 pUSD
    expect(chargeMicro(mini, 1, 0)).toBe(1); // 0.1875 µUSD rounds up, never free
    expect(chargeMicro(mini, 0, 0)).toBe(0);
    expect(chargeMicro(mini, 4, 0)).toBe(1); // 0.75
    expect(chargeMicro(mini, 16, 1)).toBe(4); // 3.0 + 0.75 = 3.75
  });

  it('reserves the most a request can cost', () => {
    expect(maxChargeMicro(price, 2_000, 4_096)).toBe(chargeMicro(price, 2_000, 4_096));
    expect(maxChargeMicro(price, 2_000, 4_096)).toBe(84_300); // 7_500_000_000 + 76_800_000_000 pUSD
  });

  it('stays exact past 2^53 pUSD', () => {
    const pricey = customerPrice(model('p', 600_000_000, 600_000_000), { ...settings, markupBps: 0 })!;
    expect(chargeMicro(pricey, 20_000_000, 1)).toBe(12_000_000_600); // 1.2e16 pUSD is beyond 2^53
  });

  it('knows our cost, and never settles under the upstream cost × markup', () => {
    expect(upstreamCostMicro(price, 1000, 500)).toBe(10_500);
    // The upstream billed extras (say an image) that the token counts do not show:
    expect(settleChargeMicro(price, { promptTokens: 1000, completionTokens: 500, costMicro: 20_000 })).toBe(25_000);
    expect(settleChargeMicro(price, { promptTokens: 1000, completionTokens: 500, costMicro: 10_500 })).toBe(13_125);
    expect(settleChargeMicro(price, { promptTokens: 1000, completionTokens: 500, costMicro: null })).toBe(13_125);
    const fixed = customerPrice(sonnet, settings, new Map([[sonnet.id, { kind: 'fixed', promptPico: 1, completionPico: 1 } as PriceOverride]]))!;
    expect(settleChargeMicro(fixed, { promptTokens: 1000, completionTokens: 500, costMicro: 20_000 })).toBe(1);
  });

  it('marks the exact upstream cost up before rounding it, so a tiny request is not charged an extra µUSD', () => {
    // gpt-4o-mini at 30 %: 0.195 pUSD… per prompt token; 3 prompt + 1 completion token cost the
    // owner $0.00000105. × 1.3 = 1.365 µUSD → 2, where rounding the cost first (2 × 1.3 → 3) overcharged.
    const mini = customerPrice(model('openai/gpt-4o-mini', 150_000, 600_000), { ...settings, markupBps: 3_000 })!;
    const usage = { promptTokens: 3, completionTokens: 1, costMicro: 2, costPico: 1_050_000 };
    expect(chargeMicro(mini, 3, 1)).toBe(2);
    expect(settleChargeMicro(mini, usage)).toBe(2);
    // Extras the tokens do not show still count, exactly: $0.00001 billed → 13 µUSD.
    expect(settleChargeMicro(mini, { ...usage, costMicro: 10, costPico: 10_000_000 })).toBe(13);
    // Only the µUSD figure known (older callers): marked up from it.
    expect(settleChargeMicro(mini, { promptTokens: 3, completionTokens: 1, costMicro: 2 })).toBe(3);
  });
});
