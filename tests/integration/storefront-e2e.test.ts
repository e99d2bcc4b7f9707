/**
 * The storefront end to end, every part real except what cannot run here: the ArbDesk host
 * (bot, proxy, payments), telegram-test-api as the Bot API server (extended with payments
 * methods in tests/fakes), ganache as the Ethereum node with an ERC-20 token deployed in the
 * test, and the OpenRouter-compatible upstream stand-in. A new customer /starts, buys a package,
 * pays in ETH (and tops up in the token), sees the invoice move through its states as blocks
 * are mined, receives a key, the key answers on the proxy, and /balance shows the usage. Stars
 * with pre_checkout_query and successful_payment (replayed) credit once.
 */
import { HDNodeWallet } from 'ethers';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Host } from '../../services/host/host.js';
import { startFakeEthChain, type FakeEthChain, type TestToken } from '../fakes/ganache.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-bot-api.js';
import { onboard } from '../fakes/telegram-client.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const BOT_TOKEN = '555001:STOREFRONT-e2e-token';
const OWNER = 9001;
const OWNER_ETH_XPUB = HDNodeWallet.fromPhrase('test test test test test test test test test test test junk', undefined, "m/44'/60'/0'").neuter().extendedKey;

let telegram: FakeTelegram;
let upstream: FakeUpstream;
let chain: FakeEthChain;
let token: TestToken;
let host: Host;
let cleanup: () => void;

beforeAll(async () => {
  [telegram, upstream, chain] = await Promise.all([startFakeTelegram(), startFakeUpstream(), startFakeEthChain({ chainId: 1337 })]);
  token = await chain.deployToken({ decimals: 6 });
  const t = tempDir();
  cleanup = t.cleanup;
  host = new Host({
    dataDir: t.dir,
    mode: 'headless',
    env: {
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ADMIN_ID_LIST: String(OWNER),
      OPENROUTER_BASE_URL: upstream.baseUrl,
      OPENROUTER_API_KEY: upstream.apiKey,
      ARBDESK_PAYMENTS_ETH_XPUB: OWNER_ETH_XPUB,
      ARBDESK_PAYMENTS_ETH_RPC_URL: chain.rpcUrl,
      ARBDESK_PAYMENTS_ETH_CHAIN_ID: '1337',
      ARBDESK_PAYMENTS_ETH_TOKENS: `TUSD:${token.address}:6`,
      ARBDESK_PAYMENTS_RATES: 'ETH=3000,TUSD=1',
      ARBDESK_PAYMENTS_CONFIRMATIONS: 'eth=2',
      ARBDESK_PAYMENTS_POLL_SECONDS: '1',
    },
    flags: { 'proxy.port': 0, 'control.port': 0 },
  });
  await host.start();
  const r = await host.dispatch('packages.import', { packages: [{ model: 'openai/gpt-4o-mini', tokens: 200_000, description: 'GPT-4o mini 200k', validity_days: 30 }] });
  if (!r.ok) throw new Error(r.error.message);
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await Promise.all([telegram?.stop(), upstream?.stop(), chain?.stop()]);
  cleanup?.();
});

describe('the storefront, end to end', () => {
  it('a new customer buys a package with ETH, gets a working key, and /balance shows the usage', async () => {
    const alice = telegram.client(BOT_TOKEN, { userId: 4242, firstName: 'Alice' });
    const menu = await onboard(alice);
    await alice.pressButton(menu, 'Catalog');
    const catalog = await alice.next(/Catalog/);
    await alice.pressButton(catalog, 'openai/gpt-4o-mini');
    const details = await alice.next(/Model: openai\/gpt-4o-mini/);
    await alice.pressButton(details, /Buy for \$/);
    const choose = await alice.next(/Choose how to pay/);
    expect(choose.buttons.flat().map((b) => b.text)).toEqual(['⭐ Telegram Stars', 'Ξ Ethereum', 'TUSD (ERC-20)']);
    await alice.pressButton(choose, 'Ethereum');
    const invoiceMsg = await alice.next((m) => m.method === 'sendPhoto', { what: 'the QR code invoice' });
    const address = /0x[0-9a-fA-F]{40}/.exec(invoiceMsg.text)![0];

    const invoice = host.business.invoices.byAddress(address.toLowerCase())!;
    expect(invoice).toMatchObject({ status: 'new', method: 'eth' });
    await chain.sendEth(address, BigInt(invoice.amount_base));
    await waitFor(() => host.business.invoices.invoice(invoice.id)!.status, (s) => s === 'processing', { what: 'payment seen', timeoutMs: 20_000 });
    await alice.next(/confirmation/i, { timeoutMs: 20_000, what: 'the payment-seen message' });
    await chain.mine(2);
    const delivered = await alice.next(/sk-arb-[\w-]{43}/, { timeoutMs: 20_000, what: 'the key message' });
    expect(host.business.invoices.invoice(invoice.id)!.status).toBe('settled');
    const key = /sk-arb-[\w-]{43}/.exec(delivered.text)![0];
    expect(delivered.text).toMatch(/200,?000 tokens/); // what was delivered
    expect(delivered.text).toMatch(/curl|python|openai/i);

    const proxyUrl = host.serviceStatuses().find((s) => s.id === 'proxy')!.detail.url!;
    const reply = await new OpenAI({ apiKey: key, baseURL: `${proxyUrl}/v1`, maxRetries: 0 }).chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello from the e2e' }],
      max_tokens: 12,
    });
    const used = reply.usage!.prompt_tokens + reply.usage!.completion_tokens;

    alice.skip(); // the delivery and quick-start messages are read
    await alice.command('/balance');
    const balance = await alice.next(/openai\/gpt-4o-mini/);
    expect(balance.text.replace(/[,\s]/g, '')).toContain(String(200_000 - used));
    alice.skip();
    await alice.command('/usage');
    const usage = await alice.next(/openai\/gpt-4o-mini/);
    expect(usage.text).toMatch(/1 request/);
    expect(host.ledger.checkInvariants()).toEqual([]);
  });

  it('a token top-up through the bot is credited once confirmed', async () => {
    const bob = telegram.client(BOT_TOKEN, { userId: 4343, firstName: 'Bob' });
    await onboard(bob);
    await bob.command('/topup');
    const amounts = await bob.next(/How much USD credit/);
    await bob.pressButton(amounts, /\$5\b/);
    await bob.pressButton(await bob.next(/Choose how to pay/), 'TUSD');
    const msg = await bob.next((m) => m.method === 'sendPhoto', { what: 'the token invoice' });
    const address = /0x[0-9a-fA-F]{40}/.exec(msg.text)![0];
    await chain.sendToken(token, address, 5_000_000n);
    await chain.mine(2);
    await waitFor(() => host.business.invoices.byAddress(address.toLowerCase())!.status, (s) => s === 'settled', { what: 'token invoice settled', timeoutMs: 20_000 });
    const customer = host.business.customers.byTelegramId(4343)!;
    expect(host.ledger.customerBalance(customer.id).availableMicro).toBe(5_000_000);
    expect(host.ledger.checkInvariants()).toEqual([]);
  });

  it('Stars: sendInvoice in XTR, pre_checkout_query answered, successful_payment credited once even when replayed', async () => {
    const carol = telegram.client(BOT_TOKEN, { userId: 4444, firstName: 'Carol' });
    const menu = await onboard(carol);
    await carol.pressButton(menu, 'Catalog');
    await carol.pressButton(await carol.next(/Catalog/), 'openai/gpt-4o-mini');
    await carol.pressButton(await carol.next(/Model:/), /Buy for \$/);
    await carol.pressButton(await carol.next(/Choose how to pay/), 'Telegram Stars');
    const inv = await carol.next((m) => m.method === 'sendInvoice', { what: 'the Stars invoice' });
    expect(inv.invoice).toMatchObject({ currency: 'XTR' });
    const payload = inv.invoice!.payload;
    const totalAmount = inv.invoice!.prices.reduce((sum, p) => sum + p.amount, 0);
    const q = carol.preCheckout({ payload, currency: 'XTR', totalAmount });
    expect(await carol.waitPreCheckoutAnswer(q)).toMatchObject({ ok: true });
    carol.pay({ payload, currency: 'XTR', totalAmount, chargeId: 'stars-charge-e2e' });
    carol.pay({ payload, currency: 'XTR', totalAmount, chargeId: 'stars-charge-e2e' });
    await carol.next(/sk-arb-[\w-]{43}/, { timeoutMs: 20_000, what: 'the key message' });
    expect(host.business.invoices.invoice(payload)!.status).toBe('settled');
    expect(host.db.prepare("SELECT COUNT(*) FROM ledger_transactions WHERE idem_key = 'pay:stars:stars-charge-e2e'").pluck().get()).toBe(1);
    const customer = host.business.customers.byTelegramId(4444)!;
    expect(host.business.allowances.list(customer.id)).toHaveLength(1);
    expect(host.ledger.checkInvariants()).toEqual([]);
  });
});
