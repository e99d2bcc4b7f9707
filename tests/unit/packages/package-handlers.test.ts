/** packages.create / packages.update / packages.retire: the owner's form, checked like the seeds' file. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mini, sonnet, testBusiness, type TestBusiness } from './business-setup.js';

let t: TestBusiness;
beforeEach(() => {
  t = testBusiness();
});
afterEach(() => t.cleanup());

it('creates a token package priced at once, and audits it', async () => {
  const r = await t.invoke('packages.create', { package: { model: sonnet.id, tokens: 100_000, description: 'Sonnet 100k', validity_days: 30, category_id: 1 } });
  if (!r.ok) throw new Error(r.error.message);
  expect(r.value.package).toMatchObject({ kind: 'tokens', model: sonnet.id, tokens: 100_000, validityDays: 30, priceMicro: 1_130_000, upstreamCostMicro: 900_000, forSale: true });
  expect(r.value.package.spec).toMatchObject({ categoryId: 1, subcategoryId: null });
  expect(t.audits).toEqual([{ action: 'packages.create', subject: r.value.package.id, detail: { spec: r.value.package.spec } }]);
  const list = await t.invoke('packages.list');
  expect(list.ok && list.value.packages.map((p) => p.id)).toEqual([r.value.package.id]);
});

it('creates a credit package at exactly its credit', async () => {
  const r = await t.invoke('packages.create', { package: { usd_credit: '25.50', description: '$25.50 of credit' } });
  expect(r.ok && r.value.package).toMatchObject({ kind: 'credit', creditMicro: 25_500_000, priceMicro: 25_500_000 });
});

it('refuses an invalid package with every problem listed, and saves nothing', async () => {
  const r = await t.invoke('packages.create', { package: { model: mini.id, tokens: 1.5, description: '', validity_day: 3 } });
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.code).toBe('invalid_input');
  expect(r.error.message).toContain('unknown field "validity_day"');
  const both = await t.invoke('packages.create', { package: { model: mini.id, tokens: 0, description: '' } });
  expect(!both.ok && both.error.message).toMatch(/tokens must be a positive whole number; description must not be empty/);
  expect(!both.ok && both.error.message).not.toMatch(/item 1/);
  const list = await t.invoke('packages.list', { includeRetired: true });
  expect(list.ok && list.value.packages).toEqual([]);
  expect(t.audits).toEqual([]);
});

it('edits a package: the new definition is repriced and the change audited; a retired one cannot be edited', async () => {
  const created = await t.invoke('packages.create', { package: { model: mini.id, tokens: 100_000, description: 'mini 100k' } });
  if (!created.ok) throw new Error(created.error.message);
  const id = created.value.package.id;
  expect(created.value.package.priceMicro).toBe(140_000);

  const updated = await t.invoke('packages.update', { packageId: id, package: { model: sonnet.id, tokens: 1_000_000, description: 'Sonnet 1M' } });
  if (!updated.ok) throw new Error(updated.error.message);
  expect(updated.value.package).toMatchObject({ id, model: sonnet.id, tokens: 1_000_000, description: 'Sonnet 1M', priceMicro: 10_690_000 });
  expect(t.audits.at(-1)).toMatchObject({ action: 'packages.update', subject: id, detail: { before: { model: mini.id }, after: { model: sonnet.id } } });

  const bad = await t.invoke('packages.update', { packageId: id, package: { model: sonnet.id, tokens: -1, description: 'x' } });
  expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

  const retired = await t.invoke('packages.retire', { packageId: id });
  expect(retired.ok && retired.value.package.retiredAt).toBeTruthy();
  expect(retired.ok && retired.value.package.forSale).toBe(false);
  const again = await t.invoke('packages.update', { packageId: id, package: { model: sonnet.id, tokens: 5, description: 'x' } });
  expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
  const missing = await t.invoke('packages.update', { packageId: 'pkg_nothere', package: { model: sonnet.id, tokens: 5, description: 'x' } });
  expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  // Retired packages are listed only when asked for.
  const live = await t.invoke('packages.list');
  expect(live.ok && live.value.packages).toEqual([]);
});

it('refuses to edit a package with an order waiting for payment (it must get what it was offered)', async () => {
  const created = await t.invoke('packages.create', { package: { model: mini.id, tokens: 100_000, description: 'mini 100k' } });
  if (!created.ok) throw new Error(created.error.message);
  const { customer } = t.business.shop.register(555, 'Dana', 'en');
  t.business.shop.order(customer.id, { packageId: created.value.package.id });
  const r = await t.invoke('packages.update', { packageId: created.value.package.id, package: { model: mini.id, tokens: 1, description: 'tiny' } });
  expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/1 order waiting for payment/) } });
  const after = await t.invoke('packages.list');
  expect(after.ok && after.value.packages[0]).toMatchObject({ tokens: 100_000, description: 'mini 100k' });
});

it('an import adds only packages not already for sale: the same file twice leaves one of each', async () => {
  const seeds = [
    { model: mini.id, tokens: 100_000, description: 'mini 100k', validity_days: 30 },
    { model: mini.id, tokens: 100_000, description: 'mini 100k', validity_days: 30 }, // repeated in the file itself
    { usd_credit: '10.00', description: '$10 credit' },
  ];
  const first = await t.invoke('packages.import', { packages: seeds });
  if (!first.ok) throw new Error(first.error.message);
  expect(first.value.imported.map((p) => p.description)).toEqual(['mini 100k', '$10 credit']);
  expect(first.value.alreadyForSale).toEqual([]);

  // Again, with one field changed in one item: only that one is new.
  const second = await t.invoke('packages.import', { packages: [seeds[0], { ...seeds[2], description: '$10 of credit' }] });
  if (!second.ok) throw new Error(second.error.message);
  expect(second.value.imported.map((p) => p.description)).toEqual(['$10 of credit']);
  expect(second.value.alreadyForSale.map((p) => p.id)).toEqual([first.value.imported[0]!.id]);

  // A retired package is not for sale: importing its definition again sells it again.
  await t.invoke('packages.retire', { packageId: first.value.imported[0]!.id });
  const third = await t.invoke('packages.import', { packages: [seeds[0]] });
  expect(third.ok && third.value.imported.map((p) => p.description)).toEqual(['mini 100k']);
  const list = await t.invoke('packages.list');
  expect(list.ok && list.value.packages.map((p) => p.description).sort()).toEqual(['$10 credit', '$10 of credit', 'mini 100k']);
  expect(t.audits.filter((a) => a.action === 'packages.import').map((a) => a.subject)).toEqual(['2 packages', '1 packages', '1 packages']);
});
