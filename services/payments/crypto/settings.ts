/**
 * Parsers for the crypto payment settings whose values are small lists:
 *   payments.eth.tokens         "USDT:0xdAC17F958D2ee523a2206206994597C13D831ec7:6,USDC:0xA0b8…eB48:6"
 *   payments.confirmations      "btc=2,eth=12"
 * Errors name the setting and the entry that is wrong.
 */
import { getAddress } from 'ethers/address';
import type { Chain } from '../types.js';

export class PaymentSettingError extends Error {
  override name = 'PaymentSettingError';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Erc20Token {
  /** Upper-case symbol; the payment method is `erc20:<symbol>`. */
  symbol: string;
  /** Contract address, EIP-55 checksummed. */
  contract: string;
  /** Lower-case contract, for matching logs. */
  contractLower: string;
  decimals: number;
}

const SYMBOL = /^[A-Z0-9]{1,15}$/;

export function parseTokenList(text: string, setting = 'payments.eth.tokens'): Erc20Token[] {
  const tokens: Erc20Token[] = [];
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const parts = entry.split(':').map((s) => s.trim());
    if (parts.length !== 3) throw new PaymentSettingError(setting, `${setting}: "${entry}" must be SYMBOL:contract:decimals, e.g. USDT:0xdAC17F958D2ee523a2206206994597C13D831ec7:6`);
    const [rawSymbol, rawContract, rawDecimals] = parts as [string, string, string];
    const symbol = rawSymbol.toUpperCase();
    if (!SYMBOL.test(symbol)) throw new PaymentSettingError(setting, `${setting}: symbol "${rawSymbol}" must be 1–15 letters or digits`);
    if (symbol === 'ETH' || symbol === 'BTC') throw new PaymentSettingError(setting, `${setting}: "${symbol}" is a native coin, not a token`);
    if (tokens.some((t) => t.symbol === symbol)) throw new PaymentSettingError(setting, `${setting}: ${symbol} is listed twice`);
    let contract: string;
    try {
      contract = getAddress(rawContract);
    } catch {
      const hint = /[A-F]/.test(rawContract) && /[a-f]/.test(rawContract) ? ' (its mixed-case checksum does not match: a character was mistyped)' : '';
      throw new PaymentSettingError(setting, `${setting}: "${rawContract}" for ${symbol} is not a contract address${hint}`);
    }
    if (tokens.some((t) => t.contract === contract)) throw new PaymentSettingError(setting, `${setting}: contract ${contract} is listed twice`);
    if (!/^\d{1,2}$/.test(rawDecimals) || Number(rawDecimals) > 36) {
      throw new PaymentSettingError(setting, `${setting}: decimals "${rawDecimals}" for ${symbol} must be a whole number from 0 to 36 (USDT and USDC have 6)`);
    }
    tokens.push({ symbol, contract, contractLower: contract.toLowerCase(), decimals: Number(rawDecimals) });
  }
  return tokens;
}

export type Confirmations = Record<Chain, number>;

export const DEFAULT_CONFIRMATIONS: Confirmations = { btc: 2, eth: 12 };

/** "btc=2,eth=12"; a chain left out keeps its default. Each value 1–1000. */
export function parseConfirmations(text: string, setting = 'payments.confirmations'): Confirmations {
  const out: Confirmations = { ...DEFAULT_CONFIRMATIONS };
  const seen = new Set<string>();
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-zA-Z]+)\s*=\s*(\d+)$/.exec(entry);
    if (!m) throw new PaymentSettingError(setting, `${setting}: "${entry}" must be chain=blocks, e.g. btc=2,eth=12`);
    const chain = m[1]!.toLowerCase();
    if (chain !== 'btc' && chain !== 'eth') throw new PaymentSettingError(setting, `${setting}: unknown chain "${m[1]}" (btc or eth; ERC-20 tokens follow eth)`);
    if (seen.has(chain)) throw new PaymentSettingError(setting, `${setting}: ${chain} is listed twice`);
    seen.add(chain);
    const n = Number(m[2]);
    if (!Number.isSafeInteger(n) || n < 1 || n > 1000) throw new PaymentSettingError(setting, `${setting}: ${chain}=${m[2]} must be from 1 to 1000 blocks`);
    out[chain] = n;
  }
  return out;
}
