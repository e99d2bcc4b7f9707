/**
 * Payment request URIs a wallet opens or scans, with the exact amount to pay.
 *
 *  - BIP-21:  bitcoin:<address>?amount=<BTC decimal>&label=<…>&message=<…>
 *             amount printed exactly from sats (8 decimals at most, trailing zeros dropped);
 *             label/message UTF-8 percent-encoded (RFC 3986).
 *  - EIP-681: ethereum:<address>@<chainId>?value=<wei>                          (ETH)
 *             ethereum:<token>@<chainId>/transfer?address=<address>&uint256=<units>  (ERC-20)
 *             amounts as plain integers of the atomic unit, which the EIP's number grammar allows.
 */
import { Address, NETWORK, TEST_NETWORK } from '@scure/btc-signer';
import { getAddress } from 'ethers/address';
import { AmountError, formatBaseUnits } from './amounts.js';

export class PaymentUriError extends Error {
  override name = 'PaymentUriError';
}

const BTC_DECODERS = [Address(NETWORK), Address(TEST_NETWORK), Address({ ...TEST_NETWORK, bech32: 'bcrt' })];

function checkBtcAddress(address: string): void {
  for (const decoder of BTC_DECODERS) {
    try {
      decoder.decode(address);
      return;
    } catch {
      // try the next network
    }
  }
  throw new PaymentUriError(`"${address.slice(0, 90)}" is not a Bitcoin address`);
}

function checkEvmAddress(address: string, what: string): string {
  try {
    return getAddress(address);
  } catch {
    throw new PaymentUriError(`${what} "${address.slice(0, 60)}" is not an Ethereum address`);
  }
}

function checkPositive(amount: bigint, what: string): void {
  if (typeof amount !== 'bigint' || amount <= 0n) throw new AmountError(`${what} must be a positive bigint of base units`);
}

function checkChainId(chainId: number): void {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new PaymentUriError(`chain id must be a positive whole number, got ${chainId}`);
}

/** Percent-encodes for a URI query value: everything but RFC 3986 unreserved characters. */
function encodeQueryValue(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export interface Bip21Request {
  address: string;
  /** Amount in satoshis; omitted → the wallet asks the payer. */
  amountSats?: bigint;
  label?: string;
  message?: string;
}

export function bip21Uri(req: Bip21Request): string {
  checkBtcAddress(req.address);
  const params: string[] = [];
  if (req.amountSats !== undefined) {
    checkPositive(req.amountSats, 'amountSats');
    params.push(`amount=${formatBaseUnits(req.amountSats, 8)}`);
  }
  if (req.label) params.push(`label=${encodeQueryValue(req.label)}`);
  if (req.message) params.push(`message=${encodeQueryValue(req.message)}`);
  return `bitcoin:${req.address}${params.length ? '?' + params.join('&') : ''}`;
}

export interface Eip681EthRequest {
  address: string;
  chainId: number;
  wei: bigint;
}

export function eip681EthUri(req: Eip681EthRequest): string {
  const address = checkEvmAddress(req.address, 'address');
  checkChainId(req.chainId);
  checkPositive(req.wei, 'wei');
  return `ethereum:${address}@${req.chainId}?value=${req.wei.toString()}`;
}

export interface Eip681Erc20Request {
  /** The token contract. */
  token: string;
  chainId: number;
  /** The receiving address. */
  address: string;
  /** Amount in the token's atomic units. */
  units: bigint;
}

export function eip681Erc20Uri(req: Eip681Erc20Request): string {
  const token = checkEvmAddress(req.token, 'token contract');
  const address = checkEvmAddress(req.address, 'address');
  checkChainId(req.chainId);
  checkPositive(req.units, 'units');
  return `ethereum:${token}@${req.chainId}/transfer?address=${address}&uint256=${req.units.toString()}`;
}
