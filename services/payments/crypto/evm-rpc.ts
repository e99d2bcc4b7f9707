/**
 * The few Ethereum JSON-RPC calls the watcher makes, through an ethers v6 JsonRpcProvider
 * (which batches concurrent calls into one HTTP request). Raw `send` keeps quantities as hex
 * strings, so amounts become bigint without passing through a JS number.
 */
import type { JsonRpcProvider } from 'ethers/providers';
import { FetchRequest } from 'ethers/utils';
import { safeOrigin } from './http.js';

/**
 * ethers' providers add ~1.7 MB to the heap once loaded (the address and hash code the rest of
 * payments imports by subpath is ~2.4 MB; all of `ethers` is ~4.8 MB), kept for as long as the
 * host runs and marked again by every major garbage collection (docs/benchmarks.md). They load
 * on the first RPC call, so a host without crypto payments never carries them.
 */
let providers: Promise<typeof import('ethers/providers')> | undefined;
const loadProviders = () => (providers ??= import('ethers/providers'));

export class EvmRpcError extends Error {
  override name = 'EvmRpcError';
}

export interface RpcBlockHeader {
  number: number;
  hash: string;
  parentHash: string;
}

export interface RpcTx {
  hash: string;
  from: string;
  to: string | null;
  value: string;
}

export interface RpcBlock extends RpcBlockHeader {
  transactions: RpcTx[];
}

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
  removed?: boolean;
}

export interface LogFilter {
  fromBlock: number;
  toBlock: number;
  address: string[];
  topics: Array<string | string[] | null>;
}

const hexQty = (n: number) => '0x' + n.toString(16);

export function quantity(hex: unknown, what: string): number {
  if (typeof hex !== 'string' || !/^0x[0-9a-fA-F]+$/.test(hex)) throw new EvmRpcError(`${what} is not a hex quantity: ${String(hex).slice(0, 40)}`);
  const n = Number(BigInt(hex));
  if (!Number.isSafeInteger(n)) throw new EvmRpcError(`${what} is out of range: ${hex}`);
  return n;
}

export class EvmRpc {
  private provider: Promise<JsonRpcProvider> | undefined;
  private readonly origin: string;
  private readonly url: string;

  constructor(
    rpcUrl: string,
    private readonly chain: number,
    private readonly timeoutMs: number,
  ) {
    if (!/^https?:\/\//i.test(rpcUrl)) throw new EvmRpcError('payments.eth.rpcUrl must be an http:// or https:// URL');
    this.origin = safeOrigin(rpcUrl);
    this.url = rpcUrl;
  }

  private connect(): Promise<JsonRpcProvider> {
    return (this.provider ??= loadProviders().then(({ JsonRpcProvider, Network }) => {
      const req = new FetchRequest(this.url);
      req.timeout = this.timeoutMs;
      return new JsonRpcProvider(req, Network.from(this.chain), { staticNetwork: true, batchMaxCount: 10 });
    }));
  }

  async call<T>(method: string, params: unknown[]): Promise<T> {
    try {
      return (await (await this.connect()).send(method, params)) as T;
    } catch (err) {
      const e = err as { shortMessage?: string; message?: string; code?: string };
      // The URL may carry a provider key in its path: never let it into a message.
      const msg = (e.shortMessage ?? e.message ?? String(err)).split(this.url).join(this.origin).replace(/\s+/g, ' ').slice(0, 300);
      throw new EvmRpcError(`Ethereum RPC ${this.origin} ${method} failed: ${msg}`);
    }
  }

  async chainId(): Promise<number> {
    return quantity(await this.call<string>('eth_chainId', []), 'eth_chainId');
  }

  async blockNumber(): Promise<number> {
    return quantity(await this.call<string>('eth_blockNumber', []), 'eth_blockNumber');
  }

  /** The canonical block at `n` (header fields only), or null past the head. */
  async header(n: number): Promise<RpcBlockHeader | null> {
    const b = await this.call<{ number: string; hash: string; parentHash: string } | null>('eth_getBlockByNumber', [hexQty(n), false]);
    return b ? { number: quantity(b.number, 'block number'), hash: b.hash.toLowerCase(), parentHash: b.parentHash.toLowerCase() } : null;
  }

  /** The canonical block at `n` with its full transactions, or null past the head. */
  async blockWithTxs(n: number): Promise<RpcBlock | null> {
    const b = await this.call<(Omit<RpcBlock, 'number'> & { number: string }) | null>('eth_getBlockByNumber', [hexQty(n), true]);
    if (!b) return null;
    if (!Array.isArray(b.transactions)) throw new EvmRpcError(`Ethereum RPC ${this.origin}: block ${n} came without its transactions`);
    return { number: quantity(b.number, 'block number'), hash: b.hash.toLowerCase(), parentHash: b.parentHash.toLowerCase(), transactions: b.transactions };
  }

  /** true when the transaction succeeded, false when it reverted, null when the node has no receipt. */
  async receiptSucceeded(txHash: string): Promise<boolean | null> {
    const r = await this.call<{ status?: string } | null>('eth_getTransactionReceipt', [txHash]);
    if (!r) return null;
    return r.status === undefined ? true : r.status === '0x1';
  }

  async logs(filter: LogFilter): Promise<RpcLog[]> {
    const logs = await this.call<RpcLog[]>('eth_getLogs', [
      { fromBlock: hexQty(filter.fromBlock), toBlock: hexQty(filter.toBlock), address: filter.address, topics: filter.topics },
    ]);
    if (!Array.isArray(logs)) throw new EvmRpcError(`Ethereum RPC ${this.origin} eth_getLogs: the answer is not a list`);
    return logs;
  }

  destroy(): void {
    void this.provider?.then((provider) => provider.destroy());
  }
}
