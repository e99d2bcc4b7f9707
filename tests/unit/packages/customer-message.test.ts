/** customers.message: the owner writes to a customer through the running bot; audited. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { testBusiness, type TestBusiness } from './business-setup.js';

let t: TestBusiness;
beforeEach(() => {
  t = testBusiness();
});
afterEach(() => t.cleanup());

it('sends the text to the customer’s Telegram chat and audits it', async () => {
  const alice = t.business.customers.add({ name: 'Alice', telegramId: 4242 });
  const r = await t.invoke('customers.message', { customerId: alice.id, text: '  Your package is ready.  ' });
  expect(r).toEqual({ ok: true, value: { delivered: true } });
  expect(t.sent).toEqual([{ telegramId: 4242, text: 'Your package is ready.' }]);
  expect(t.audits).toEqual([{ action: 'customers.message', subject: alice.id, detail: { telegramId: 4242, delivered: true, chars: 22 } }]);
});

it('says why nothing was sent: no Telegram id, bot not running, Telegram refused', async () => {
  const bob = t.business.customers.add({ name: 'Bob' });
  const noTg = await t.invoke('customers.message', { customerId: bob.id, text: 'hi' });
  expect(noTg).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Bob has no Telegram id, so the bot cannot write to them' } });

  const carol = t.business.customers.add({ name: 'Carol', telegramId: 777 });
  t.setBot(false);
  const down = await t.invoke('customers.message', { customerId: carol.id, text: 'hi' });
  expect(down).toMatchObject({ ok: false, error: { code: 'conflict' } });
  expect(!down.ok && down.error.message).toMatch(/bot is not running/);
  expect(t.audits).toEqual([]);

  t.setBot(true, false);
  const refused = await t.invoke('customers.message', { customerId: carol.id, text: 'hi' });
  expect(refused.ok && refused.value).toMatchObject({ delivered: false, reason: expect.stringMatching(/blocked the bot/) });
  expect(t.sent).toEqual([]);

  const empty = await t.invoke('customers.message', { customerId: carol.id, text: '   ' });
  expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
});

it('lists each customer with their last activity: the latest ledger transaction, else when they were added', async () => {
  const idle = t.business.customers.add({ name: 'Idle' });
  const busy = t.business.customers.add({ name: 'Busy' });
  const credited = await t.invoke('customers.credit', { customerId: busy.id, usd: '5' });
  expect(credited.ok).toBe(true);
  const r = await t.invoke('customers.list');
  if (!r.ok) throw new Error(r.error.message);
  const byName = new Map(r.value.customers.map((c) => [c.name, c]));
  expect(byName.get('Idle')!.lastActivityAt).toBe(idle.createdAt);
  const tx = t.business.ledger.history(busy.id)[0]!;
  expect(byName.get('Busy')!.lastActivityAt).toBe(tx.at);
  expect(byName.get('Busy')!.lastActivityAt! >= busy.createdAt).toBe(true);
});
