/**
 * A new customer's journey through the shop bot, against the Bot API stand-in
 * (telegram-test-api, extended in tests/fakes) and an in-memory shop: /start → terms → language
 * → catalog → package → pay with Telegram Stars (invoice, pre-checkout, successful payment,
 * replayed) → the key delivered once with quick-starts; a crypto invoice with its QR code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { onboard, startBotHarness, type BotHarness } from '../fakes/telegram-harness.js';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('shop bot: a customer buys a package', () => {
  it('goes from /start to a delivered key, paying with Telegram Stars', async () => {
    h = await startBotHarness();
    expect(h.started).toMatchObject({ reason: 'running as @TestNameBot', detail: { mode: 'long polling' } });
    const alice = h.customer();

    await alice.command('/start');
    const welcome = await alice.next(/^Welcome, Alice!/);
    // The owner's terms are shown as text, escaped for HTML ("<used> tokens & top-ups").
    expect(welcome.text).toContain('<used> tokens & top-ups are not refunded');
    expect(welcome.parseMode).toBe('HTML');
    expect(h.shop.customer(4242)).toMatchObject({ name: 'Alice', language: 'en', termsAcceptedAt: null });

    await alice.pressButton(welcome, 'I accept');
    const langs = await alice.next(/choose your language/i);
    expect(h.shop.customer(4242)!.termsAcceptedAt).not.toBeNull();
    await alice.pressButton(langs, 'Русский');
    await alice.next(/Язык: русский/);
    const menuRu = await alice.next(/Что вы хотите сделать/);
    expect(menuRu.buttons.flat().map((b) => b.text)).toContain('🛒 Каталог');
    await alice.command('/language');
    await alice.pressButton(await alice.next(/Выберите язык/), 'English');
    const menu = await alice.next(/What would you like to do/);

    // Catalog: live prices from the shop, paginated (5 per page); the unpriced package is hidden.
    await alice.pressButton(menu, 'Catalog');
    const page1 = await alice.next(/Catalog \(page 1 of 2\)/);
    expect(page1.text).toContain('GPT-4o <fast> & smart — 100k tokens');
    expect(page1.text).toContain('$1.25');
    expect(page1.text).not.toContain('old/model');
    await alice.pressButton(page1, 'Next');
    const page2 = await alice.next(/page 2 of 2/);
    expect(page2.buttons.flat().map((b) => b.text).join(' ')).toContain('mixtral');

    await alice.pressButton(page1, 'openai/gpt-4o-mini');
    const details = await alice.next(/Model: openai\/gpt-4o-mini/);
    expect(details.text).toMatch(/Tokens: 1,000,000/);
    expect(details.text).toMatch(/Price: \$0\.75/);
    await alice.pressButton(details, 'Buy for $0.75');
    const choose = await alice.next(/Choose how to pay/);
    expect(choose.buttons.flat().map((b) => b.text)).toEqual(['⭐ Telegram Stars', '₿ Bitcoin', 'USDT (ERC-20)']);

    await alice.pressButton(choose, 'Telegram Stars');
    const invoiceMessage = await alice.next((m) => m.method === 'sendInvoice');
    const invoice = invoiceMessage.invoice!;
    expect(invoice).toMatchObject({ currency: 'XTR', providerToken: '', prices: [{ amount: 58 }] }); // ceil(0.75 / 0.013)
    const stored = h.shop.invoice(invoice.payload)!;
    expect(stored).toMatchObject({ method: 'stars', amountBase: '58', status: 'new', customerId: h.shop.customer(4242)!.id });

    // Telegram asks before charging: answered OK, well within its 10-second deadline.
    const query = alice.preCheckout({ payload: invoice.payload, currency: 'XTR', totalAmount: 58 });
    const answer = await alice.waitPreCheckoutAnswer(query);
    expect(answer).toMatchObject({ ok: true });
    expect(answer.afterMs).toBeLessThan(10_000);
    expect(h.shop.starsPaidCalls).toHaveLength(0); // nothing is delivered before the payment

    const chargeId = alice.pay({ payload: invoice.payload, currency: 'XTR', totalAmount: 58 });
    await alice.next(/Payment of 58 Stars received/);
    const delivered = await alice.next(/Delivered: 1,000,000 tokens of openai\/gpt-4o-mini, valid for 30 days/);
    const key = /sk-arb-[A-Za-z0-9_-]+/.exec(delivered.text)?.[0];
    expect(key).toBeDefined();
    expect(delivered.text).toMatch(/shown only once/);
    expect(delivered.raw).toContain(`<code>${key}</code>`);
    const quick = await alice.next(/Quick start/);
    expect(quick.text).toContain('https://ai.example.com/ai-proxy/v1/chat/completions');
    expect(quick.text).toContain(`Authorization: Bearer ${key}`);
    expect(quick.text).toContain(`OpenAI(base_url="https://ai.example.com/ai-proxy/v1", api_key="${key}")`);
    expect(quick.text).toContain(`new OpenAI({ baseURL: 'https://ai.example.com/ai-proxy/v1', apiKey: '${key}' })`);
    expect(quick.raw).toContain('<pre><code class="language-bash">');
    expect(quick.text).toContain('"model":"openai/gpt-4o-mini"');

    // Telegram (or a replay) delivers the same successful_payment again: credited once.
    alice.pay({ payload: invoice.payload, currency: 'XTR', totalAmount: 58, chargeId });
    await waitFor(() => h!.shop.starsPaidCalls.length, (n) => n === 2, { what: 'the replayed payment reaching the shop' });
    expect(h.shop.starsCredits).toEqual([{ chargeId, invoiceId: invoice.payload, stars: 58 }]);
    expect(h.shop.deliveries).toHaveLength(1);
    // The host's "invoice settled" for a Stars invoice adds nothing to the payment message.
    expect(await h.bot.invoiceChanged(4242, h.shop.invoice(invoice.payload)!)).toBe(false);

    // Paying the settled invoice again is refused before Telegram charges.
    const again = alice.preCheckout({ payload: invoice.payload, currency: 'XTR', totalAmount: 58 });
    expect(await alice.waitPreCheckoutAnswer(again)).toMatchObject({ ok: false, errorMessage: expect.stringMatching(/expired/) });

    // The key never reaches the logs.
    expect(JSON.stringify(h.logs)).not.toContain(key!);
    const keys = h.shop.keys(h.shop.customer(4242)!.id);
    expect(keys).toHaveLength(1);
  });

  it('sends a crypto invoice as a QR code photo with amount, address, network, link, expiry and a status button', async () => {
    h = await startBotHarness();
    const alice = h.customer();
    await onboard(alice);
    await alice.command('/catalog');
    const page = await alice.next(/Catalog/);
    await alice.pressButton(page, 'openai/gpt-4o ·');
    await alice.pressButton(await alice.next(/Model: openai\/gpt-4o\n/), 'Buy');
    await alice.pressButton(await alice.next(/Choose how to pay/), 'Bitcoin');
    const photo = await alice.next((m) => m.method === 'sendPhoto');
    expect(photo.photo!.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])); // a PNG
    const inv = [...h.shop.invoices.values()].find((i) => i.method === 'btc')!;
    expect(photo.text).toContain(`Invoice ${inv.id}`);
    expect(photo.text).toContain('Send exactly 0.00002084 BTC'); // $1.25 at $60,000
    expect(photo.text).toContain('Network: Bitcoin');
    expect(photo.text).toContain(`To: ${inv.address}`);
    expect(photo.text).toContain(`bitcoin:${inv.address}?amount=0.00002084`);
    expect(photo.text).toMatch(/Expires: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    await alice.pressButton(photo, 'Check status');
    const status = await alice.next(/waiting for your payment of 0\.00002084 BTC/);
    expect(status.buttons.flat().map((b) => b.text)).toEqual(['🔄 Check status']);

    // The host reports progress: seen, confirmations, settled (in the customer's language).
    await h.bot.invoiceChanged(4242, { ...inv, status: 'processing', paidBase: inv.amountBase, confirmations: 1, requiredConfirmations: 2 } as typeof inv);
    await alice.next(/payment received, 1 of 2 confirmations/);
    await h.bot.invoiceChanged(4242, { ...inv, status: 'settled', paidBase: inv.amountBase, confirmations: 2 });
    await alice.next(new RegExp(`Invoice ${inv.id} is paid`));
    await h.bot.invoiceChanged(4242, { ...inv, status: 'expired', flags: ['underpaid'], paidBase: '1000' });
    const expired = await alice.next(/has expired/);
    expect(expired.text).toContain('Received 0.00001 of 0.00002084 BTC');
  });

  it('greets a customer whose Telegram speaks Russian in Russian, and remembers the choice', async () => {
    h = await startBotHarness();
    const ivan = h.customer(7070, { firstName: 'Иван', languageCode: 'ru-RU' });
    await ivan.command('/start');
    const welcome = await ivan.next(/^Здравствуйте, Иван!/);
    expect(welcome.text).toContain('<использованные> токены & пополнения не возвращаются');
    expect(welcome.buttons.flat().map((b) => b.text)).toEqual(['✅ Принимаю условия', 'English', 'Русский']);
    expect(h.shop.customer(7070)!.language).toBe('ru');
    await ivan.pressButton(welcome, 'Принимаю');
    await ivan.pressButton(await ivan.next(/Теперь выберите язык/), 'Русский');
    await ivan.next(/Что вы хотите сделать/);
    await ivan.command('/balance');
    await ivan.next(/Баланс: доступно \$0\.00/);
    await ivan.command('/nonsense');
    await ivan.next(/Я не знаю команду \/nonsense/);
  });
});
