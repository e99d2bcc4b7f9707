/**
 * pricing.preview: what prices would be with another markup or override, computed by the code
 * that prices for real — so after Save the stored prices are exactly what the preview showed.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mini, sonnet, testBusiness, type TestBusiness } from '../packages/business-setup.js';

let t: TestBusiness;
beforeEach(() => {
  t = testBusiness();
});
afterEach(() => t.cleanup());

async function importSeeds() {
  const r = await t.invoke('packages.import', {
    packages: [
      { model: sonnet.id, tokens: 1_000_000, description: 'Sonnet 1M' },
      { model: mini.id, tokens: 100_000, description: 'mini 100k' },
      { usd_credit: '10.00', description: '$10 credit' },
    ],
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.imported;
}

const prices = async () => {
  const r = await t.invoke('packages.list', { includeRetired: true });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.packages.map((p) => p.priceMicro);
};

it('previews a new markup for every model and package without saving anything', async () => {
  await importSeeds();
  expect(await prices()).toEqual([10_690_000, 140_000, 10_000_000]); // 25 %: $10.69, $0.14 (min. profit), $10

  const r = await t.invoke('pricing.preview', { markupPercent: 50 });
  if (!r.ok) throw new Error(r.error.message);
  expect(r.value.markupPercent).toBe(50);
  const s = r.value.models.find((m) => m.id === sonnet.id)!;
  expect([s.customerPromptPico, s.customerCompletionPico]).toEqual([4_500_000, 22_500_000]); // $4.50 / $22.50 per 1M
  // Sonnet 1M: blended $13.50 → 5 % bulk off = $12.825 → $12.83; mini stays at cost + min. profit; credit is its credit.
  expect(r.value.packages.map((p) => [p.currentMicro, p.previewMicro])).toEqual([
    [10_690_000, 12_830_000],
    [140_000, 140_000],
    [10_000_000, 10_000_000],
  ]);
  expect(r.value.packages[0]!.profitMicro).toBe(12_830_000 - 9_000_000);

  // Nothing was saved.
  expect(await prices()).toEqual([10_690_000, 140_000, 10_000_000]);
  const list = await t.invoke('pricing.list');
  expect(list.ok && list.value.markupPercent).toBe(25);
});

it('after Save (the markup setting, then repricing) the stored package prices are the previewed ones', async () => {
  await importSeeds();
  const preview = await t.invoke('pricing.preview', { markupPercent: 12.5 });
  if (!preview.ok) throw new Error(preview.error.message);
  t.settings['pricing.markupPercent'] = 12.5; // what settings.update does, then the host reprices
  t.business.repricePackages('test');
  expect(await prices()).toEqual(preview.value.packages.map((p) => p.previewMicro));
  const list = await t.invoke('pricing.list');
  if (!list.ok) throw new Error(list.error.message);
  expect(list.value.models).toEqual(preview.value.models);
});

it('previews per-model overrides, and setting one reprices its packages to the previewed price', async () => {
  const [sonnetPkg] = await importSeeds();
  const override = { promptUsdPerMillion: '6', completionUsdPerMillion: '30' };
  const preview = await t.invoke('pricing.preview', { overrides: { [sonnet.id]: override } });
  if (!preview.ok) throw new Error(preview.error.message);
  const row = preview.value.models.find((m) => m.id === sonnet.id)!;
  expect(row).toMatchObject({ source: 'fixed', customerPromptPico: 6_000_000, customerCompletionPico: 30_000_000, hasOverride: true });
  expect(preview.value.models.find((m) => m.id === mini.id)).toMatchObject({ source: 'markup', hasOverride: false });
  const previewed = preview.value.packages.find((p) => p.id === sonnetPkg!.id)!.previewMicro;
  expect(previewed).toBe(17_100_000); // blended $18 × 1M − 5 % = $17.10

  const set = await t.invoke('pricing.setOverride', { model: sonnet.id, override });
  expect(set.ok).toBe(true);
  expect((await prices())[0]).toBe(previewed);
  expect(t.audits.map((a) => a.action)).toContain('pricing.setOverride');

  // Previewing the removal shows the markup price again; removing it brings it back for real.
  const back = await t.invoke('pricing.preview', { overrides: { [sonnet.id]: null } });
  expect(back.ok && back.value.packages[0]!.previewMicro).toBe(10_690_000);
  await t.invoke('pricing.setOverride', { model: sonnet.id, override: null });
  expect((await prices())[0]).toBe(10_690_000);
});

it('refuses a preview with an impossible markup, naming the field', async () => {
  const r = await t.invoke('pricing.preview', { markupPercent: -5 });
  expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(!r.ok && r.error.message).toMatch(/markupPercent: must be 0 or more/);
});
