/**
 * Receiving addresses from the owner's extended PUBLIC keys. ArbDesk never sees a private key:
 * the owner exports an account-level key from the hardware wallet (Ledger Live, Trezor Suite,
 * Sparrow, Electrum) and every invoice gets the next child address of its external chain.
 *
 *  - Bitcoin: BIP84 native segwit (P2WPKH). The key is the account node m/84'/0'/0' (testnet
 *    m/84'/1'/0'), as `zpub`/`vpub` (SLIP-132 versions for BIP84). An `xpub`/`tpub` is accepted
 *    too and treated as the BIP84 account key: Sparrow and some Ledger exports write the same
 *    account key with the plain BIP32 version bytes. Addresses are its children 0/index
 *    (m/84'/0'/0'/0/index): `bc1q…` (mainnet), `tb1q…` (testnet/signet), `bcrt1q…` (regtest,
 *    only when asked for explicitly: regtest keys carry the testnet version bytes).
 *  - Ethereum: the `xpub` of the account node m/44'/60'/0'; addresses are its children 0/index,
 *    i.e. m/44'/60'/0'/0/index, the addresses MetaMask and Ledger Live ("legacy" path) show.
 *
 * Every key is checked before use: base58 alphabet, length, checksum, public (never private),
 * the script type it announces, and its depth (account level = 3, hardened; for Bitcoin also the
 * depth-1 m/0' account key that Electrum shows for wallets made from an Electrum seed).
 */
import { createHash } from 'node:crypto';
import { HDKey, HARDENED_OFFSET } from '@scure/bip32';
import { base58 } from '@scure/base';
import { NETWORK, TEST_NETWORK, p2wpkh } from '@scure/btc-signer';
import { computeAddress } from 'ethers/transaction';
import { hexlify } from 'ethers/utils';

export type BtcNetwork = 'mainnet' | 'testnet' | 'regtest';

type BTC_NETWORK = typeof NETWORK;

export type ExtendedKeyProblem = 'format' | 'checksum' | 'private-key' | 'script-type' | 'network' | 'depth' | 'index';

/** A key the owner entered cannot be used. `setting` names where it came from; the message never repeats the key. */
export class ExtendedKeyError extends Error {
  override name = 'ExtendedKeyError';
  constructor(
    readonly setting: string,
    readonly problem: ExtendedKeyProblem,
    message: string,
  ) {
    super(message);
  }
}

interface VersionInfo {
  prefix: string;
  kind: 'public' | 'private';
  network: 'mainnet' | 'testnet';
  /** What the SLIP-132 registry says the key is for. */
  script: 'bip32' | 'p2wpkh' | 'p2sh-p2wpkh' | 'p2wsh' | 'p2sh-p2wsh';
  pair: { public: number; private: number };
}

/** SLIP-0132 registered version bytes (github.com/satoshilabs/slips/blob/master/slip-0132.md). */
const VERSION_TABLE: Array<[string, number, number, VersionInfo['network'], VersionInfo['script']]> = [
  // prefix pair, public version, private version, network, script type
  ['xpub/xprv', 0x0488b21e, 0x0488ade4, 'mainnet', 'bip32'],
  ['ypub/yprv', 0x049d7cb2, 0x049d7878, 'mainnet', 'p2sh-p2wpkh'],
  ['zpub/zprv', 0x04b24746, 0x04b2430c, 'mainnet', 'p2wpkh'],
  ['Ypub/Yprv', 0x0295b43f, 0x0295b005, 'mainnet', 'p2sh-p2wsh'],
  ['Zpub/Zprv', 0x02aa7ed3, 0x02aa7a99, 'mainnet', 'p2wsh'],
  ['tpub/tprv', 0x043587cf, 0x04358394, 'testnet', 'bip32'],
  ['upub/uprv', 0x044a5262, 0x044a4e28, 'testnet', 'p2sh-p2wpkh'],
  ['vpub/vprv', 0x045f1cf6, 0x045f18bc, 'testnet', 'p2wpkh'],
  ['Upub/Uprv', 0x024289ef, 0x024285b5, 'testnet', 'p2sh-p2wsh'],
  ['Vpub/Vprv', 0x02575483, 0x02575048, 'testnet', 'p2wsh'],
];

const VERSIONS = new Map<number, VersionInfo>();
for (const [names, pub, prv, network, script] of VERSION_TABLE) {
  const [pubName, prvName] = names.split('/') as [string, string];
  const pair = { public: pub, private: prv };
  VERSIONS.set(pub, { prefix: pubName, kind: 'public', network, script, pair });
  VERSIONS.set(prv, { prefix: prvName, kind: 'private', network, script, pair });
}

const REGTEST: BTC_NETWORK = { ...TEST_NETWORK, bech32: 'bcrt' };
const BTC_NETWORKS: Record<BtcNetwork, BTC_NETWORK> = { mainnet: NETWORK, testnet: TEST_NETWORK, regtest: REGTEST };

function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}

interface DecodedKey {
  info: VersionInfo;
  hd: HDKey;
}

/**
 * Decodes a serialized BIP32 key into its version and node, with an error that says what is wrong.
 * Private keys are refused by their key data (a leading 0x00 byte), whatever their version bytes.
 */
function decodeExtendedKey(raw: string, setting: string): DecodedKey {
  const text = raw.trim();
  if (text === '') throw new ExtendedKeyError(setting, 'format', `${setting} is empty: paste the account's extended public key (xpub/zpub)`);
  if (/^([a-z]+\s+){11,}[a-z]+$/i.test(text)) {
    throw new ExtendedKeyError(setting, 'private-key', `${setting} looks like a recovery phrase: never give ArbDesk your words or a private key; export the account xpub/zpub instead`);
  }
  if (/\s/.test(text)) throw new ExtendedKeyError(setting, 'format', `${setting} contains spaces or line breaks: paste the key as one word`);
  // A 12/24-word phrase or a WIF/hex private key are secrets too: say so rather than "bad format".
  if (/^(5|K|L|c)[1-9A-HJ-NP-Za-km-z]{50,51}$/.test(text) || /^(0x)?[0-9a-fA-F]{64}$/.test(text)) {
    throw new ExtendedKeyError(setting, 'private-key', `${setting} looks like a private key: never give ArbDesk a private key; export the account xpub/zpub instead`);
  }
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(text);
  } catch {
    throw new ExtendedKeyError(setting, 'format', `${setting} is not an extended public key: it has characters outside the base58 alphabet (0, O, I and l never occur)`);
  }
  if (bytes.length !== 82) {
    throw new ExtendedKeyError(setting, 'format', `${setting} is not an extended public key: it decodes to ${bytes.length} bytes, an xpub/zpub has 82 (was it cut short?)`);
  }
  const payload = bytes.subarray(0, 78);
  const check = bytes.subarray(78);
  const expected = sha256(sha256(payload)).subarray(0, 4);
  if (!check.every((b, i) => b === expected[i])) {
    throw new ExtendedKeyError(setting, 'checksum', `${setting} has a bad checksum: a character was mistyped or changed; copy the key again from the wallet`);
  }
  const version = ((payload[0]! << 24) | (payload[1]! << 16) | (payload[2]! << 8) | payload[3]!) >>> 0;
  const info = VERSIONS.get(version);
  const keyByte = payload[45]!;
  if (info?.kind === 'private' || keyByte === 0x00) {
    const name = info?.prefix ?? 'extended private key';
    throw new ExtendedKeyError(
      setting,
      'private-key',
      `${setting} is a private key (${name}): never give ArbDesk a private key; export the account xpub/zpub instead`,
    );
  }
  if (!info) {
    throw new ExtendedKeyError(setting, 'format', `${setting} has unknown version bytes 0x${version.toString(16).padStart(8, '0')}: expected an xpub, zpub, tpub or vpub`);
  }
  let hd: HDKey;
  try {
    hd = HDKey.fromExtendedKey(text, info.pair);
  } catch (err) {
    throw new ExtendedKeyError(setting, 'format', `${setting} is not a valid extended public key: ${(err as Error).message}`);
  }
  return { info, hd };
}

/**
 * The key must be an account node: depth 3 and hardened (m/84'/0'/0', m/44'/60'/0'). Bitcoin also
 * accepts depth 1 hardened, the m/0' account of Electrum's own (non-BIP39) segwit seeds, whose
 * receive addresses are likewise its children 0/index.
 */
function checkAccountLevel(hd: HDKey, setting: string, path: string, allowElectrumSeed = false): void {
  const electrum = allowElectrumSeed && hd.depth === 1 && hd.index >= HARDENED_OFFSET;
  if (!electrum && (hd.depth !== 3 || hd.index < HARDENED_OFFSET)) {
    const where = hd.depth === 0 ? 'the wallet master key' : `a key at depth ${hd.depth}`;
    throw new ExtendedKeyError(
      setting,
      'depth',
      `${setting} is ${where}; ArbDesk needs the account-level key (depth 3, ${path}) that the wallet shows as the account's xpub`,
    );
  }
}

function checkIndex(index: number, setting: string): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= HARDENED_OFFSET) {
    throw new ExtendedKeyError(setting, 'index', `address index ${index} for ${setting} must be a whole number from 0 to ${HARDENED_OFFSET - 1}`);
  }
}

// --- Bitcoin ---------------------------------------------------------------------------------

export interface BtcAccountOptions {
  /** Setting name used in error messages. Default `payments.btc.xpub`. */
  setting?: string;
  /**
   * The network the app runs on. Without it the key's version bytes decide (mainnet or testnet).
   * `regtest` needs a testnet key (tpub/vpub) and gives `bcrt1q…` addresses.
   */
  network?: BtcNetwork;
}

export interface BtcAccount {
  readonly network: BtcNetwork;
  /** The prefix the key was given with: xpub, zpub, tpub or vpub. */
  readonly keyPrefix: string;
  /** Receive address m/…/0/index, lower-case bech32. */
  addressAt(index: number): string;
}

/** Parses the owner's Bitcoin account key (zpub/vpub, or xpub/tpub treated as BIP84). Throws ExtendedKeyError. */
export function parseBtcAccountKey(key: string, opts: BtcAccountOptions = {}): BtcAccount {
  const setting = opts.setting ?? 'payments.btc.xpub';
  const { info, hd } = decodeExtendedKey(key, setting);
  if (info.script !== 'p2wpkh' && info.script !== 'bip32') {
    const what = info.script === 'p2sh-p2wpkh' ? 'a BIP49 nested-segwit (3…/2…) account key' : 'a multisig key';
    throw new ExtendedKeyError(
      setting,
      'script-type',
      `${setting} is ${what} (${info.prefix}); ArbDesk derives native segwit (bc1q…) addresses: export the BIP84 "Native Segwit" account's zpub (or vpub on testnet)`,
    );
  }
  const keyNetwork = info.network;
  let network: BtcNetwork = keyNetwork;
  if (opts.network) {
    const wanted = opts.network === 'mainnet' ? 'mainnet' : 'testnet';
    if (wanted !== keyNetwork) {
      throw new ExtendedKeyError(
        setting,
        'network',
        `${setting} is a ${keyNetwork} key (${info.prefix}) but ArbDesk runs on Bitcoin ${opts.network}: export the key of a ${opts.network} account`,
      );
    }
    network = opts.network;
  }
  checkAccountLevel(hd, setting, keyNetwork === 'mainnet' ? "m/84'/0'/0'" : "m/84'/1'/0'", true);
  const external = hd.deriveChild(0);
  const btcNet = BTC_NETWORKS[network];
  return {
    network,
    keyPrefix: info.prefix,
    addressAt(index: number): string {
      checkIndex(index, setting);
      const child = external.deriveChild(index);
      const address = p2wpkh(child.publicKey!, btcNet).address;
      if (!address) throw new Error('p2wpkh gave no address');
      return address;
    },
  };
}

// --- Ethereum --------------------------------------------------------------------------------

export interface EthAddress {
  /** EIP-55 checksummed, for display, URIs and QR codes. */
  checksummed: string;
  /** Lower-case hex, for matching what watchers report. */
  lower: string;
}

export interface EthAccount {
  addressAt(index: number): EthAddress;
}

/** Parses the owner's Ethereum account xpub (node m/44'/60'/0'). Throws ExtendedKeyError. */
export function parseEthAccountKey(key: string, opts: { setting?: string } = {}): EthAccount {
  const setting = opts.setting ?? 'payments.eth.xpub';
  const { info, hd } = decodeExtendedKey(key, setting);
  if (info.script !== 'bip32') {
    throw new ExtendedKeyError(
      setting,
      'script-type',
      `${setting} is a Bitcoin ${info.script} key (${info.prefix}); for Ethereum export the xpub of the account m/44'/60'/0'`,
    );
  }
  checkAccountLevel(hd, setting, "m/44'/60'/0'");
  const external = hd.deriveChild(0);
  return {
    addressAt(index: number): EthAddress {
      checkIndex(index, setting);
      const child = external.deriveChild(index);
      const checksummed = computeAddress(hexlify(child.publicKey!));
      return { checksummed, lower: checksummed.toLowerCase() };
    },
  };
}
