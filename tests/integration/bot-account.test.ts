/**
 * The customer's account in the shop bot: /balance, /usage, /keys (masked; rotate shows the new
 * key once; revoke only after a confirmation) and /topup (presets and a custom amount).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { onboard, startBotHarness, type BotHarness } from '../fakes/telegram-harness.js';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('shop bot: the customer account', () => {
  it('shows the balance with allowances, and usage with recent requests and per-model totals', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    await onboard(alice);
    const id = h.shop.customer(4242)!.id;

    await alice.command('/balance');
    expect((await alice.next(/Balance/)).text).toBe('💰 Balance: $0.00 available.\nNo token allowances yet: see /catalog.');
    await alice.command('/usage');
    await alice.next(/No requests yet/);

    h.shop.balances.set(id, {
      availableMicro: 12_345_678,
      heldMicro: 40_000,
      allowances: [{ lotId: 'lot1', model: 'openai/gpt-4o-mini', grantedTokens: 1_000_000, remainingTokens: 999_000, expiresAt: '2030-01-02T03:04:00.000Z', expired: false, createdAt: '2026-01-01T00:00:00.000Z' }],
    });
    h.shop.usages.set(id, {
      recent: [
        { id: 'r1', at: '2026-11-20T10:00:00.000Z', keyId: 'k', customerId: id, model: 'openai/gpt-4o-mini', stream: false, status: 200, outcome: 'ok', promptTokens: 12, completionTokens: 30, upstreamCostMicro: 5, chargeMicro: 7, profitMicro: 2, latencyMs: 300, allowanceTokens: 42 },
        { id: 'r2', at: '2026-11-20T10:01:00.000Z', keyId: 'k', customerId: id, model: 'openai/gpt-4o', stream: true, status: 200, outcome: 'ok', promptTokens: 100, completionTokens: 200, upstreamCostMicro: 2000, chargeMicro: 2500, profitMicro: 500, latencyMs: 900, allowanceTokens: 0 },
        { id: 'r3', at: '2026-11-20T10:02:00.000Z', keyId: 'k', customerId: id, model: 'openai/gpt-4o', stream: false, status: 429, outcome: 'rate_limited', promptTokens: 0, completionTokens: 0, upstreamCostMicro: 0, chargeMicro: 0, profitMicro: 0, latencyMs: 1, allowanceTokens: 0 },
      ],
      byModel: [{ model: 'openai/gpt-4o', requests: 2, promptTokens: 100, completionTokens: 200, chargeMicro: 2500, upstreamCostMicro: 2000, profitMicro: 500 }],
    });
    await alice.command('/balance');
    const balance = await alice.next(/Balance/);
    expect(balance.text).toContain('💰 Balance: $12.345678 available ($0.04 reserved for requests in progress).');
    expect(balance.text).toContain('• openai/gpt-4o-mini: 999,000 of 1,000,000 tokens left, until 2030-01-02 03:04 UTC');

    await alice.command('/usage');
    const usage = await alice.next(/Recent requests/);
    expect(usage.text).toContain('• 2026-11-20 10:00 UTC openai/gpt-4o-mini: 12 + 30 tokens, from your allowance');
    expect(usage.text).toContain('• 2026-11-20 10:01 UTC openai/gpt-4o: 100 + 200 tokens, $0.0025');
    expect(usage.text).toContain('openai/gpt-4o: failed (429)');
    expect(usage.text).toContain('Totals per model:\n• openai/gpt-4o: 2 requests, 300 tokens, $0.0025');
  });

  it('lists keys masked; rotating shows the new key once; revoking asks first', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    await onboard(alice);
    const id = h.shop.customer(4242)!.id;
    await alice.command('/keys');
    await alice.next(/no API keys yet/);

    const first = h.shop.issueKey(id, 'laptop');
    const second = h.shop.issueKey(id, 'server');
    await alice.command('/keys');
    const list = await alice.next(/Your API keys/);
    expect(list.text).not.toContain(first);
    expect(list.text).not.toContain(second);
    const [k1, k2] = h.shop.keys(id);
    expect(list.text).toContain(`${k1!.hint} laptop: active`);
    expect(list.buttons).toHaveLength(2);

    await alice.pressButton(list, `Rotate …${k1!.hint.slice(-4)}`);
    const rotated = await alice.next(/Your new key/);
    const newKey = /sk-arb-[A-Za-z0-9_-]+/.exec(rotated.text)![0];
    expect(newKey).not.toBe(first);
    expect(h.shop.keys(id).find((k) => k.id === k1!.id)!.status).toBe('revoked');
    expect(h.shop.mutations.filter((m) => m.startsWith('rotateKey'))).toEqual([`rotateKey ${k1!.id}`]);

    // Pressing the stale Rotate button again changes nothing.
    await alice.pressButton(list, `Rotate …${k1!.hint.slice(-4)}`);
    await alice.next(/Not found/);
    expect(h.shop.keys(id)).toHaveLength(3);

    await alice.pressButton(list, `Revoke …${k2!.hint.slice(-4)}`);
    const confirm = await alice.next(/Revoke the key/);
    expect(h.shop.keys(id).find((k) => k.id === k2!.id)!.status).toBe('active'); // not yet
    await alice.pressButton(confirm, 'Cancel');
    await alice.next(/stays active/);
    expect(h.shop.keys(id).find((k) => k.id === k2!.id)!.status).toBe('active');
    await alice.pressButton(confirm, 'Yes, revoke it');
    await alice.next(new RegExp(`The key ${k2!.hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is revoked`));
    expect(h.shop.keys(id).find((k) => k.id === k2!.id)!.status).toBe('revoked');
    expect(JSON.stringify(h.logs)).not.toContain(newKey);
  });

  it('tops up USD credit with a preset or a custom amount, priced by the amount chosen', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    await onboard(alice);
    await alice.command('/topup');
    const presets = await alice.next(/How much USD credit/);
    expect(presets.buttons.flat().map((b) => b.text)).toEqual(['$5', '$10', '$25', '$50', '✏️ Other amount']);
    await alice.pressButton(presets, '$10');
    const choose = await alice.next(/You are buying: \$10\.00 of USD credit\nTotal: \$10\.00/);
    await alice.pressButton(choose, 'Stars');
    const invoice = await alice.next((m) => m.method === 'sendInvoice');
    expect(invoice.invoice!.prices[0]!.amount).toBe(770); // ceil(10 / 0.013)

    await alice.pressButton(presets, 'Other amount');
    await alice.next(/Send the amount in USD/);
    await alice.say('lots');
    await alice.next(/Please send an amount from \$1\.00 to \$10,?000\.00/);
    await alice.say('12,50');
    const custom = await alice.next(/You are buying: \$12\.50 of USD credit/);
    await alice.pressButton(custom, 'USDT');
    const photo = await alice.next((m) => m.method === 'sendPhoto');
    expect(photo.text).toContain('Send exactly 12.50 USDT');
    expect(photo.text).toContain('Network: Ethereum (chain 1)');
    const orders = [...h.shop.orders.values()].map((o) => o.usdMicro);
    expect(orders).toEqual([10_000_000, 12_500_000]);
  });
});
