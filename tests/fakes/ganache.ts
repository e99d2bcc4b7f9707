/**
 * A local Ethereum node for tests: ganache on 127.0.0.1 (random port), chain id 1337,
 * deterministic funded accounts, instamine (each transaction is mined into its own block as it
 * is sent), plus helpers to deploy the hand-assembled test token (./erc20-token.ts), send ETH
 * and tokens from the funded account, mine blocks and simulate a reorg.
 *
 * The helpers talk to ganache in-process (its EIP-1193 provider); the code under test talks to
 * `rpcUrl` over HTTP like it would to a real node.
 *
 * Reorg: `const snap = await chain.snapshot()` … send/mine … `await chain.reorg(snap, n)` reverts
 * to the snapshot (the transactions after it are gone) and mines `n` empty blocks with other
 * timestamps, so the replaced heights get different hashes — what a node shows after a reorg.
 */
import ganache from 'ganache';
import { Interface } from 'ethers';
import { TEST_TOKEN_ABI, tokenInitCode } from './erc20-token.js';

/** ganache's own deterministic mnemonic: its funded accounts are not the addresses tests derive. */
export const GANACHE_MNEMONIC = 'candy maple cake sugar pudding cream honey rich smooth crumble sweet treat';

export interface FakeEthChainOptions {
  chainId?: number;
  /** Funded accounts to create. Default 2. */
  accounts?: number;
}

export interface SentTx {
  hash: string;
  blockNumber: number;
  blockHash: string;
}

export interface TestToken {
  address: string;
  decimals: number;
}

interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

const TOKEN = new Interface(TEST_TOKEN_ABI);
const hexQty = (n: bigint | number) => '0x' + n.toString(16);

export interface FakeEthChain {
  readonly rpcUrl: string;
  readonly chainId: number;
  /** The funded account helpers send from. */
  readonly funder: string;
  /** Raw JSON-RPC against the node, in-process. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  head(): Promise<number>;
  blockHash(n: number): Promise<string | null>;
  mine(blocks?: number): Promise<void>;
  sendEth(to: string, wei: bigint): Promise<SentTx>;
  deployToken(opts?: { decimals?: number; supply?: bigint }): Promise<TestToken>;
  sendToken(token: TestToken, to: string, units: bigint): Promise<SentTx>;
  tokenBalance(token: TestToken, owner: string): Promise<bigint>;
  snapshot(): Promise<string>;
  /** Reverts to `snapshotId` and mines `blocks` empty blocks with new timestamps. */
  reorg(snapshotId: string, blocks: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFakeEthChain(opts: FakeEthChainOptions = {}): Promise<FakeEthChain> {
  const chainId = opts.chainId ?? 1337;
  const server = ganache.server({
    logging: { quiet: true },
    chain: { chainId },
    wallet: { mnemonic: GANACHE_MNEMONIC, totalAccounts: opts.accounts ?? 2, defaultBalance: 1000 },
    miner: { blockTime: 0, instamine: 'eager' },
  });
  await server.listen(0, '127.0.0.1');
  const address = server.address() as { address: string; port: number };
  const provider = server.provider as unknown as Eip1193;
  const rpc = <T = unknown>(method: string, params: unknown[] = []) => provider.request({ method, params }) as Promise<T>;
  const [funder] = await rpc<string[]>('eth_accounts');

  const receipt = async (hash: string): Promise<SentTx & { contractAddress: string | null; status: string }> => {
    const r = await rpc<{ blockNumber: string; blockHash: string; contractAddress: string | null; status: string } | null>('eth_getTransactionReceipt', [hash]);
    if (!r) throw new Error(`transaction ${hash} was not mined (is instamine on?)`);
    return { hash, blockNumber: Number(r.blockNumber), blockHash: r.blockHash, contractAddress: r.contractAddress, status: r.status };
  };

  const send = async (tx: Record<string, string>) => {
    const hash = await rpc<string>('eth_sendTransaction', [{ from: funder, ...tx }]);
    const r = await receipt(hash);
    if (r.status !== '0x1') throw new Error(`transaction ${hash} reverted`);
    return r;
  };

  return {
    rpcUrl: `http://127.0.0.1:${address.port}`,
    chainId,
    funder: funder!,
    rpc,
    head: async () => Number(await rpc<string>('eth_blockNumber')),
    blockHash: async (n) => (await rpc<{ hash: string } | null>('eth_getBlockByNumber', [hexQty(n), false]))?.hash ?? null,
    mine: async (blocks = 1) => {
      for (let i = 0; i < blocks; i++) await rpc('evm_mine');
    },
    sendEth: async (to, wei) => {
      const { hash, blockNumber, blockHash } = await send({ to, value: hexQty(wei), gas: hexQty(21_000) });
      return { hash, blockNumber, blockHash };
    },
    deployToken: async ({ decimals = 6, supply = 10n ** 15n } = {}) => {
      const r = await send({ data: tokenInitCode(supply, decimals), gas: hexQty(500_000) });
      if (!r.contractAddress) throw new Error('token deployment gave no contract address');
      return { address: r.contractAddress, decimals };
    },
    sendToken: async (token, to, units) => {
      const { hash, blockNumber, blockHash } = await send({ to: token.address, data: TOKEN.encodeFunctionData('transfer', [to, units]), gas: hexQty(100_000) });
      return { hash, blockNumber, blockHash };
    },
    tokenBalance: async (token, owner) => BigInt(await rpc<string>('eth_call', [{ to: token.address, data: TOKEN.encodeFunctionData('balanceOf', [owner]) }, 'latest'])),
    snapshot: () => rpc<string>('evm_snapshot'),
    reorg: async (snapshotId, blocks) => {
      const reverted = await rpc<boolean>('evm_revert', [snapshotId]);
      if (!reverted) throw new Error(`snapshot ${snapshotId} could not be reverted`);
      const latest = await rpc<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false]);
      let t = Number(latest.timestamp) + 1_000;
      for (let i = 0; i < blocks; i++) await rpc('evm_mine', [{ timestamp: (t += 13) }]);
    },
    stop: async () => {
      await server.close();
    },
  };
}
