/**
 * Support tickets between a customer and the owner, and the owner's commands in Telegram:
 * /stats, /token_stats, /report, /create_package, a JSON file of packages, and an announcement
 * paced to every customer with one who blocked the bot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { onboard, startBotHarness, type BotHarness } from '../fakes/telegram-harness.js';
import { waitFor } from '../helpers/wait.js';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('shop bot: support', () => {
  it('turns /support into a ticket for the owner; replies reach the customer (button, Telegram reply, /reply, desktop)', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    const owner = h.owner();
    await onboard(alice);
    await onboard(owner);

    await alice.command('/support');
    await alice.next(/Write your message for the owner/);
    await alice.say('My key says 401 <why?> & what now');
    const sent = await alice.next(/Sent to the owner as ticket/);
    const ticket = [...h.shop.tickets.values()][0]!;
    expect(ticket).toMatchObject({ telegramId: 4242, text: 'My key says 401 <why?> & what now' });
    expect(sent.text).toContain(ticket.id);

    const forwarded = await owner.next(new RegExp(`#${ticket.id} from Alice`));
    expect(forwarded.text).toContain('My key says 401 <why?> & what now');
    expect(forwarded.text).toContain('(id 4242, @alice)');

    // 1. The Reply button, then the text.
    await owner.pressButton(forwarded, 'Reply');
    await owner.next(/Write your reply to ticket/);
    await owner.say('Check the <Authorization> header & retry.');
    await owner.next(/Reply delivered/);
    const reply1 = await alice.next(/Reply from the shop/);
    expect(reply1.text).toBe(`💬 Reply from the shop (ticket ${ticket.id}):\n\nCheck the <Authorization> header & retry.`);

    // 2. Telegram's own "reply" to the forwarded message.
    await owner.say('Also: keys are case-sensitive.', forwarded);
    await owner.next(/Reply delivered/);
    expect((await alice.next(/Reply from the shop/)).text).toContain('Also: keys are case-sensitive.');

    // 3. /reply <ticket> <text>
    await owner.command(`/reply ${ticket.id} Fixed on our side.`);
    await owner.next(/Reply delivered/);
    expect((await alice.next(/Reply from the shop/)).text).toContain('Fixed on our side.');
    await owner.command('/reply tkt_nope hello');
    await owner.next(/There is no ticket tkt_nope/);
    await owner.command('/reply');
    await owner.next(/Usage: \/reply <ticket id> <text>/);

    // 4. From the desktop (StorefrontEvents.ticketReply), in the customer's language.
    h.shop.setLanguage(4242, 'ru');
    expect(await h.bot.ticketReply(ticket, 'Ответ с компьютера')).toBe(true);
    expect((await alice.next(/Ответ магазина/)).text).toContain('Ответ с компьютера');

    // A customer who blocked the bot: the owner is told it was not delivered.
    h.telegram.block(4242);
    await owner.command(`/reply ${ticket.id} anyone there?`);
    await owner.next(/Could not deliver the reply/);
    expect(await h.bot.ticketReply(ticket, 'x')).toBe(false);
  });

  it('explains /paysupport and /terms, and cuts an over-long support text', async () => {
    h = await startBotHarness({ limits: { maxSupportText: 50 } });
    const alice = h.customer();
    await onboard(alice);
    await alice.command('/paysupport');
    expect((await alice.next(/Help with a payment/)).text).toMatch(/Telegram Stars.*refunded by the owner/s);
    await alice.command('/terms');
    expect((await alice.next(/The shop's terms/)).text).toContain('<used> tokens & top-ups are not refunded');
    await alice.command(`/support ${'x'.repeat(80)}`);
    const sent = await alice.next(/Sent to the owner/);
    expect(sent.text).toContain('longer than 50 characters');
    expect([...h.shop.tickets.values()][0]!.text).toBe('x'.repeat(50));
  });
});

describe('shop bot: the owner in Telegram', () => {
  it('answers /stats, /token_stats and /report with the shop\'s texts', async () => {
    h = await startBotHarness();
    const owner = h.owner();
    await owner.command('/stats');
    expect((await owner.next(/Customers: 3/)).text).toBe(h.shop.statsText());
    await owner.command('/token_stats');
    expect((await owner.next(/Tokens sold/)).text).toBe(h.shop.tokenStatsText());
    await owner.command('/report');
    expect((await owner.next(/Today:/)).text).toBe(h.shop.reportText());
    await owner.command('/help');
    expect((await owner.next(/Commands:/)).text).toContain('You are an owner of this shop');
  });

  it('creates a package with /create_package <model> <tokens> "<description>", with clear usage on mistakes', async () => {
    h = await startBotHarness();
    const owner = h.owner();
    await owner.command('/create_package gpt-4 100000 "GPT-4 Access - 100k tokens"');
    const created = await owner.next(/Package created/);
    expect(created.text).toContain('GPT-4 Access - 100k tokens');
    expect(h.shop.packageList.at(-1)).toMatchObject({ model: 'gpt-4', tokens: 100_000, description: 'GPT-4 Access - 100k tokens' });

    // Phones type “smart quotes”; 200k is fine too.
    await owner.command('/create_package claude-3-sonnet 200k “Claude 3 Sonnet — 200k tokens”');
    await owner.next(/Package created: Claude 3 Sonnet — 200k tokens/);
    expect(h.shop.packageList.at(-1)).toMatchObject({ tokens: 200_000 });

    const before = h.shop.mutations.length;
    const cases: [string, RegExp][] = [
      ['/create_package', /missing/],
      ['/create_package gpt-4 lots "x"', /Tokens must be a positive whole number/],
      ['/create_package gpt-4 -5 "x"', /Tokens must be a positive whole number/],
      ['/create_package gpt-4 100000', /description is missing/],
      ['/create_package gpt-4 100000 "unclosed', /never closed/],
      ['/create_package gpt-4 100000 GPT-4 Access', /Too many arguments/],
    ];
    for (const [command, problem] of cases) {
      await owner.command(command);
      const answer = await owner.next(problem);
      expect(answer.text).toContain('Usage: /create_package <model> <tokens> "<description>"');
    }
    await owner.command('/create_package no/such-model 1000 "x"');
    await owner.next(/unknown model "no\/such-model"/);
    expect(h.shop.mutations.length).toBe(before);
  });

  it('imports a JSON file of packages, or lists every error and imports nothing', async () => {
    h = await startBotHarness();
    const owner = h.owner();
    await owner.sendDocument('packages.json', JSON.stringify([
      { model: 'gpt-4', tokens: 100000, description: 'GPT-4 Access - 100k tokens', category_id: 1, subcategory_id: 1 },
      { model: 'claude-3-sonnet', tokens: 200000, description: 'Claude 3 Sonnet - 200k tokens', category_id: 1, subcategory_id: 2 },
    ]));
    const done = await owner.next(/Packages imported: 2/);
    expect(done.text).toContain('GPT-4 Access - 100k tokens');
    expect(h.telegram.calls('123456:TEST-token-for-the-shop-bot', 'getFile')).toHaveLength(1);

    const before = h.shop.packageList.length;
    await owner.sendDocument('bad.json', JSON.stringify([{ model: 'gpt-4', tokens: 0, description: '' }, { model: 'nope', tokens: 5, description: 'x' }]));
    const errors = await owner.next(/Nothing was imported/);
    expect(errors.text).toContain('item 1: tokens must be a positive whole number');
    expect(errors.text).toContain('item 1: description must not be empty');
    expect(errors.text).toContain('item 2: model "nope" is not in the upstream catalog');
    await owner.sendDocument('notes.txt', 'hello', 'text/plain');
    await owner.next(/Send the packages as a \.json file/);
    await owner.sendDocument('broken.json', '{ not json');
    await owner.next(/not valid JSON/);
    expect(h.shop.packageList.length).toBe(before);
  });

  it('announces to every customer after a confirmation, paced, and counts the delivered and the failed', async () => {
    h = await startBotHarness();
    const owner = h.owner();
    const customers = [101, 102, 103, 104, 105].map((id) => h!.customer(id, { firstName: `C${id}` }));
    for (const c of customers) await onboard(c);
    h.telegram.block(103);

    await owner.command('/announce');
    await owner.next(/Send the announcement text/);
    await owner.say('New models in the catalog: <Claude> & friends!');
    const confirm = await owner.next(/Send this announcement to 5 customers\?/);
    expect(confirm.text).toContain('New models in the catalog: <Claude> & friends!');
    expect(h.telegram.sent('123456:TEST-token-for-the-shop-bot').filter((m) => m.text.includes('New models'))).toHaveLength(1); // only the preview

    await owner.pressButton(confirm, 'Send to 5');
    await owner.next(/Sending to 5 customers/);
    const done = await owner.next(/Announcement finished/);
    expect(done.text).toBe('📣 Announcement finished: delivered 4, failed 1 (1 blocked the bot or left).');
    for (const c of customers.filter((c) => c.userId !== 103)) expect((await c.next(/New models/)).raw).toBe('New models in the catalog: <Claude> & friends!');

    // One attempt per customer (the blocked one is not retried), as plain text (no parse mode).
    const broadcast = h.telegram.calls('123456:TEST-token-for-the-shop-bot', 'sendMessage').filter((c) => c.payload.text === 'New models in the catalog: <Claude> & friends!');
    expect(broadcast.map((c) => c.payload.chat_id).sort()).toEqual([101, 102, 103, 104, 105]);
    expect(broadcast.every((c) => c.payload.parse_mode === undefined)).toBe(true);

    // The button cannot send it twice.
    await owner.pressButton(confirm, 'Send to 5');
    await owner.next(/already sent or cancelled/);
    await waitFor(() => h!.logs.filter((l) => l.event === 'bot.announcement_done').length, (n) => n === 1, { what: 'one announcement' });
    expect(h.logs.filter((l) => l.event === 'bot.announcement_done')).toEqual([expect.objectContaining({ delivered: 4, failed: 1, blocked: 1, level: 30 })]);
  });
});
