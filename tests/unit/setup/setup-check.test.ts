/**
 * The first-run checklist's tests (`setup.check`) against the local stand-ins on 127.0.0.1:
 * telegram-test-api for getMe, the fake OpenRouter for /credits and /key, the fake Esplora,
 * ganache for eth_chainId, xpub derivation, and the markup and public URL rules. Every answer
 * says what was found or what to do, and never repeats the secret it tested.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../../services/config/schema.js';
import { runSetupCheck } from '../../../services/setup/check.js';
import type { SetupItem } from '../../../services/contract.js';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-bot-api.js';
import { startFakeUpstream, type FakeUpstream } from '../../fakes/upstream.js';
import { startFakeEsplora, type FakeEsplora } from '../../fakes/esplora.js';
import { startFakeEthChain, type FakeEthChain } from '../../fakes/ganache.js';

// BIP84 test vector account (github.com/bitcoin/bips/blob/master/bip-0084.mediawiki).
const ZPUB = 'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs';
const ZPRV = 'zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62XuezvGdPvG6GFBZduosCc1YP5wixPox7zhZLfiUm8aunE96BBa4Kei5';
const HARDHAT = 'test test test test test test test test test test test junk';

let telegram: FakeTelegram;
let upstream: FakeUpstream;
let esplora: FakeEsplora;
let eth: FakeEthChain;
let refusing: Server;
let silent: Server;
let refusingUrl: string;
let silentUrl: string;
let closedUrl: string;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  [telegram, upstream, esplora, eth] = await Promise.all([startFakeTelegram(), startFakeUpstream({ creditsUsd: '42.5' }), startFakeEsplora(), startFakeEthChain()]);
  // A Bot API that refuses every token, as Telegram does for a revoked one.
  refusing = createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"ok":false,"error_code":401,"description":"Unauthorized"}');
  });
  // A server that takes the connection and never answers.
  silent = createServer(() => undefined);
  refusingUrl = await listen(refusing);
  silentUrl = await listen(silent);
  const closed = createServer();
  closedUrl = await listen(closed);
  await new Promise((r) => closed.close(r));
}, 60_000);

afterAll(async () => {
  refusing?.closeAllConnections();
  silent?.closeAllConnections();
  await Promise.all([telegram?.stop(), upstream?.stop(), esplora?.stop(), eth?.stop(), new Promise((r) => refusing?.close(r)), new Promise((r) => silent?.close(r))]);
});

function settings(over: Partial<Settings> = {}): () => Settings {
  const s = { ...defaultSettings(), 'telegram.apiRoot': telegram.apiRoot, 'upstream.baseUrl': upstream.baseUrl, ...over };
  return () => s;
}

const check = (item: SetupItem, value: string | undefined, over: Partial<Settings> = {}, timeoutMs = 5000) =>
  runSetupCheck(item, value, { settings: settings(over), timeoutMs });

describe('setup.check: Telegram bot token', () => {
  it('asks a valid token getMe at the configured API root and names the bot', async () => {
    const r = await check('telegram.token', '777001:SETUP-token-abc');
    expect(r).toEqual({ item: 'telegram.token', state: 'done', ok: true, message: 'token valid: @TestNameBot', tested: 'typed' });
    expect(telegram.calls('777001:SETUP-token-abc', 'getMe')).toHaveLength(1);
  });

  it('says a rejected token must be copied again from @BotFather, without repeating it', async () => {
    const r = await check('telegram.token', '777002:REVOKED-token', { 'telegram.apiRoot': refusingUrl });
    expect(r.state).toBe('problem');
    expect(r.message).toMatch(/Telegram rejected this token.*@BotFather/);
    expect(r.message).not.toContain('REVOKED');
  });

  it('catches a malformed token before any request', async () => {
    const r = await check('telegram.token', 'not a token');
    expect(r).toMatchObject({ state: 'problem', message: expect.stringMatching(/copy it again from @BotFather/) });
  });

  it('is "to do" with instructions when nothing is saved', async () => {
    const r = await check('telegram.token', undefined);
    expect(r).toMatchObject({ state: 'todo', ok: false, tested: 'saved', message: expect.stringContaining('@BotFather') });
  });

  it('gives up on a silent server within the time limit and says what to check', async () => {
    const started = Date.now();
    const r = await check('telegram.token', '777003:SLOW', { 'telegram.apiRoot': silentUrl }, 300);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.state).toBe('problem');
    expect(r.message).toMatch(/did not answer within 0.3 s: check the internet connection/);
  });

  it('says when nothing listens at the API root', async () => {
    const r = await check('telegram.token', '777004:X', { 'telegram.apiRoot': closedUrl });
    expect(r.message).toMatch(/Cannot reach the Telegram Bot API .*refused/);
  });
});

describe('setup.check: upstream key and base URL', () => {
  it('reads the credit left with a valid key', async () => {
    const r = await check('upstream.apiKey', upstream.apiKey);
    expect(r).toMatchObject({ state: 'done', message: 'key valid: $42.50 credit left' });
    expect(r.message).not.toContain(upstream.apiKey);
  });

  it('tests the saved key when no value is given', async () => {
    const r = await check('upstream.apiKey', undefined, { 'upstream.apiKey': upstream.apiKey });
    expect(r).toMatchObject({ state: 'done', tested: 'saved' });
  });

  it('says a refused key must be copied again', async () => {
    const r = await check('upstream.apiKey', 'sk-or-v1-wrong-key-000000');
    expect(r.state).toBe('problem');
    expect(r.message).toMatch(/refused this key \(401\): copy it again from https:\/\/openrouter.ai\/keys/);
    expect(r.message).not.toContain('wrong-key');
  });

  it('lists the models at a reachable base URL and explains a wrong path', async () => {
    expect(await check('upstream.baseUrl', upstream.baseUrl)).toMatchObject({ state: 'done', message: expect.stringMatching(/^reachable: \d+ models listed$/) });
    const wrong = await check('upstream.baseUrl', `${upstream.origin}/nope`);
    expect(wrong).toMatchObject({ state: 'problem', message: expect.stringContaining('ends in /v1') });
    expect(await check('upstream.baseUrl', 'openrouter.ai')).toMatchObject({ state: 'problem', message: expect.stringContaining('http:// or https://') });
  });
});

describe('setup.check: crypto', () => {
  it('derives the first receive address of a zpub and refuses a private key', async () => {
    expect(await check('payments.btc.xpub', ZPUB)).toMatchObject({
      state: 'done',
      message: 'zpub on mainnet; first receive address bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu — check it matches your wallet',
    });
    const prv = await check('payments.btc.xpub', ZPRV);
    expect(prv.state).toBe('problem');
    expect(prv.message).toMatch(/private key/i);
    expect(prv.message).not.toContain(ZPRV.slice(4, 30));
  });

  it('derives the first Ethereum address from the account xpub', async () => {
    const xpub = HDNodeWallet.fromPhrase(HARDHAT, undefined, "m/44'/60'/0'").neuter().extendedKey;
    const expected = HDNodeWallet.fromPhrase(HARDHAT, undefined, "m/44'/60'/0'/0/0").address;
    expect(await check('payments.eth.xpub', xpub)).toMatchObject({ state: 'done', message: `first receive address ${expected} — check it matches your wallet` });
    expect(await check('payments.eth.xpub', ZPUB)).toMatchObject({ state: 'problem', message: expect.stringContaining("m/44'/60'/0'") });
  });

  it('reads the tip height from Esplora', async () => {
    esplora.mine(3);
    expect(await check('payments.btc.esploraUrl', esplora.baseUrl)).toMatchObject({ state: 'done', message: `reachable: chain tip at block ${esplora.tipHeight()}` });
    expect(await check('payments.btc.esploraUrl', closedUrl)).toMatchObject({ state: 'problem', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('compares the node\'s chain id with payments.eth.chainId', async () => {
    expect(await check('payments.eth.rpcUrl', eth.rpcUrl, { 'payments.eth.chainId': 1337 })).toMatchObject({ state: 'done', message: 'reachable: chain id 1337' });
    expect(await check('payments.eth.rpcUrl', eth.rpcUrl, { 'payments.eth.chainId': 1 })).toMatchObject({
      state: 'problem',
      message: 'the node is on chain 1337, but payments.eth.chainId is 1: use a node of chain 1, or change payments.eth.chainId.',
    });
  });
});

describe('setup.check: markup and public URL', () => {
  it('explains the markup and refuses 0 and nonsense', async () => {
    expect(await check('pricing.markupPercent', '25')).toMatchObject({ state: 'done', message: '25 %: customers pay 1.25× your upstream cost' });
    expect(await check('pricing.markupPercent', undefined)).toMatchObject({ state: 'done', tested: 'saved' });
    expect((await check('pricing.markupPercent', '0')).state).toBe('problem');
    expect((await check('pricing.markupPercent', 'lots')).message).toContain('must be a number');
  });

  it('wants a public https URL and never fetches it', async () => {
    expect(await check('proxy.publicUrl', 'https://ai.example.com/v1/')).toMatchObject({ state: 'done', message: expect.stringContaining('https://ai.example.com/v1 (not fetched') });
    expect((await check('proxy.publicUrl', 'http://ai.example.com')).message).toContain('use https://');
    expect((await check('proxy.publicUrl', 'https://localhost:8787')).message).toContain('not reachable from the internet');
    expect((await check('proxy.publicUrl', 'ai.example.com')).message).toContain('not a URL');
    expect((await check('proxy.publicUrl', undefined)).state).toBe('todo');
  });
});
