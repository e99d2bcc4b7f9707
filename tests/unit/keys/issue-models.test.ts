/** keys.issue --models: checked against the upstream catalog when there is one; keys.revoke twice changes nothing. */
import { afterEach, expect, it } from 'vitest';
import { mini, sonnet, testBusiness, type TestBusiness } from '../packages/business-setup.js';

let t: TestBusiness | undefined;
afterEach(() => t?.cleanup());

async function customer(b: TestBusiness): Promise<string> {
  const c = await b.invoke('customers.add', { name: 'Kim' });
  if (!c.ok) throw new Error(c.error.message);
  return c.value.id;
}

it('refuses model ids the catalog does not know, naming the nearest ones, and issues nothing', async () => {
  t = testBusiness([sonnet, mini]);
  const customerId = await customer(t);
  const r = await t.invoke('keys.issue', { customerId, models: [mini.id, 'anthropic/claude-3.5-sonet', 'nobody/xyz'] });
  expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(!r.ok && r.error.message).toBe(
    'no key issued: model "anthropic/claude-3.5-sonet" is not in the upstream catalog (did you mean anthropic/claude-3.5-sonnet?); model "nobody/xyz" is not in the upstream catalog; `arbdesk pricing list` shows the model ids',
  );
  const listed = await t.invoke('keys.list', { customerId });
  expect(listed.ok && listed.value.keys).toEqual([]);
  const good = await t.invoke('keys.issue', { customerId, models: [mini.id, sonnet.id] });
  expect(good.ok && good.value).toMatchObject({ modelsChecked: true, record: { allowedModels: [mini.id, sonnet.id] } });
});

it('accepts any model ids while no catalog was ever loaded (nothing to check against yet)', async () => {
  t = testBusiness([]);
  const customerId = await customer(t);
  const r = await t.invoke('keys.issue', { customerId, models: ['some/model'] });
  expect(r.ok && r.value).toMatchObject({ modelsChecked: false, record: { allowedModels: ['some/model'] } });
});

it('revoking a revoked key changes nothing and says so; the audit trail has one revoke', async () => {
  t = testBusiness();
  const customerId = await customer(t);
  const issued = await t.invoke('keys.issue', { customerId });
  if (!issued.ok) throw new Error(issued.error.message);
  const first = await t.invoke('keys.revoke', { keyId: issued.value.record.id });
  const second = await t.invoke('keys.revoke', { keyId: issued.value.record.id });
  expect(first.ok && first.value.alreadyRevoked).toBe(false);
  expect(second.ok && second.value).toMatchObject({ alreadyRevoked: true, record: { status: 'revoked', revokedAt: first.ok && first.value.record.revokedAt } });
  expect(t.audits.filter((a) => a.action === 'keys.revoke')).toHaveLength(1);
});

it('a grant and a package for a model the catalog does not know are refused, by item number for a file', async () => {
  t = testBusiness([sonnet, mini]);
  const customerId = await customer(t);
  const grant = await t.invoke('allowances.grant', { customerId, model: 'openai/gpt-4o-mni', tokens: 1000, validityDays: null, memo: 'typo' });
  expect(!grant.ok && grant.error.message).toBe('nothing granted: model "openai/gpt-4o-mni" is not in the upstream catalog (did you mean openai/gpt-4o-mini?); `arbdesk pricing list` shows the model ids');
  const imported = await t.invoke('packages.import', {
    packages: [
      { model: mini.id, tokens: 100_000, description: 'fine' },
      { model: 'openai/gpt-4o-mni', tokens: 100_000, description: 'typo' },
    ],
  });
  expect(!imported.ok && imported.error.message).toMatch(/^nothing imported: item 2: model "openai\/gpt-4o-mni" is not in the upstream catalog \(did you mean openai\/gpt-4o-mini\?\); `arbdesk pricing list`/);
  const created = await t.invoke('packages.create', { package: { model: 'nobody/xyz', tokens: 5, description: 'x' } });
  expect(!created.ok && created.error.message).toBe('package not saved: model "nobody/xyz" is not in the upstream catalog; `arbdesk pricing list` shows the model ids');
  const list = await t.invoke('packages.list', { includeRetired: true });
  expect(list.ok && list.value.packages).toEqual([]);
  const balance = await t.invoke('customers.get', { customerId });
  expect(balance.ok && balance.value.allowances).toEqual([]);
});
