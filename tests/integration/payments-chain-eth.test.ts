/**
 * The EVM watcher against a real Ethereum node (ganache on 127.0.0.1, tests/fakes/ganache.ts)
 * over HTTP JSON-RPC: ETH and ERC-20 (the hand-assembled test token) to addresses derived from
 * an xpub, confirmations rising as blocks are mined, a reorg (evm_snapshot/evm_revert) that
 * removes them, the cursor surviving a restart, and the transfers it must not report.
 */
import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEthAccountKey } from '../../services/payments/crypto/derive.js';
import { EvmWatcher, type EvmCursorStore } from '../../services/payments/crypto/evm-watcher.js';
import { parseTokenList } from '../../services/payments/crypto/settings.js';
import type { ObservedTransfer, WatchedAddress } from '../../services/payments/types.js';
import { startFakeEthChain, type FakeEthChain, type TestToken } from '../fakes/ganache.js';

// The owner's account xpub (m/44'/60'/0'), made from the Hardhat test mnemonic here in the test.
const XPUB = HDNodeWallet.fromPhrase('test test test test test test test test test test test junk', undefined, "m/44'/60'/0'").neuter().extendedKey;
const account = parseEthAccountKey(XPUB);

let chain: FakeEthChain;
let usdt: TestToken;
let nextIndex = 0;
const watchers: EvmWatcher[] = [];

beforeAll(async () => {
  chain = await startFakeEthChain();
  usdt = await chain.deployToken({ decimals: 6 });
});
afterAll(async () => {
  for (const w of watchers) w.close();
  await chain?.stop();
});

function memoryCursor(): EvmCursorStore & { value: string | null } {
  return {
    value: null,
    load() {
      return this.value;
    },
    save(v: string) {
      this.value = v;
    },
  };
}

function makeWatcher(cursor = memoryCursor(), extra: Partial<ConstructorParameters<typeof EvmWatcher>[0]> = {}) {
  const w = new EvmWatcher({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, tokens: parseTokenList(`USDT:${usdt.address}:6`), cursor, ...extra });
  watchers.push(w);
  return w;
}

/** A fresh invoice address (next derivation index), watched from the current head. */
async function invoice(method: WatchedAddress['method']): Promise<WatchedAddress & { checksummed: string }> {
  const { checksummed, lower } = account.addressAt(nextIndex++);
  return { address: lower, checksummed, method, invoiceId: `inv-${nextIndex}`, fromBlock: await chain.head() };
}

const byOutpoint = (ts: ObservedTransfer[]) => Object.fromEntries(ts.map((t) => [t.outpoint, t]));

describe('EVM watcher (ganache)', () => {
  it('sees ETH and ERC-20 payments to derived addresses, with confirmations rising as blocks are mined', async () => {
    const watcher = makeWatcher();
    const ethInv = await invoice('eth');
    const usdtInv = await invoice('erc20:USDT');
    const watched = [ethInv, usdtInv];
    const start = await watcher.poll(watched);
    expect(start.transfers).toEqual([]);
    expect(start.tipHeight).toBe(await chain.head());

    const ethTx = await chain.sendEth(ethInv.checksummed, 12_345_678_901_234_567n);
    const tokTx = await chain.sendToken(usdt, usdtInv.checksummed, 12_500_000n);
    expect(await chain.tokenBalance(usdt, usdtInv.checksummed)).toBe(12_500_000n);

    let seen = await watcher.poll(watched);
    let head = await chain.head();
    expect(seen.tipHeight).toBe(head);
    let got = byOutpoint(seen.transfers);
    expect(Object.keys(got).sort()).toEqual([`erc20:${tokTx.hash}:0`, `eth:${ethTx.hash}`].sort());
    expect(got[`eth:${ethTx.hash}`]).toEqual({
      outpoint: `eth:${ethTx.hash}`,
      method: 'eth',
      address: ethInv.address,
      amountBase: 12_345_678_901_234_567n,
      blockNumber: ethTx.blockNumber,
      blockHash: ethTx.blockHash,
      confirmations: head - ethTx.blockNumber + 1,
      detail: { txHash: ethTx.hash, from: chain.funder.toLowerCase() },
    });
    expect(got[`erc20:${tokTx.hash}:0`]).toEqual({
      outpoint: `erc20:${tokTx.hash}:0`,
      method: 'erc20:USDT',
      address: usdtInv.address,
      amountBase: 12_500_000n,
      blockNumber: tokTx.blockNumber,
      blockHash: tokTx.blockHash,
      confirmations: 1,
      detail: { txHash: tokTx.hash, from: chain.funder.toLowerCase(), token: usdt.address.toLowerCase(), logIndex: '0' },
    });

    await chain.mine(5);
    seen = await watcher.poll(watched);
    head = await chain.head();
    got = byOutpoint(seen.transfers);
    expect(got[`eth:${ethTx.hash}`]!.confirmations).toBe(head - ethTx.blockNumber + 1);
    expect(got[`erc20:${tokTx.hash}:0`]!.confirmations).toBe(6);
  });

  it('forgets transfers whose blocks a reorg replaced, and sees what the new chain holds', async () => {
    const watcher = makeWatcher();
    const ethInv = await invoice('eth');
    const usdtInv = await invoice('erc20:USDT');
    const watched = [ethInv, usdtInv];
    await watcher.poll(watched);

    const snap = await chain.snapshot();
    const forkPoint = await chain.head();
    const ethTx = await chain.sendEth(ethInv.checksummed, 10n ** 16n);
    const tokTx = await chain.sendToken(usdt, usdtInv.checksummed, 5_000_000n);
    await chain.mine(2);
    const before = await watcher.poll(watched);
    expect(before.transfers.map((t) => [t.outpoint, t.confirmations]).sort()).toEqual(
      [
        [`eth:${ethTx.hash}`, 4],
        [`erc20:${tokTx.hash}:0`, 3],
      ].sort(),
    );
    const orphaned = await chain.blockHash(forkPoint + 1);

    await chain.reorg(snap, 5); // the blocks after forkPoint are replaced by 5 empty ones
    expect(await chain.blockHash(forkPoint + 1)).not.toBe(orphaned);
    const after = await watcher.poll(watched);
    expect(after).toEqual({ transfers: [], tipHeight: forkPoint + 5 });

    // The same customer pays again on the new chain: seen as a new transfer.
    const again = await chain.sendEth(ethInv.checksummed, 10n ** 16n);
    const later = await watcher.poll(watched);
    expect(later.transfers).toEqual([expect.objectContaining({ outpoint: `eth:${again.hash}`, blockNumber: forkPoint + 6, confirmations: 1 })]);
  });

  it('notices a reorg that replaced the very blocks it last scanned, with no new block after them', async () => {
    const watcher = makeWatcher();
    const ethInv = await invoice('eth');
    await watcher.poll([ethInv]);
    const snap = await chain.snapshot();
    const tx = await chain.sendEth(ethInv.checksummed, 10n ** 15n);
    await chain.mine(1);
    const head = await chain.head();
    expect((await watcher.poll([ethInv])).transfers).toEqual([expect.objectContaining({ outpoint: `eth:${tx.hash}`, confirmations: 2 })]);

    await chain.reorg(snap, 2); // same height, other blocks
    expect(await chain.head()).toBe(head);
    expect(await watcher.poll([ethInv])).toEqual({ transfers: [], tipHeight: head });
  });

  it('keeps its cursor across a restart and re-reports what it found', async () => {
    const cursor = memoryCursor();
    const first = makeWatcher(cursor);
    const ethInv = { ...(await invoice('eth')), fromBlock: await first.head() };
    await first.poll([ethInv]);
    const tx = await chain.sendEth(ethInv.checksummed, 777n);
    expect((await first.poll([ethInv])).transfers).toHaveLength(1);
    first.close();
    expect(JSON.parse(cursor.value!)).toMatchObject({ v: 1, chainId: 1337, next: (await chain.head()) + 1 });

    await chain.mine(3);
    const second = makeWatcher(cursor);
    const { transfers } = await second.poll([ethInv]);
    expect(transfers).toEqual([expect.objectContaining({ outpoint: `eth:${tx.hash}`, amountBase: 777n, confirmations: 4 })]);
  });

  it('catches up over several polls when more blocks arrived than one poll scans', async () => {
    const watcher = makeWatcher(memoryCursor(), { maxBlocksPerPoll: 2 });
    const ethInv = await invoice('eth');
    await watcher.poll([ethInv]);
    await chain.mine(5);
    const tx = await chain.sendEth(ethInv.checksummed, 1_000n); // 6 blocks after the cursor
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) counts.push((await watcher.poll([ethInv])).transfers.length);
    expect(counts).toEqual([0, 0, 1, 1]);
    const { transfers, tipHeight } = await watcher.poll([ethInv]);
    expect(tipHeight).toBe(tx.blockNumber);
    expect(transfers[0]).toMatchObject({ outpoint: `eth:${tx.hash}`, confirmations: 1 });
  });

  it('keeps other assets than the invoice asks for out of its answer, and ignores unknown tokens, zero transfers and other addresses', async () => {
    const other: Array<[string, string, string]> = [];
    const watcher = makeWatcher(memoryCursor(), { onOtherAsset: (t, w) => other.push([t.outpoint, t.method, w.invoiceId]) });
    const usdtInv = await invoice('erc20:USDT');
    const ethInv = await invoice('eth');
    const stranger = account.addressAt(10_000).checksummed;
    const cursor = memoryCursor();
    const reporting = makeWatcher(cursor, { otherAssets: 'report' });
    await watcher.poll([usdtInv, ethInv]);
    await reporting.poll([usdtInv, ethInv]);

    const fake = await chain.deployToken({ decimals: 6 }); // a token the owner did not configure
    await chain.sendToken(fake, usdtInv.checksummed, 9_999_000_000n);
    await chain.sendToken(usdt, usdtInv.checksummed, 0n); // zero-value "address poisoning"
    await chain.sendToken(usdt, stranger, 1_000_000n);
    await chain.sendEth(stranger, 10n ** 15n);
    const wrongAsset = await chain.sendEth(usdtInv.checksummed, 10n ** 15n); // ETH to a USDT invoice
    const tokenToEth = await chain.sendToken(usdt, ethInv.checksummed, 3_000_000n); // USDT to an ETH invoice
    const right = await chain.sendToken(usdt, usdtInv.checksummed, 2_000_000n);

    const { transfers } = await watcher.poll([usdtInv, ethInv]);
    expect(transfers.map((t) => [t.outpoint, t.method, t.amountBase])).toEqual([[`erc20:${right.hash}:0`, 'erc20:USDT', 2_000_000n]]);
    expect(other.sort()).toEqual(
      [
        [`eth:${wrongAsset.hash}`, 'eth', usdtInv.invoiceId],
        [`erc20:${tokenToEth.hash}:0`, 'erc20:USDT', ethInv.invoiceId],
      ].sort(),
    );

    const all = await reporting.poll([usdtInv, ethInv]);
    expect(all.transfers.map((t) => [t.outpoint, t.method, t.address, t.amountBase]).sort()).toEqual(
      [
        [`eth:${wrongAsset.hash}`, 'eth', usdtInv.address, 10n ** 15n],
        [`erc20:${tokenToEth.hash}:0`, 'erc20:USDT', ethInv.address, 3_000_000n],
        [`erc20:${right.hash}:0`, 'erc20:USDT', usdtInv.address, 2_000_000n],
      ].sort(),
    );
  });

  it('refuses a node that serves another chain than payments.eth.chainId', async () => {
    const watcher = makeWatcher(memoryCursor(), { chainId: 1 });
    await expect(watcher.poll([])).rejects.toThrow('payments.eth.rpcUrl serves chain 1337 but payments.eth.chainId is 1: fix one of them');
  });

  it('says when the RPC URL does not answer', async () => {
    const watcher = new EvmWatcher({ rpcUrl: 'http://127.0.0.1:9', chainId: 1337, cursor: memoryCursor(), timeoutMs: 2_000 });
    watchers.push(watcher);
    await expect(watcher.poll([])).rejects.toThrow(/^Ethereum RPC http:\/\/127\.0\.0\.1:9 eth_chainId failed: /);
  });
});
