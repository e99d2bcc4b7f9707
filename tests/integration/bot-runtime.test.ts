/**
 * The shop bot's runtime: webhook mode with a secret token, Telegram's 429 retry_after on
 * outgoing calls, the command menus, Stars refunds, and what "not configured" means.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotService } from '../../services/bot/bot-service.js';
import { checkBotConfig } from '../../services/bot/bot-settings.js';
import { encodeCallback } from '../../services/bot/callback-data.js';
import { defaultSettings, type Settings } from '../../services/config/schema.js';
import { freePort } from '../fakes/telegram-bot-api.js';
import { BOT_TOKEN, OWNER_ID, onboard, startBotHarness, type BotHarness } from '../fakes/telegram-harness.js';
import { FakeShop } from '../fakes/telegram-shop.js';
import { waitFor } from '../helpers/wait.js';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('shop bot runtime', () => {
  it('runs on a webhook that refuses calls without the secret token', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/tg/hook`;
    h = await startBotHarness({ settings: { 'telegram.webhookUrl': url, 'telegram.webhookSecretToken': 'sekret_Token-1', 'telegram.webhookPort': port } });
    expect(h.started).toMatchObject({ reason: 'running as @TestNameBot (webhook)', detail: { mode: 'webhook', webhook: url } });
    expect(h.telegram.calls(BOT_TOKEN, 'setWebhook')[0]!.payload).toMatchObject({ url, secret_token: 'sekret_Token-1', allowed_updates: ['message', 'callback_query', 'pre_checkout_query'] });

    // Telegram (the stand-in) calls with the secret: served.
    const alice = h.customer();
    await alice.command('/start');
    await alice.next(/^Welcome, Alice!/);
    // The bot may answer before its webhook response reaches Telegram: wait for that response.
    const telegram = h.telegram;
    const deliveries = await waitFor(() => telegram.webhookDeliveries(), (d) => d.length > 0, { what: 'the webhook delivery to be answered' });
    expect(deliveries).toEqual([{ status: 200 }]);

    // Anyone else: refused, and the update is not handled.
    const update = { update_id: 999_999, message: { message_id: 1, date: 1, chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'Eve' }, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] } };
    const post = (headers: Record<string, string>, path = '/tg/hook') =>
      fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) });
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(403);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'sekret_Token-1' }, '/other')).status).toBe(404);
    const bad = await fetch(`http://127.0.0.1:${port}/tg/hook`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': 'sekret_Token-1' }, body: '{oops' });
    expect(bad.status).toBe(400);
    expect(h.logs.filter((l) => l.event === 'bot.webhook_rejected')).toHaveLength(4);

    // With the secret, a hand-made update is handled like Telegram's.
    expect((await post({ 'x-telegram-bot-api-secret-token': 'sekret_Token-1' })).status).toBe(200);
    await alice.next(/Commands:/);
    expect(alice.messages().filter((m) => /Commands:/.test(m.text))).toHaveLength(1);
  });

  it('makes up a secret token when none is configured, and Telegram gets it', async () => {
    const port = await freePort();
    h = await startBotHarness({ settings: { 'telegram.webhookUrl': `http://127.0.0.1:${port}/`, 'telegram.webhookPort': port } });
    const secret = String(h.telegram.calls(BOT_TOKEN, 'setWebhook')[0]!.payload.secret_token);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const alice = h.customer();
    await alice.command('/help');
    await alice.next(/Commands:/);
    expect((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' })).status).toBe(403);
  });

  it('honours 429 retry_after on outgoing messages: waits, then delivers', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    h.telegram.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, { chatId: 4242 });
    await alice.command('/help');
    await alice.next(/Commands:/);
    const attempts = h.telegram.calls(BOT_TOKEN, 'sendMessage').filter((c) => c.payload.chat_id === 4242);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(h.logs.find((l) => l.event === 'bot.rate_limited')).toMatchObject({ method: 'sendMessage', waitMs: 1000 });
  });

  it('sets the command menu per language, with the owner commands for owners only', async () => {
    h = await startBotHarness();
    const menus = h.telegram.calls(BOT_TOKEN, 'setMyCommands').map((c) => c.payload);
    const en = menus.find((m) => m.scope === undefined && m.language_code === undefined)!;
    const ru = menus.find((m) => m.language_code === 'ru')!;
    const owner = menus.find((m) => (m.scope as { chat_id?: number } | undefined)?.chat_id === OWNER_ID)!;
    const names = (m: Record<string, unknown>) => (m.commands as { command: string }[]).map((c) => c.command);
    expect(names(en)).toEqual(['start', 'catalog', 'balance', 'usage', 'keys', 'topup', 'support', 'paysupport', 'terms', 'language', 'help']);
    expect(names(ru)).toEqual(names(en));
    expect((ru.commands as { description: string }[])[0]!.description).toBe('Приветствие и меню');
    expect(names(owner)).toEqual([...names(en), 'stats', 'token_stats', 'report', 'create_package', 'announce', 'reply']);
  });

  it('refunds a Stars payment for the owner (from the desktop) with refundStarPayment', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    await onboard(alice);
    await alice.press(encodeCallback({ action: 'payp', packageId: 'pkg_haiku', method: 'stars' }));
    const invoice = (await alice.next((m) => m.method === 'sendInvoice')).invoice!;
    const chargeId = alice.pay({ payload: invoice.payload, currency: 'XTR', totalAmount: invoice.prices[0]!.amount });
    await alice.next(/Payment of/);
    await h.bot.refundStars(4242, chargeId);
    expect(alice.refunded(chargeId)).toBe(true);
    await expect(h.bot.refundStars(4242, chargeId)).rejects.toMatchObject({ description: expect.stringMatching(/ALREADY_REFUNDED/) });
    await expect(h.bot.refundStars(4242, 'stxNope')).rejects.toMatchObject({ description: expect.stringMatching(/CHARGE_NOT_FOUND/) });
  });

  it('treats an id in telegram.ownerIds that the shop does not know as a customer', async () => {
    h = await startBotHarness({ shop: { ownerIds: [] } });
    const owner = h.owner();
    await owner.command('/stats');
    await owner.next(/only for the shop's owner/);
  });

  it('tells StorefrontEvents callers it cannot deliver while stopped', async () => {
    h = await startBotHarness();
    await h.bot.stop();
    expect(h.bot.isRunning).toBe(false);
    expect(await h.bot.delivered(4242, { kind: 'credit', usdMicro: 1_000_000 }, null)).toBe(false);
    expect(await h.bot.ownerAlert('x')).toBe(0);
    await expect(h.bot.refundStars(4242, 'c')).rejects.toThrow(/not running/);
  });

  it('alerts the owners in their language', async () => {
    h = await startBotHarness();
    const owner = h.owner();
    await onboard(owner);
    expect(await h.bot.ownerAlert('Upstream credit is low: $4.20 <left>')).toBe(1);
    expect((await owner.next(/Upstream credit/)).text).toBe('🔔 Upstream credit is low: $4.20 <left>');
  });
});

describe('bot settings', () => {
  const settings = (changes: Partial<Record<string, unknown>>) => ({ ...defaultSettings(), ...changes }) as Settings;
  it('says what is missing', () => {
    expect(checkBotConfig(settings({}))).toMatch(/^not configured: telegram\.token is empty/);
    expect(new BotService({ shop: new FakeShop() }).checkConfig(settings({ 'telegram.token': BOT_TOKEN }))).toBeNull();
    expect(checkBotConfig(settings({ 'telegram.token': BOT_TOKEN, 'telegram.webhookUrl': 'http://bot.example.com/hook' }))).toMatch(/must be an https:\/\/ URL/);
    expect(checkBotConfig(settings({ 'telegram.token': BOT_TOKEN, 'telegram.webhookUrl': 'https://bot.example.com/hook' }))).toBeNull();
  });
});
