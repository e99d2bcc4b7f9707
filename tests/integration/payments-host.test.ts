/**
 * Payments end to end through the real host, without Telegram: the shop creates invoices with
 * addresses derived from the owner's xpubs, the payment watchers see the transfers on a local
 * Ethereum node (ganache, ETH and an ERC-20 token) and a local Esplora stand-in (BTC), invoices
 * move new → processing → settled as blocks are mined, the order is delivered, and the key the
 * customer got answers on the proxy. The ledger balances at every step.
 */
import { getAddress, HDNodeWallet } from 'ethers';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Host } from '../../services/host/host.js';
import { startFakeEsplora, type FakeEsplora } from '../fakes/esplora.js';
import { startFakeEthChain, type FakeEthChain, type TestToken } from '../fakes/ganache.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

// The BIP84 test vector account (mainnet zpub): its first receive address is known.
const OWNER_ZPUB = 'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs';
// The owner's Ethereum account key; derived here from a test phrase (the app only ever sees the xpub).
const OWNER_ETH_XPUB = HDNodeWallet.fromPhrase('test test test test test test test test test test test junk', undefined, "m/44'/60'/0'").neuter().extendedKey;

let upstream: FakeUpstream;
let esplora: FakeEsplora;
let chain: FakeEthChain;
let token: TestToken;
let host: Host;
let cleanup: () => void;
let packageId: string;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  esplora = await startFakeEsplora({ network: 'mainnet' });
  chain = await startFakeEthChain({ chainId: 1337 });
  token = await chain.deployToken({ decimals: 6 });
  const t = tempDir();
  cleanup = t.cleanup;
  host = new Host({
    dataDir: t.dir,
    mode: 'headless',
    env: {
      OPENROUTER_BASE_URL: upstream.baseUrl,
      OPENROUTER_API_KEY: upstream.apiKey,
      ARBDESK_PAYMENTS_BTC_XPUB: OWNER_ZPUB,
      ARBDESK_PAYMENTS_BTC_ESPLORA_URL: esplora.baseUrl,
      ARBDESK_PAYMENTS_ETH_XPUB: OWNER_ETH_XPUB,
      ARBDESK_PAYMENTS_ETH_RPC_URL: chain.rpcUrl,
      ARBDESK_PAYMENTS_ETH_CHAIN_ID: '1337',
      ARBDESK_PAYMENTS_ETH_TOKENS: `TUSD:${token.address}:6`,
      ARBDESK_PAYMENTS_RATES: 'BTC=60000,ETH=3000,TUSD=1',
      ARBDESK_PAYMENTS_CONFIRMATIONS: 'btc=2,eth=3',
      ARBDESK_PAYMENTS_POLL_SECONDS: '1',
    },
    flags: { 'proxy.port': 0, 'control.port': 0 },
  });
  await host.start();
  expect(host.serviceStatuses().find((s) => s.id === 'payments')).toMatchObject({ state: 'running', detail: { chains: 'btc and eth' } });
  const imported = await host.dispatch('packages.import', { packages: [{ model: 'openai/gpt-4o-mini', tokens: 100_000, description: 'GPT-4o mini 100k', validity_days: 30 }] });
  if (!imported.ok) throw new Error(imported.error.message);
  packageId = (imported.value as { imported: { id: string }[] }).imported[0]!.id;
}, 60_000);

afterEach(() => {
  expect(host.ledger.checkInvariants()).toEqual([]);
});

afterAll(async () => {
  await host?.stop();
  await Promise.all([upstream?.stop(), esplora?.stop(), chain?.stop()]);
  cleanup?.();
});

const shop = () => host.business.shop;
const statusOf = (invoiceId: string) => shop().invoice(invoiceId)!;

describe('crypto payments through the host', () => {
  it('ETH: the invoice moves through its states as blocks are mined, the package is delivered, the key works', async () => {
    const { customer } = shop().register(4242, 'Alice', 'en');
    const { orderId } = shop().order(customer.id, { packageId });
    const inv = await shop().cryptoInvoice(orderId, 'eth');
    expect(inv).toMatchObject({ asset: 'ETH', network: 'Ethereum (chain 1337)' });
    expect(inv.uri).toMatch(/^ethereum:0x[0-9a-fA-F]{40}@1337\?value=\d+$/);
    expect(inv.qrPng.subarray(1, 4).toString()).toBe('PNG');
    expect(inv.invoice.status).toBe('new');

    await chain.sendEth(inv.address, BigInt(inv.invoice.amountBase));
    await waitFor(() => statusOf(inv.invoice.id), (i) => i.status === 'processing', { what: 'payment seen', timeoutMs: 20_000 });
    await chain.mine(3);
    const settled = await waitFor(() => statusOf(inv.invoice.id), (i) => i.status === 'settled', { what: 'invoice settled', timeoutMs: 20_000 });
    expect(settled.confirmations).toBeGreaterThanOrEqual(3);

    const bal = shop().balance(customer.id);
    expect(bal.allowances).toEqual([expect.objectContaining({ model: 'openai/gpt-4o-mini', remainingTokens: 100_000 })]);
    const keys = shop().keys(customer.id);
    expect(keys).toHaveLength(1);
    // The new key went to the customer's chat (the bot is off here); a rotation shows a fresh one.
    const { key } = shop().rotateKey(customer.id, keys[0]!.id);
    const proxyUrl = host.serviceStatuses().find((s) => s.id === 'proxy')!.detail.url!;
    const reply = await new OpenAI({ apiKey: key, baseURL: `${proxyUrl}/v1`, maxRetries: 0 }).chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 10,
    });
    expect(reply.choices[0]!.message.content).toBeTruthy();
    expect(shop().usage(customer.id).recent[0]).toMatchObject({ model: 'openai/gpt-4o-mini', chargeMicro: 0 });
  });

  it('ERC-20: a token top-up is credited to the balance once confirmed', async () => {
    const { customer } = shop().register(4343, 'Bob', 'en');
    const { orderId } = shop().order(customer.id, { topupUsd: '5' });
    const inv = await shop().cryptoInvoice(orderId, 'erc20:TUSD');
    expect(inv.invoice.amountBase).toBe('5000000');
    expect(inv.uri).toBe(`ethereum:${getAddress(token.address)}@1337/transfer?address=${inv.address}&uint256=5000000`);
    await chain.sendToken(token, inv.address, 5_000_000n);
    await chain.mine(3);
    await waitFor(() => statusOf(inv.invoice.id), (i) => i.status === 'settled', { what: 'token invoice settled', timeoutMs: 20_000 });
    expect(shop().balance(customer.id).availableMicro).toBe(5_000_000);
  });

  it('BTC: an address from the BIP84 account, seen in the mempool, settled after two blocks; a replayed scan credits once', async () => {
    const { customer } = shop().register(4444, 'Carol', 'en');
    const { orderId } = shop().order(customer.id, { topupUsd: '30' });
    const inv = await shop().cryptoInvoice(orderId, 'btc');
    expect(inv.address).toBe('bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu'); // BIP84 vector, index 0
    expect(inv.invoice.amountBase).toBe('50000'); // $30 at $60,000 per BTC
    expect(inv.uri).toBe('bitcoin:bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu?amount=0.0005&label=ArbDesk%20shop');
    esplora.addTx({ outputs: [{ address: inv.address, sats: 50_000 }] });
    await waitFor(() => statusOf(inv.invoice.id), (i) => i.status === 'processing', { what: 'BTC payment seen', timeoutMs: 20_000 });
    esplora.mine(2);
    await waitFor(() => statusOf(inv.invoice.id), (i) => i.status === 'settled', { what: 'BTC invoice settled', timeoutMs: 20_000 });
    esplora.mine(3); // more scans of the same output
    await waitFor(() => statusOf(inv.invoice.id), (i) => i.confirmations >= 5, { what: 'later scans', timeoutMs: 20_000 });
    expect(shop().balance(customer.id).availableMicro).toBe(30_000_000);
  });

  it('Stars: pre-checkout re-checks the order; the charge id credits once however often it arrives', async () => {
    const { customer } = shop().register(4545, 'Dan', 'en');
    const { orderId } = shop().order(customer.id, { packageId });
    const stars = shop().starsInvoice(orderId);
    expect(stars.stars).toBeGreaterThan(0);
    expect(shop().preCheckout(stars.payload, 'XTR', stars.stars + 1, 4545)).toMatch(/does not match/);
    expect(shop().preCheckout(stars.payload, 'XTR', stars.stars, 9999)).toMatch(/not valid/);
    expect(shop().preCheckout(stars.payload, 'XTR', stars.stars, 4545)).toBeUndefined();
    for (let i = 0; i < 3; i++) shop().starsPaid(stars.payload, 'tg-charge-777', stars.stars, 4545);
    expect(statusOf(stars.invoice.id).status).toBe('settled');
    expect(shop().balance(customer.id).allowances).toHaveLength(1);
    expect(host.db.prepare("SELECT COUNT(*) FROM payments WHERE outpoint = 'stars:tg-charge-777'").pluck().get()).toBe(1);
    expect(shop().preCheckout(stars.payload, 'XTR', stars.stars, 4545)).toMatch(/already paid/);
  });
});
