/**
 * The Bitcoin watcher against the Esplora stand-in (tests/fakes/esplora.ts) over real sockets on
 * 127.0.0.1, watching BIP84 regtest addresses derived from a vpub: mempool → confirmations rising
 * as blocks are mined → a reorg takes them back → a double-spend makes the transfer vanish.
 */
import { HDKey } from '@scure/bip32';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBtcAccountKey } from '../../services/payments/crypto/derive.js';
import { EsploraWatcher } from '../../services/payments/crypto/esplora-watcher.js';
import type { ObservedTransfer, WatchedAddress } from '../../services/payments/types.js';
import { startFakeEsplora, type FakeEsplora } from '../fakes/esplora.js';

// The BIP84 test mnemonic's testnet account m/84'/1'/0', written as a vpub (made here from the
// BIP's test rootnode; the app itself only ever gets the public key).
const VPUB = HDKey.fromExtendedKey(
  'zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62XuezvGdPvG6GFBZduosCc1YP5wixPox7zhZLfiUm8aunE96BBa4Kei5',
  { public: 0x04b24746, private: 0x04b2430c },
).derive("m/84'/1'/0'");
const account = parseBtcAccountKey(
  new HDKey({
    versions: { public: 0x045f1cf6, private: 0x045f18bc },
    depth: VPUB.depth,
    index: VPUB.index,
    parentFingerprint: VPUB.parentFingerprint,
    chainCode: VPUB.chainCode!,
    publicKey: VPUB.publicKey!,
  }).publicExtendedKey,
  { network: 'regtest' },
);

let esplora: FakeEsplora;
beforeEach(async () => {
  esplora = await startFakeEsplora({ network: 'regtest', startHeight: 200 });
});
afterEach(() => esplora.stop());

const watch = (index: number, invoiceId = `inv-${index}`): WatchedAddress => ({ address: account.addressAt(index), method: 'btc', invoiceId });
const byOutpoint = (ts: ObservedTransfer[]) => Object.fromEntries(ts.map((t) => [t.outpoint, t]));

describe('Esplora watcher', () => {
  it('follows a payment from the mempool through rising confirmations, a reorg, and a double-spend', async () => {
    const watcher = new EsploraWatcher({ baseUrl: esplora.baseUrl });
    const addr = account.addressAt(0);
    expect(addr).toMatch(/^bcrt1q/);
    const watched = [watch(0)];
    expect(await watcher.poll(watched)).toEqual({ transfers: [], tipHeight: 200 });

    const txid = esplora.addTx({ outputs: [{ address: addr, sats: 16_667n }] });
    let seen = await watcher.poll(watched);
    expect(seen).toEqual({
      tipHeight: 200,
      transfers: [
        { outpoint: `btc:${txid}:0`, method: 'btc', address: addr, amountBase: 16_667n, blockNumber: null, blockHash: null, confirmations: 0, detail: { txid, vout: '0' } },
      ],
    });

    const [block201] = esplora.mine(1);
    seen = await watcher.poll(watched);
    expect(seen.tipHeight).toBe(201);
    expect(seen.transfers[0]).toMatchObject({ blockNumber: 201, blockHash: block201, confirmations: 1 });

    esplora.mine(2);
    seen = await watcher.poll(watched);
    expect(seen.transfers[0]).toMatchObject({ blockNumber: 201, blockHash: block201, confirmations: 3 });

    // The three blocks are orphaned; the transaction goes back to the mempool…
    esplora.reorg(3);
    seen = await watcher.poll(watched);
    expect(seen.tipHeight).toBe(200);
    expect(seen.transfers).toEqual([expect.objectContaining({ outpoint: `btc:${txid}:0`, blockNumber: null, blockHash: null, confirmations: 0 })]);

    // … is mined again in a different block 201 …
    const [new201] = esplora.mine(1);
    expect(new201).not.toBe(block201);
    seen = await watcher.poll(watched);
    expect(seen.transfers[0]).toMatchObject({ blockNumber: 201, blockHash: new201, confirmations: 1 });

    // … and a deeper reorg that double-spends it makes it vanish.
    esplora.reorg(1, { txs: 'vanish' });
    expect(await watcher.poll(watched)).toEqual({ transfers: [], tipHeight: 200 });
  });

  it('reports each output to a watched address by its vout, and ignores other outputs and other methods', async () => {
    const watcher = new EsploraWatcher({ baseUrl: esplora.baseUrl });
    const [a, b, stranger] = [account.addressAt(1), account.addressAt(2), account.addressAt(99)];
    const txid = esplora.addTx({
      outputs: [
        { address: stranger, sats: 5_000 },
        { address: a, sats: 10_000 },
        { address: b, sats: 20_000 },
        { address: a, sats: 1_000 },
      ],
    });
    esplora.mine(1);
    const { transfers } = await watcher.poll([watch(1), watch(2), { address: stranger, method: 'eth', invoiceId: 'not-btc' }]);
    const got = byOutpoint(transfers);
    expect(Object.keys(got).sort()).toEqual([`btc:${txid}:1`, `btc:${txid}:2`, `btc:${txid}:3`].sort());
    expect(got[`btc:${txid}:1`]).toMatchObject({ address: a, amountBase: 10_000n, confirmations: 1 });
    expect(got[`btc:${txid}:2`]).toMatchObject({ address: b, amountBase: 20_000n });
    expect(got[`btc:${txid}:3`]).toMatchObject({ address: a, amountBase: 1_000n });
  });

  it('pages through an address with more than one page of confirmed transactions', async () => {
    const watcher = new EsploraWatcher({ baseUrl: esplora.baseUrl });
    const addr = account.addressAt(3);
    const txids: string[] = [];
    for (let i = 0; i < 30; i++) {
      txids.push(esplora.addTx({ outputs: [{ address: addr, sats: 1_000 + i }] }));
      esplora.mine(1);
    }
    txids.push(esplora.addTx({ outputs: [{ address: addr, sats: 7 }] })); // and one in the mempool
    const { transfers, tipHeight } = await watcher.poll([watch(3)]);
    expect(tipHeight).toBe(230);
    expect(transfers.map((t) => t.outpoint).sort()).toEqual(txids.map((t) => `btc:${t}:0`).sort());
    expect(byOutpoint(transfers)[`btc:${txids[0]}:0`]).toMatchObject({ blockNumber: 201, confirmations: 30, amountBase: 1_000n });
    expect(esplora.requests.some((r) => /\/txs\/chain\/[0-9a-f]{64}$/.test(r))).toBe(true);
  });

  it('keeps requests in flight bounded', async () => {
    const watcher = new EsploraWatcher({ baseUrl: esplora.baseUrl, concurrency: 2 });
    esplora.latencyMs = 30;
    const watched = Array.from({ length: 8 }, (_, i) => watch(10 + i));
    await watcher.poll(watched);
    expect(esplora.requests.filter((r) => r.includes('/address/')).length).toBe(8);
    expect(esplora.maxInFlight).toBe(2);
  });

  it('fails the whole poll with a clear error rather than returning part of the picture', async () => {
    const watcher = new EsploraWatcher({ baseUrl: esplora.baseUrl, timeoutMs: 200 });
    esplora.addTx({ outputs: [{ address: account.addressAt(0), sats: 1_000 }] });
    esplora.failNext(503, 1);
    await expect(watcher.poll([watch(0)])).rejects.toThrow(/^Esplora http:\/\/127\.0\.0\.1:\d+ GET \/blocks\/tip\/height: HTTP 503 "fake failure"$/);

    expect((await watcher.poll([watch(0)])).transfers).toHaveLength(1); // fine again
    esplora.failNext(500, 1, /^\/address\//);
    await expect(watcher.poll([watch(0), watch(1)])).rejects.toThrow(/^Esplora http:\/\/127\.0\.0\.1:\d+ GET \/address\/bcrt1q\w+\/txs: HTTP 500/);

    esplora.latencyMs = 1_000;
    await expect(watcher.poll([watch(0)])).rejects.toThrow(/GET \/blocks\/tip\/height: no answer within 200 ms/);
    esplora.latencyMs = 0;

  });

  it('never puts a key carried in the URL path into an error', async () => {
    const watcher = new EsploraWatcher({ baseUrl: `${esplora.baseUrl}/SECRET-API-KEY/api` });
    const err = (await watcher.poll([watch(0)]).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^Esplora http:\/\/127\.0\.0\.1:\d+ GET \/blocks\/tip\/height: HTTP 404/);
    expect(err.message).not.toContain('SECRET');
  });

  it('says when nothing listens at the Esplora URL', async () => {
    const dead = await startFakeEsplora();
    await dead.stop();
    await expect(new EsploraWatcher({ baseUrl: dead.baseUrl }).poll([watch(0)])).rejects.toThrow(/GET \/blocks\/tip\/height: ECONNREFUSED/);
  });
});
