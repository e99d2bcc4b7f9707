/**
 * The owner's crypto setup, parsed from the settings once per change: which chains are on,
 * their account keys, tokens, rate source. A chain is on when it has both a key and a way to
 * watch it (an Esplora URL for Bitcoin, a JSON-RPC URL for Ethereum).
 */
import type { Settings } from '../config/schema.js';
import { parseBtcAccountKey, parseEthAccountKey, type BtcAccount, type EthAccount } from './crypto/derive.js';
import type { CryptoAccounts } from './crypto/invoice-terms.js';
import { parseTokenList, type Erc20Token } from './crypto/settings.js';
import { createRateSource } from './rates/index.js';
import type { RateSource } from './types.js';

export interface CryptoSetup {
  accounts: CryptoAccounts;
  btc: BtcAccount | null;
  eth: EthAccount | null;
  tokens: Erc20Token[];
  rates: RateSource;
  esploraUrl: string;
  rpcUrl: string;
  chainId: number;
}

const KEYS = [
  'payments.btc.xpub',
  'payments.btc.network',
  'payments.btc.esploraUrl',
  'payments.eth.xpub',
  'payments.eth.rpcUrl',
  'payments.eth.chainId',
  'payments.eth.tokens',
  'payments.rates',
  'payments.coingeckoUrl',
  'payments.coingeckoApiKey',
] as const;

/** Parses lazily and caches by the settings' values; throws the parser's clear error on a bad key. */
export function cryptoSetupCache(settings: () => Settings): () => CryptoSetup {
  let cacheKey = '';
  let cached: CryptoSetup | undefined;
  return () => {
    const s = settings();
    const key = JSON.stringify(KEYS.map((k) => s[k]));
    if (cached && key === cacheKey) return cached;
    const btcOn = s['payments.btc.xpub'] !== '' && s['payments.btc.esploraUrl'] !== '';
    const ethOn = s['payments.eth.xpub'] !== '' && s['payments.eth.rpcUrl'] !== '';
    const network = s['payments.btc.network'];
    const btc = btcOn ? parseBtcAccountKey(s['payments.btc.xpub'], { setting: 'payments.btc.xpub', ...(network !== 'auto' ? { network: network as 'mainnet' | 'testnet' | 'regtest' } : {}) }) : null;
    const eth = ethOn ? parseEthAccountKey(s['payments.eth.xpub'], { setting: 'payments.eth.xpub' }) : null;
    const tokens = ethOn ? parseTokenList(s['payments.eth.tokens'].join(',')) : [];
    const rates = createRateSource(s['payments.rates'], {
      coingeckoUrl: s['payments.coingeckoUrl'],
      ...(s['payments.coingeckoApiKey'] ? { coingeckoApiKey: s['payments.coingeckoApiKey'] } : {}),
    });
    cached = {
      accounts: { btc, eth, chainId: s['payments.eth.chainId'], tokens },
      btc,
      eth,
      tokens,
      rates,
      esploraUrl: s['payments.btc.esploraUrl'],
      rpcUrl: s['payments.eth.rpcUrl'],
      chainId: s['payments.eth.chainId'],
    };
    cacheKey = key;
    return cached;
  };
}
