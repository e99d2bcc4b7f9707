/**
 * Ethereum watcher (JSON-RPC via ethers): native ETH and ERC-20 transfers to watched addresses.
 *
 *  - Native ETH (`eth:<txhash>`): JSON-RPC has no index by recipient, so blocks are scanned from
 *    a cursor with eth_getBlockByNumber(n, true), at most `maxBlocksPerPoll` per poll. A matching
 *    transaction counts only if its receipt says it succeeded. Transfers found are remembered
 *    (in the persisted cursor) and re-reported every poll with their current confirmations.
 *    ETH sent by a contract (an "internal transaction") is not visible this way.
 *  - ERC-20 (`erc20:<txhash>:<logIndex>`): eth_getLogs for Transfer(address,address,uint256)
 *    with the `to` topic set to the watched addresses, for the configured token contracts only,
 *    over each address's covered block range in chunks of `logBlockRange` blocks. Asked again
 *    every poll, so the node's canonical chain is the only memory.
 *
 * Reorgs: the hashes of the last `reorgDepth` scanned blocks are kept. Each poll checks the last
 * scanned block against the chain, and each newly scanned block's parent against the stored
 * hash; on a mismatch the watcher walks back to the common block, forgets transfers found above
 * it and rescans. A transfer whose block was replaced is simply not reported any more (the
 * engine treats it as vanished) unless it is found again in the new chain.
 *
 * confirmations = head − block + 1. A poll fails as a whole rather than returning a partial list.
 * Transfers of another asset than the invoice's (ETH to a USDT invoice …) are withheld from the
 * result by default and handed to `onOtherAsset`, since their amounts are in another unit.
 */
import { id } from 'ethers/hash';
import type { ChainWatcher, ObservedTransfer, WatchedAddress } from '../types.js';
import { EvmRpc, EvmRpcError, quantity, type RpcBlock, type RpcLog } from './evm-rpc.js';
import { parseState, serializeState, type EvmCursorStore, type EvmScanState, type FoundNative } from './evm-state.js';
import type { Erc20Token } from './settings.js';

export type { EvmCursorStore } from './evm-state.js';

/** keccak256("Transfer(address,address,uint256)") */
export const ERC20_TRANSFER_TOPIC = id('Transfer(address,address,uint256)');

export interface EvmWatcherOptions {
  rpcUrl: string;
  /** payments.eth.chainId; the node must serve this chain (checked on the first poll). */
  chainId: number;
  /** payments.eth.tokens, parsed. */
  tokens?: Erc20Token[];
  /** Where the scan cursor lives between polls and restarts. */
  cursor: EvmCursorStore;
  /** Blocks scanned for native transfers per poll. Default 20. */
  maxBlocksPerPoll?: number;
  /** Blocks per eth_getLogs request. Default 2000 (providers cap ranges; lower it if yours complains). */
  logBlockRange?: number;
  /** How far back any address is ever covered, in blocks. Default 50 000 (about a week). */
  maxLookback?: number;
  /** Blocks of hashes kept to detect reorgs. Default 64 (two epochs). */
  reorgDepth?: number;
  /** Per-request timeout. Default 15 s. */
  timeoutMs?: number;
  /** Called with notices worth logging (reorgs, a cursor that had to be reset). */
  onWarning?: (message: string) => void;
  /**
   * A transfer of another asset than the invoice asks for (ETH sent to a USDT invoice address,
   * USDC to an ETH one): 'withhold' (default) leaves it out of poll() — its amount is in another
   * unit and must not be counted against the invoice — and tells `onOtherAsset` every poll while
   * it is seen; 'report' returns it like any other (for an engine that checks the method itself).
   */
  otherAssets?: 'withhold' | 'report';
  onOtherAsset?: (transfer: ObservedTransfer, watched: WatchedAddress) => void;
}

const EVM_ADDRESS = /^0x[0-9a-f]{40}$/;
const FETCH_BATCH = 10;
const TOPIC_GROUP = 50;
/** An address watched without fromBlock is covered from a few blocks before the head it was first seen at. */
const NO_FROM_BLOCK_MARGIN = 10;

const padTopic = (address: string) => '0x' + '0'.repeat(24) + address.slice(2);

export class EvmWatcher implements ChainWatcher {
  readonly chain = 'eth' as const;
  private readonly rpc: EvmRpc;
  private readonly tokens: Erc20Token[];
  private readonly tokenByContract: Map<string, Erc20Token>;
  private readonly maxBlocks: number;
  private readonly logRange: number;
  private readonly maxLookback: number;
  private readonly reorgDepth: number;
  private readonly warn: (message: string) => void;
  private state: EvmScanState | null = null;
  private hashes = new Map<number, string>();
  private chainChecked = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: EvmWatcherOptions) {
    if (!Number.isSafeInteger(opts.chainId) || opts.chainId <= 0) throw new EvmRpcError('payments.eth.chainId must be a positive whole number');
    this.rpc = new EvmRpc(opts.rpcUrl, opts.chainId, opts.timeoutMs ?? 15_000);
    this.tokens = opts.tokens ?? [];
    this.tokenByContract = new Map(this.tokens.map((t) => [t.contractLower, t]));
    this.maxBlocks = Math.max(1, opts.maxBlocksPerPoll ?? 20);
    this.logRange = Math.max(1, opts.logBlockRange ?? 2000);
    this.maxLookback = Math.max(1, opts.maxLookback ?? 50_000);
    this.reorgDepth = Math.max(2, opts.reorgDepth ?? 64);
    this.warn = opts.onWarning ?? (() => {});
  }

  /** Polls run one at a time (a second call waits for the first). */
  poll(addresses: WatchedAddress[]): Promise<{ transfers: ObservedTransfer[]; tipHeight: number }> {
    const run = this.queue.then(() => this.pollOnce(addresses));
    this.queue = run.catch(() => {});
    return run;
  }

  close(): void {
    this.rpc.destroy();
  }

  private async pollOnce(addresses: WatchedAddress[]): Promise<{ transfers: ObservedTransfer[]; tipHeight: number }> {
    if (!this.chainChecked) {
      const served = await this.rpc.chainId();
      if (served !== this.opts.chainId) {
        throw new EvmRpcError(`payments.eth.rpcUrl serves chain ${served} but payments.eth.chainId is ${this.opts.chainId}: fix one of them`);
      }
      this.chainChecked = true;
    }
    const state = await this.loadState();
    const watched = this.watchedSet(addresses);
    const head = await this.rpc.blockNumber();

    await this.checkLastScanned(state, head);
    this.cover(state, watched, head);
    await this.scanNative(state, watched, head);
    const tokenTransfers = await this.scanTokens(state, watched, head);

    const transfers: ObservedTransfer[] = [];
    for (const f of state.found) {
      if (f.blockNumber > head) continue;
      transfers.push({
        outpoint: `eth:${f.txHash}`,
        method: 'eth',
        address: f.address,
        amountBase: BigInt(f.amount),
        blockNumber: f.blockNumber,
        blockHash: f.blockHash,
        confirmations: head - f.blockNumber + 1,
        detail: { txHash: f.txHash, from: f.from },
      });
    }
    transfers.push(...tokenTransfers);
    await this.saveState(state);
    if (this.opts.otherAssets === 'report') return { transfers, tipHeight: head };
    const forInvoice: ObservedTransfer[] = [];
    for (const t of transfers) {
      const w = watched.get(t.address)!;
      if (t.method === w.method) forInvoice.push(t);
      else this.opts.onOtherAsset?.(t, w);
    }
    return { transfers: forInvoice, tipHeight: head };
  }

  /** The chain's current block number: what an invoice created now passes as `fromBlock`. */
  head(): Promise<number> {
    return this.rpc.blockNumber();
  }

  // --- state ---------------------------------------------------------------------------------

  private async loadState(): Promise<EvmScanState> {
    if (this.state) return this.state;
    const { state, problem } = parseState(await this.opts.cursor.load(), this.opts.chainId);
    if (problem) this.warn(problem);
    this.state = state;
    this.hashes = new Map(state.hashes);
    return state;
  }

  private async saveState(state: EvmScanState): Promise<void> {
    const newest = [...this.hashes.keys()].sort((a, b) => b - a).slice(0, this.reorgDepth);
    this.hashes = new Map(newest.map((n) => [n, this.hashes.get(n)!]));
    state.hashes = [...this.hashes.entries()].sort((a, b) => a[0] - b[0]);
    await this.opts.cursor.save(serializeState(state));
  }

  private watchedSet(addresses: WatchedAddress[]): Map<string, WatchedAddress> {
    const out = new Map<string, WatchedAddress>();
    for (const a of addresses) {
      if (a.method !== 'eth' && !a.method.startsWith('erc20:')) continue;
      const lower = a.address.toLowerCase();
      if (!EVM_ADDRESS.test(lower)) throw new EvmRpcError(`watched address "${a.address}" (invoice ${a.invoiceId}) is not an Ethereum address`);
      const prev = out.get(lower);
      if (!prev || (a.fromBlock ?? Infinity) < (prev.fromBlock ?? Infinity)) out.set(lower, a);
    }
    return out;
  }

  /** Records where each newly watched address is covered from; rewinds the native scan to cover it. */
  private cover(state: EvmScanState, watched: Map<string, WatchedAddress>, head: number): void {
    for (const addr of Object.keys(state.covered)) if (!watched.has(addr)) delete state.covered[addr];
    state.found = state.found.filter((f) => watched.has(f.address));
    const floor = Math.max(0, head - this.maxLookback);
    for (const [addr, w] of watched) {
      if (state.covered[addr] !== undefined) continue;
      const wanted = w.fromBlock ?? head - NO_FROM_BLOCK_MARGIN;
      const start = Math.min(head + 1, Math.max(floor, wanted));
      if (w.fromBlock !== undefined && w.fromBlock < floor) this.warn(`invoice ${w.invoiceId}: fromBlock ${w.fromBlock} is older than ${this.maxLookback} blocks; covering from ${floor}`);
      state.covered[addr] = start;
      if (state.next !== null && start < state.next) state.next = start;
    }
    // Blocks before every watched address's coverage cannot hold anything we look for.
    const starts = Object.values(state.covered);
    const first = starts.length ? Math.min(...starts) : head + 1;
    if (state.next === null || state.next < first) state.next = first;
  }

  // --- reorgs --------------------------------------------------------------------------------

  /** Is the last block we scanned still on the chain? If not, walk back to the fork. */
  private async checkLastScanned(state: EvmScanState, head: number): Promise<void> {
    if (state.next === null) return;
    const top = state.next - 1;
    const stored = this.hashes.get(top);
    if (!stored) return;
    const canonical = top <= head ? await this.rpc.header(top) : null;
    if (canonical?.hash === stored) return;
    await this.rewindToFork(state, Math.min(top, head));
  }

  /** Finds the newest block at or below `from` whose stored hash still matches; forgets everything above it. */
  private async rewindToFork(state: EvmScanState, from: number): Promise<void> {
    let keepUpTo = from;
    let matched = false;
    for (let n = from; n >= 0 && this.hashes.has(n); n--) {
      const canonical = await this.rpc.header(n);
      if (canonical && canonical.hash === this.hashes.get(n)) {
        keepUpTo = n;
        matched = true;
        break;
      }
      keepUpTo = n - 1;
    }
    if (!matched && keepUpTo < from) this.warn(`chain reorganisation deeper than the ${this.reorgDepth} blocks remembered; rescanning from block ${keepUpTo + 1}`);
    const dropped = state.found.filter((f) => f.blockNumber > keepUpTo);
    for (const n of [...this.hashes.keys()]) if (n > keepUpTo) this.hashes.delete(n);
    state.found = state.found.filter((f) => f.blockNumber <= keepUpTo);
    state.next = keepUpTo + 1;
    this.warn(`chain reorganisation: blocks after ${keepUpTo} were replaced; ${dropped.length} ETH transfer(s) forgotten until seen again`);
  }

  // --- native ETH ----------------------------------------------------------------------------

  private async scanNative(state: EvmScanState, watched: Map<string, WatchedAddress>, head: number): Promise<void> {
    if (watched.size === 0) {
      state.next = Math.max(state.next ?? 0, head + 1);
      return;
    }
    const end = Math.min(head, state.next! + this.maxBlocks - 1);
    while (state.next! <= end) {
      const start = state.next!;
      const numbers = Array.from({ length: Math.min(FETCH_BATCH, end - start + 1) }, (_, i) => start + i);
      const blocks = await Promise.all(numbers.map((n) => this.rpc.blockWithTxs(n)));
      const accepted: RpcBlock[] = [];
      let reorgAt: number | null = null;
      for (const block of blocks) {
        if (!block) break; // the head moved back under us; the next poll sorts it out
        const parent = accepted.length ? accepted[accepted.length - 1]!.hash : this.hashes.get(block.number - 1);
        if (parent !== undefined && parent !== block.parentHash) {
          reorgAt = block.number - 1;
          break;
        }
        accepted.push(block);
      }
      const hits = accepted.flatMap((block) =>
        block.transactions
          .filter((tx) => typeof tx.to === 'string' && watched.has(tx.to.toLowerCase()) && BigInt(tx.value) > 0n)
          .map((tx) => ({ tx, block })),
      );
      const succeeded = await Promise.all(hits.map(({ tx }) => this.rpc.receiptSucceeded(tx.hash)));
      succeeded.forEach((ok, i) => {
        if (ok === null) throw new EvmRpcError(`Ethereum RPC has no receipt for mined transaction ${hits[i]!.tx.hash}; will retry`);
      });
      for (const block of accepted) {
        state.found = state.found.filter((f) => f.blockNumber !== block.number);
        this.hashes.set(block.number, block.hash);
        state.next = block.number + 1;
      }
      hits.forEach(({ tx, block }, i) => {
        if (!succeeded[i]) return;
        const found: FoundNative = {
          txHash: tx.hash.toLowerCase(),
          address: tx.to!.toLowerCase(),
          from: tx.from.toLowerCase(),
          amount: BigInt(tx.value).toString(),
          blockNumber: block.number,
          blockHash: block.hash,
        };
        state.found = state.found.filter((f) => f.txHash !== found.txHash).concat(found);
      });
      if (reorgAt !== null) {
        await this.rewindToFork(state, reorgAt);
        return;
      }
      if (accepted.length < numbers.length) return;
    }
  }

  // --- ERC-20 --------------------------------------------------------------------------------

  private async scanTokens(state: EvmScanState, watched: Map<string, WatchedAddress>, head: number): Promise<ObservedTransfer[]> {
    if (this.tokens.length === 0 || watched.size === 0) return [];
    const addresses = [...watched.keys()];
    const from = Math.max(0, head - this.maxLookback, Math.min(...addresses.map((a) => state.covered[a] ?? head)));
    const contracts = this.tokens.map((t) => t.contract);
    const out = new Map<string, ObservedTransfer>();
    for (let a = from; a <= head; a += this.logRange) {
      const b = Math.min(head, a + this.logRange - 1);
      for (let g = 0; g < addresses.length; g += TOPIC_GROUP) {
        const group = addresses.slice(g, g + TOPIC_GROUP);
        const logs = await this.rpc.logs({ fromBlock: a, toBlock: b, address: contracts, topics: [ERC20_TRANSFER_TOPIC, null, group.map(padTopic)] });
        for (const log of logs) {
          const t = this.toTransfer(log, watched, head);
          if (t) out.set(t.outpoint, t);
        }
      }
    }
    return [...out.values()];
  }

  private toTransfer(log: RpcLog, watched: Map<string, WatchedAddress>, head: number): ObservedTransfer | null {
    if (log.removed) return null;
    const token = this.tokenByContract.get(log.address.toLowerCase());
    if (!token || log.topics.length !== 3 || log.topics[0]?.toLowerCase() !== ERC20_TRANSFER_TOPIC) return null;
    if (!/^0x[0-9a-fA-F]{64}$/.test(log.data)) return null; // not a standard uint256 value
    const to = '0x' + log.topics[2]!.slice(26).toLowerCase();
    if (!watched.has(to)) return null;
    const amount = BigInt(log.data);
    if (amount === 0n) return null; // zero-value transfers are address-poisoning spam, never a payment
    const blockNumber = quantity(log.blockNumber, 'log block number');
    if (blockNumber > head) return null;
    const logIndex = quantity(log.logIndex, 'log index');
    const txHash = log.transactionHash.toLowerCase();
    return {
      outpoint: `erc20:${txHash}:${logIndex}`,
      method: `erc20:${token.symbol}`,
      address: to,
      amountBase: amount,
      blockNumber,
      blockHash: log.blockHash.toLowerCase(),
      confirmations: head - blockNumber + 1,
      detail: { txHash, from: '0x' + log.topics[1]!.slice(26).toLowerCase(), token: token.contractLower, logIndex: String(logIndex) },
    };
  }
}
