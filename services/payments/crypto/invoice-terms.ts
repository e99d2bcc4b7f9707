/**
 * Everything a new crypto invoice needs, in one call: the fresh receiving address for the next
 * derivation index, a rate quote (which the invoice then locks), the amount to ask (rounded up),
 * the payment URI and its QR code. The caller stores it and hands out the address.
 */
import type { PaymentMethod, RateSource } from '../types.js';
import { formatBaseUnits, usdToBaseUnitsCeil } from './amounts.js';
import type { BtcAccount, EthAccount } from './derive.js';
import { qrPng } from './qr.js';
import type { Erc20Token } from './settings.js';
import { bip21Uri, eip681Erc20Uri, eip681EthUri } from './uri.js';

export class CryptoMethodError extends Error {
  override name = 'CryptoMethodError';
}

export interface CryptoAccounts {
  btc?: BtcAccount | null;
  eth?: EthAccount | null;
  /** payments.eth.chainId */
  chainId?: number;
  /** payments.eth.tokens */
  tokens?: Erc20Token[];
}

export interface CryptoInvoiceTerms {
  method: PaymentMethod;
  /** BTC, ETH or the token symbol. */
  asset: string;
  decimals: number;
  /** What the customer must send, in base units (rounded up from the price). */
  amountBase: bigint;
  /** The same as a decimal in whole units ("0.00016667"). */
  amount: string;
  /** The locked rate: USD per whole unit, exact decimal. */
  rate: string;
  rateSource: string;
  rateAt: string;
  /** As shown to the customer (EIP-55 checksummed for EVM). */
  address: string;
  /** As watchers report it (lower-case): what invoices are looked up by. */
  addressKey: string;
  derivationIndex: number;
  uri: string;
  qrPng: Buffer;
  /** "Bitcoin", "Bitcoin testnet", "Ethereum (chain 1)". */
  network: string;
}

/** The crypto methods the configured keys allow: btc, eth and erc20:<SYMBOL> for each token. */
export function enabledCryptoMethods(accounts: CryptoAccounts): PaymentMethod[] {
  const out: PaymentMethod[] = [];
  if (accounts.btc) out.push('btc');
  if (accounts.eth && accounts.chainId) {
    out.push('eth');
    for (const t of accounts.tokens ?? []) out.push(`erc20:${t.symbol}`);
  }
  return out;
}

export async function cryptoInvoiceTerms(input: {
  method: PaymentMethod;
  usdMicro: number;
  derivationIndex: number;
  accounts: CryptoAccounts;
  rates: RateSource;
  /** BIP-21 label/message (e.g. the shop name and order id). */
  label?: string;
  message?: string;
}): Promise<CryptoInvoiceTerms> {
  const { method, accounts, derivationIndex: index } = input;
  if (!Number.isSafeInteger(input.usdMicro) || input.usdMicro <= 0) throw new CryptoMethodError(`the price must be a positive µUSD amount, got ${input.usdMicro}`);

  if (method === 'btc') {
    if (!accounts.btc) throw new CryptoMethodError('Bitcoin payments need payments.btc.xpub');
    const quote = await input.rates.quote('BTC');
    const amountBase = usdToBaseUnitsCeil(input.usdMicro, quote.usdPerUnit, 8);
    const address = accounts.btc.addressAt(index);
    const uri = bip21Uri({ address, amountSats: amountBase, label: input.label, message: input.message });
    const network = accounts.btc.network === 'mainnet' ? 'Bitcoin' : `Bitcoin ${accounts.btc.network}`;
    return terms(method, 'BTC', 8, amountBase, quote, address, address.toLowerCase(), index, uri, network);
  }

  if (!accounts.eth || !accounts.chainId) throw new CryptoMethodError('Ethereum payments need payments.eth.xpub and payments.eth.chainId');
  const { checksummed, lower } = accounts.eth.addressAt(index);
  const network = accounts.chainId === 1 ? 'Ethereum' : `Ethereum (chain ${accounts.chainId})`;
  if (method === 'eth') {
    const quote = await input.rates.quote('ETH');
    const amountBase = usdToBaseUnitsCeil(input.usdMicro, quote.usdPerUnit, 18);
    const uri = eip681EthUri({ address: checksummed, chainId: accounts.chainId, wei: amountBase });
    return terms(method, 'ETH', 18, amountBase, quote, checksummed, lower, index, uri, network);
  }
  if (method.startsWith('erc20:')) {
    const symbol = method.slice('erc20:'.length).toUpperCase();
    const token = (accounts.tokens ?? []).find((t) => t.symbol === symbol);
    if (!token) throw new CryptoMethodError(`${symbol} is not in payments.eth.tokens`);
    const quote = await input.rates.quote(symbol);
    const amountBase = usdToBaseUnitsCeil(input.usdMicro, quote.usdPerUnit, token.decimals);
    const uri = eip681Erc20Uri({ token: token.contract, chainId: accounts.chainId, address: checksummed, units: amountBase });
    return terms(`erc20:${symbol}`, symbol, token.decimals, amountBase, quote, checksummed, lower, index, uri, `${network}, ERC-20 ${symbol}`);
  }
  throw new CryptoMethodError(`"${method}" is not a crypto payment method`);

  async function terms(
    m: PaymentMethod,
    asset: string,
    decimals: number,
    amountBase: bigint,
    quote: { usdPerUnit: string; source: string; at: string },
    address: string,
    addressKey: string,
    derivationIndex: number,
    uri: string,
    networkName: string,
  ): Promise<CryptoInvoiceTerms> {
    return {
      method: m,
      asset,
      decimals,
      amountBase,
      amount: formatBaseUnits(amountBase, decimals),
      rate: quote.usdPerUnit,
      rateSource: quote.source,
      rateAt: quote.at,
      address,
      addressKey,
      derivationIndex,
      uri,
      qrPng: await qrPng(uri),
      network: networkName,
    };
  }
}
