/**
 * Bitcoin watcher over an Esplora HTTP API (Blockstream's esplora/electrs, mempool.space, or a
 * self-hosted one): reports every output paying a watched address as `btc:<txid>:<vout>`.
 *
 * Per poll:
 *   GET /blocks/tip/height
 *   GET /address/:address/txs                 (mempool transactions + the newest 25 confirmed)
 *   GET /address/:address/txs/chain/:last_txid (only when a page of 25 confirmed came back full)
 * with at most `concurrency` requests at once and a timeout on each.
 *
 * Esplora answers for the current best chain, so a reorg needs no bookkeeping here: a transaction
 * whose block was orphaned comes back unconfirmed (or not at all) and is reported that way.
 * A poll either sees every watched address or fails as a whole — a half answer would make the
 * engine think transfers vanished.
 */
import type { ChainWatcher, ObservedTransfer, WatchedAddress } from '../types.js';
import { httpGetJson, httpGetText, mapLimit } from './http.js';

export interface EsploraWatcherOptions {
  /** Base URL of the API, e.g. https://blockstream.info/api or http://127.0.0.1:3002. */
  baseUrl: string;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Confirmed-history pages to read per address (25 transactions each). Default 8. */
  maxPagesPerAddress?: number;
}

/** The parts of Esplora's transaction format this watcher reads. */
interface EsploraTx {
  txid: string;
  vout: Array<{ scriptpubkey_address?: string; value: number }>;
  status: { confirmed: boolean; block_height?: number | null; block_hash?: string | null };
}

const CHAIN_PAGE = 25;

export class EsploraError extends Error {
  override name = 'EsploraError';
}

function parseTx(raw: unknown, where: string): EsploraTx {
  const tx = raw as Partial<EsploraTx> | null;
  if (!tx || typeof tx.txid !== 'string' || !/^[0-9a-f]{64}$/.test(tx.txid) || !Array.isArray(tx.vout) || typeof tx.status !== 'object' || tx.status === null) {
    throw new EsploraError(`${where}: a transaction in the answer is not in Esplora's format`);
  }
  if (tx.status.confirmed && (typeof tx.status.block_height !== 'number' || typeof tx.status.block_hash !== 'string')) {
    throw new EsploraError(`${where}: confirmed transaction ${tx.txid} has no block height/hash`);
  }
  return tx as EsploraTx;
}

export class EsploraWatcher implements ChainWatcher {
  readonly chain = 'btc' as const;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly maxPages: number;

  constructor(opts: EsploraWatcherOptions) {
    if (!/^https?:\/\//i.test(opts.baseUrl)) throw new EsploraError('payments.btc.esploraUrl must be an http:// or https:// URL');
    this.baseUrl = opts.baseUrl;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.maxPages = Math.max(1, opts.maxPagesPerAddress ?? 8);
  }

  private get(path: string): Promise<unknown> {
    return httpGetJson(this.baseUrl, path, { service: 'Esplora', timeoutMs: this.timeoutMs });
  }

  async tipHeight(): Promise<number> {
    const text = (await httpGetText(this.baseUrl, '/blocks/tip/height', { service: 'Esplora', timeoutMs: this.timeoutMs })).trim();
    if (!/^\d+$/.test(text)) throw new EsploraError(`Esplora GET /blocks/tip/height answered "${text.slice(0, 40)}", not a block height`);
    return Number(text);
  }

  /** Every transaction touching `address`: mempool first, then confirmed pages until a short page. */
  private async addressTxs(address: string): Promise<EsploraTx[]> {
    const path = `/address/${encodeURIComponent(address)}/txs`;
    const first = await this.get(path);
    if (!Array.isArray(first)) throw new EsploraError(`Esplora GET ${path}: the answer is not a list`);
    const txs = first.map((t) => parseTx(t, `Esplora GET ${path}`));
    let confirmed = txs.filter((t) => t.status.confirmed);
    let pages = 1;
    while (confirmed.length === CHAIN_PAGE) {
      if (pages >= this.maxPages) {
        throw new EsploraError(`address ${address} has more than ${this.maxPages * CHAIN_PAGE} confirmed transactions; it cannot be an invoice address`);
      }
      const last = confirmed[confirmed.length - 1]!.txid;
      const pagePath = `/address/${encodeURIComponent(address)}/txs/chain/${last}`;
      const page = await this.get(pagePath);
      if (!Array.isArray(page)) throw new EsploraError(`Esplora GET ${pagePath}: the answer is not a list`);
      confirmed = page.map((t) => parseTx(t, `Esplora GET ${pagePath}`));
      txs.push(...confirmed);
      pages++;
    }
    return txs;
  }

  async poll(addresses: WatchedAddress[]): Promise<{ transfers: ObservedTransfer[]; tipHeight: number }> {
    const watched = [...new Set(addresses.filter((a) => a.method === 'btc').map((a) => a.address.toLowerCase()))];
    const fetchedTip = await this.tipHeight();
    const perAddress = await mapLimit(watched, this.concurrency, async (address) => ({ address, txs: await this.addressTxs(address) }));
    // A block found between the tip request and the address requests: count from the newer one.
    let tip = fetchedTip;
    for (const { txs } of perAddress) for (const tx of txs) if (tx.status.confirmed) tip = Math.max(tip, tx.status.block_height!);

    const transfers = new Map<string, ObservedTransfer>();
    for (const { address, txs } of perAddress) {
      for (const tx of txs) {
        tx.vout.forEach((out, vout) => {
          if (out.scriptpubkey_address?.toLowerCase() !== address) return;
          if (!Number.isSafeInteger(out.value) || out.value <= 0) return;
          const confirmed = tx.status.confirmed;
          const height = confirmed ? tx.status.block_height! : null;
          const outpoint = `btc:${tx.txid}:${vout}`;
          transfers.set(outpoint, {
            outpoint,
            method: 'btc',
            address,
            amountBase: BigInt(out.value),
            blockNumber: height,
            blockHash: confirmed ? tx.status.block_hash! : null,
            confirmations: height === null ? 0 : Math.max(1, tip - height + 1),
            detail: { txid: tx.txid, vout: String(vout) },
          });
        });
      }
    }
    return { transfers: [...transfers.values()], tipHeight: tip };
  }
}

