/**
 * Bad input to every handler gets a clear answer and changes nothing: unknown commands, free
 * text, forged button data (package ids, prices, other people's invoices and keys), huge
 * messages, owner commands from a non-owner, buying before accepting the terms, pre-checkout
 * queries that do not match their invoice, and a flood of updates.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCallback } from '../../services/bot/callback-data.js';
import { onboard, startBotHarness, type BotHarness } from '../fakes/telegram-harness.js';
import { waitFor } from '../helpers/wait.js';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('shop bot: bad input', () => {
  it('answers unknown commands, free text, stickers and huge messages helpfully', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    await onboard(alice);
    const before = [...h.shop.mutations];
    await alice.command('/frobnicate');
    await alice.next(/I don't know the command \/frobnicate\. Send \/help/);
    await alice.say('hello?');
    await alice.next(/I'm the shop's bot/);
    await alice.sendMessage(alice.makeMessage('', { text: undefined, sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } }));
    await alice.next(/I can only read text here/);
    await alice.say('x'.repeat(100_000));
    const huge = await alice.next(/I'm the shop's bot/);
    expect(huge.text).toContain('longer than 4,000 characters');
    await alice.command(`/${'a'.repeat(60)}`);
    await alice.next(/I don't know the command/);
    await alice.command('/cancel');
    await alice.next(/nothing to cancel/);
    expect(h.shop.mutations).toEqual(before);
  });

  it('refuses forged and stale button data; prices never come from a button', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    const bob = h.customer(5151, { firstName: 'Bob' });
    await onboard(alice);
    await onboard(bob);
    // Bob has a key and an invoice; Alice will try to use their ids.
    const bobId = h.shop.customer(5151)!.id;
    h.shop.issueKey(bobId);
    const bobKey = h.shop.keys(bobId)[0]!;
    const { orderId } = h.shop.order(bobId, { packageId: 'pkg_sonnet' });
    const bobInvoice = h.shop.starsInvoice(orderId).invoice;
    const before = [...h.shop.mutations];

    const forged: [string, RegExp][] = [
      ['v1|pkg|pkg_doesnotexist', /Not found/],
      ['v1|buy|pkg_gone', /not for sale right now/],
      ['v1|payp|pkg_doesnotexist|stars', /Not found/],
      ['v1|payp|pkg_mini1m|paypal', /^$/], // not a method the schema knows: refused as stale
      ['v1|payp|pkg_mini1m|eth', /Not found/], // a method the shop does not offer
      ['v1|chk|' + bobInvoice.id, /Not found/],
      ['v1|key|rot|' + bobKey.id, /Not found/],
      ['v1|key|revok|' + bobKey.id, /Not found/],
      ['v1|top|1', /Please send an amount from \$1\.00/],
      ['v1|payt|99999999|stars', /Please send an amount from \$1\.00/],
      ['v1|ann|go|abc', /only for the shop's owner/],
      ['v1|tkt|tkt_0001', /only for the shop's owner/],
    ];
    for (const [data, answer] of forged) {
      await alice.press(data);
      if (answer.source !== '^$') await alice.next(answer, { what: `the answer to ${data}` });
    }
    // Not parseable at all: only a short "out of date" notice on the button, no message.
    for (const data of ['v1|payp|pkg_mini1m|stars|0.01', 'v2|pkg|pkg_mini1m', 'v1|cat|-1', 'v1|pkg|' + 'x'.repeat(80), '{"price":0}', 'v1|lang|de', '']) {
      await alice.press(data);
    }
    await waitFor(
      () => h!.telegram.calls('123456:TEST-token-for-the-shop-bot', 'answerCallbackQuery').filter((c) => /out of date/.test(String(c.payload.text))).length,
      (n) => n === 8,
      { what: 'eight "out of date" answers' },
    );
    expect(h.shop.mutations).toEqual(before);
    expect(h.shop.keys(bobId)[0]!.status).toBe('active');
    expect(h.shop.invoice(bobInvoice.id)!.status).toBe('new');

    // A real button's amount is the package's live price, whatever the message said before.
    h.shop.package('pkg_mini1m')!.priceMicro = 2_000_000;
    await alice.press(encodeCallback({ action: 'payp', packageId: 'pkg_mini1m', method: 'stars' }));
    const invoice = await alice.next((m) => m.method === 'sendInvoice');
    expect(invoice.invoice!.prices[0]!.amount).toBe(Math.ceil(2_000_000 / 13_000));
    const newOrder = [...h.shop.orders.values()].at(-1)!;
    expect(newOrder.usdMicro).toBe(2_000_000);
  });

  it('keeps a customer who has not accepted the terms out of the shop', async () => {
    h = await startBotHarness();
    const carol = h.customer(6161, { firstName: 'Carol' });
    await carol.command('/catalog');
    await carol.next(/Please accept the shop's terms first/);
    await carol.press(encodeCallback({ action: 'payp', packageId: 'pkg_mini1m', method: 'stars' }));
    await carol.next(/Please accept the shop's terms first/);
    await carol.command('/start');
    await carol.next(/^Welcome, Carol!/);
    await carol.command('/balance');
    await carol.next(/Please accept the shop's terms first/);
    expect(h.shop.orders.size).toBe(0);
    expect(h.shop.mutations).toEqual(['register 6161']);
  });

  it('tells a non-owner that owner commands are not theirs, and changes nothing', async () => {
    h = await startBotHarness();
    const mallory = h.customer(6666, { firstName: 'Mallory' });
    await onboard(mallory);
    const before = [...h.shop.mutations];
    for (const command of ['/stats', '/token_stats', '/report', '/create_package gpt-4 1000 "free"', '/announce hello all', '/reply tkt_0001 hi']) {
      await mallory.command(command);
      await mallory.next(/This command is only for the shop's owner/, { what: `the refusal of ${command}` });
    }
    await mallory.sendDocument('packages.json', JSON.stringify([{ model: 'gpt-4', tokens: 1, description: 'x' }]));
    await mallory.next(/I can't do anything with files here/);
    await mallory.command('/help');
    expect((await mallory.next(/Commands:/)).text).not.toContain('You are an owner');
    expect(h.shop.mutations).toEqual(before);
    expect(h.telegram.calls('123456:TEST-token-for-the-shop-bot', 'getFile')).toHaveLength(0);
    expect(h.logs.filter((l) => l.event === 'bot.owner_command_refused')).toHaveLength(6);
  });

  it('refuses pre-checkout queries that do not match their invoice, and never credits them', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    const bob = h.customer(5151, { firstName: 'Bob' });
    await onboard(alice);
    await onboard(bob);
    await alice.press(encodeCallback({ action: 'payp', packageId: 'pkg_mini1m', method: 'stars' }));
    const invoice = (await alice.next((m) => m.method === 'sendInvoice')).invoice!;
    const cases: [ReturnType<typeof alice.preCheckout>, RegExp][] = [
      [alice.preCheckout({ payload: invoice.payload, currency: 'XTR', totalAmount: 1 }), /amount does not match/],
      [alice.preCheckout({ payload: invoice.payload, currency: 'USD', totalAmount: 58 }), /amount does not match/],
      [alice.preCheckout({ payload: 'inv_forged', currency: 'XTR', totalAmount: 58 }), /no longer valid/],
      [bob.preCheckout({ payload: invoice.payload, currency: 'XTR', totalAmount: 58 }), /someone else/],
    ];
    for (const [query, reason] of cases) expect(await alice.waitPreCheckoutAnswer(query)).toMatchObject({ ok: false, errorMessage: expect.stringMatching(reason) });
    h.shop.expire(invoice.payload);
    const late = alice.preCheckout({ payload: invoice.payload, currency: 'XTR', totalAmount: 58 });
    expect(await alice.waitPreCheckoutAnswer(late)).toMatchObject({ ok: false, errorMessage: expect.stringMatching(/expired/) });
    expect(h.shop.starsPaidCalls).toHaveLength(0);
  });

  it('does not lose a payment the shop fails to record: the customer and the owner are told', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    const owner = h.owner();
    await onboard(alice);
    await alice.press(encodeCallback({ action: 'payp', packageId: 'pkg_mini1m', method: 'stars' }));
    const invoice = (await alice.next((m) => m.method === 'sendInvoice')).invoice!;
    h.shop.failStarsPaid = new Error('database is locked');
    const chargeId = alice.pay({ payload: invoice.payload, currency: 'XTR', totalAmount: 58 });
    await alice.next(/could not record it automatically/);
    const alert = await owner.next(/A Stars payment could not be recorded/);
    expect(alert.text).toContain(chargeId);
    expect(alert.text).toContain('database is locked');
    expect(h.logs.find((l) => l.event === 'bot.stars_payment_not_recorded')).toMatchObject({ chargeId, level: 50 });
  });

  it('slows down a flooding user: one "slow down", then silence, then normal service', async () => {
    h = await startBotHarness({ settings: { 'telegram.floodLimit': 3, 'telegram.floodWindowSeconds': 60 } });
    const alice = h.customer();
    for (let i = 0; i < 8; i++) await alice.command('/help');
    await alice.next(/Slow down/);
    await waitFor(() => h!.logs.filter((l) => l.event === 'bot.flood').length, (n) => n === 1, { what: 'the flood warning' });
    // Three answers, one warning — the other four updates were dropped without a word.
    await waitFor(() => alice.messages().length, (n) => n === 4, { what: '3 answers and a warning' });
    expect(alice.messages().filter((m) => /Commands:/.test(m.text))).toHaveLength(3);
    // Payments are never throttled.
    const query = alice.preCheckout({ payload: 'inv_x', currency: 'XTR', totalAmount: 1 });
    expect(await alice.waitPreCheckoutAnswer(query)).toMatchObject({ ok: false });
    // Another user is unaffected.
    const bob = h.customer(5151, { firstName: 'Bob' });
    await bob.command('/help');
    await bob.next(/Commands:/);
  });
});
