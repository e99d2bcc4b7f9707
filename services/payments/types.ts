/**
 * The shared vocabulary of payments. The app never holds a private key: crypto invoices get a
 * fresh receiving address derived from the owner's extended public key, watchers report the
 * transfers they see, and the invoice engine (invoices.ts) turns them into invoice states and,
 * once confirmed, into exactly one ledger credit per transfer.
 *
 * Amounts in an asset are bigint base units (sats, wei, token units, stars); USD is integer µUSD.
 */

/** How an invoice is paid. ERC-20 methods name the token symbol from payments.eth.tokens. */
export type PaymentMethod = 'stars' | 'btc' | 'eth' | `erc20:${string}`;

export type Chain = 'btc' | 'eth';

export const INVOICE_STATUSES = ['new', 'processing', 'settled', 'expired', 'invalid'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** A transfer to one of our addresses, as a watcher sees it now. */
export interface ObservedTransfer {
  /**
   * The transfer's outside identity, unique across the app and stable across restarts and
   * re-scans: `btc:<txid>:<vout>`, `eth:<txhash>` (native), `erc20:<txhash>:<logIndex>`,
   * `stars:<telegram_payment_charge_id>`. Credits are keyed by it.
   */
  outpoint: string;
  method: PaymentMethod;
  /** The receiving address (lower-case hex for EVM chains), or the invoice id for Stars. */
  address: string;
  amountBase: bigint;
  /** null while in the mempool / not yet mined. */
  blockNumber: number | null;
  blockHash: string | null;
  /** 0 while unconfirmed. */
  confirmations: number;
  /** Anything worth keeping for the owner (txid, from address …). Never secrets. */
  detail: Record<string, string>;
}

/** An address a watcher must look at, and since when. */
export interface WatchedAddress {
  address: string;
  method: PaymentMethod;
  invoiceId: string;
  /** Block to start scanning from (EVM log scans), when known. */
  fromBlock?: number;
}

/**
 * A chain watcher: asked periodically for what it sees at the watched addresses. It reports
 * every transfer it still finds (with current confirmations) and the ones that vanished (reorg):
 * the engine keeps the record and decides; watchers keep no money state of their own.
 */
export interface ChainWatcher {
  readonly chain: Chain;
  poll(addresses: WatchedAddress[]): Promise<{ transfers: ObservedTransfer[]; tipHeight: number }>;
}

/** USD per one whole unit of an asset, as an exact decimal string ("60000", "1.0001"). */
export interface RateQuote {
  asset: string;
  usdPerUnit: string;
  source: string;
  at: string;
}

export interface RateSource {
  readonly name: string;
  quote(asset: string): Promise<RateQuote>;
}
