import { HDKey, type Versions } from '@scure/bip32';
import { Address, NETWORK, TEST_NETWORK } from '@scure/btc-signer';
import { HDNodeWallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { ExtendedKeyError, parseBtcAccountKey, parseEthAccountKey } from '../../../../services/payments/crypto/derive.js';

// BIP84 test vectors (github.com/bitcoin/bips/blob/master/bip-0084.mediawiki).
const BIP84_ROOT_ZPRV = 'zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62XuezvGdPvG6GFBZduosCc1YP5wixPox7zhZLfiUm8aunE96BBa4Kei5';
const BIP84_ACCOUNT_ZPUB = 'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs';
const BIP84_ADDR_0 = 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu';
const BIP84_ADDR_1 = 'bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g';

const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';

const V: Record<string, Versions> = {
  xpub: { public: 0x0488b21e, private: 0x0488ade4 },
  ypub: { public: 0x049d7cb2, private: 0x049d7878 },
  zpub: { public: 0x04b24746, private: 0x04b2430c },
  tpub: { public: 0x043587cf, private: 0x04358394 },
  vpub: { public: 0x045f1cf6, private: 0x045f18bc },
};

/** The same public node written with other version bytes (what Sparrow/Ledger exports differ in). */
function reencode(key: string, from: Versions, to: Versions): string {
  const k = HDKey.fromExtendedKey(key, from);
  return new HDKey({ versions: to, depth: k.depth, index: k.index, parentFingerprint: k.parentFingerprint, chainCode: k.chainCode!, publicKey: k.publicKey! })
    .publicExtendedKey;
}

function problemOf(fn: () => unknown): { problem: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ExtendedKeyError);
    return { problem: (err as ExtendedKeyError).problem, message: (err as Error).message };
  }
  throw new Error('expected an ExtendedKeyError');
}

describe('Bitcoin BIP84 derivation', () => {
  it('derives the BIP84 test-vector receive addresses from the account zpub', () => {
    const account = parseBtcAccountKey(BIP84_ACCOUNT_ZPUB);
    expect(account.network).toBe('mainnet');
    expect(account.keyPrefix).toBe('zpub');
    expect(account.addressAt(0)).toBe(BIP84_ADDR_0);
    expect(account.addressAt(1)).toBe(BIP84_ADDR_1);
  });

  it('the vector zpub is the m/84h/0h/0h account of the BIP rootnode (checked in the test, with the test private key)', () => {
    const account = HDKey.fromExtendedKey(BIP84_ROOT_ZPRV, V.zpub).derive("m/84'/0'/0'");
    expect(account.publicExtendedKey).toBe(BIP84_ACCOUNT_ZPUB);
  });

  it('treats an xpub of the same account as the BIP84 key (same addresses)', () => {
    const xpub = reencode(BIP84_ACCOUNT_ZPUB, V.zpub!, V.xpub!);
    expect(xpub.startsWith('xpub')).toBe(true);
    const account = parseBtcAccountKey(xpub);
    expect(account.keyPrefix).toBe('xpub');
    expect([account.addressAt(0), account.addressAt(1)]).toEqual([BIP84_ADDR_0, BIP84_ADDR_1]);
  });

  it('takes the network from vpub/tpub version bytes: tb1q… on testnet, bcrt1q… only when regtest is asked for', () => {
    const vpub = reencode(BIP84_ACCOUNT_ZPUB, V.zpub!, V.vpub!);
    const tpub = reencode(BIP84_ACCOUNT_ZPUB, V.zpub!, V.tpub!);
    const testnet = parseBtcAccountKey(vpub);
    expect(testnet.network).toBe('testnet');
    const tb = testnet.addressAt(0);
    expect(tb).toMatch(/^tb1q/);
    expect(parseBtcAccountKey(tpub).addressAt(0)).toBe(tb);
    const regtest = parseBtcAccountKey(vpub, { network: 'regtest' });
    expect(regtest.addressAt(0)).toMatch(/^bcrt1q/);
    // Same key hash on every network: only the human-readable part differs.
    const program = (addr: string, net: typeof NETWORK) => (Address(net).decode(addr) as { hash: Uint8Array }).hash;
    expect(program(tb, TEST_NETWORK)).toEqual(program(BIP84_ADDR_0, NETWORK));
    expect(program(regtest.addressAt(0), { ...TEST_NETWORK, bech32: 'bcrt' })).toEqual(program(BIP84_ADDR_0, NETWORK));
  });

  it('refuses an extended PRIVATE key with a message that says never to give one, without echoing it', () => {
    const zprv = HDKey.fromExtendedKey(BIP84_ROOT_ZPRV, V.zpub).derive("m/84'/0'/0'").privateExtendedKey;
    const xprv = reencodePrivate(zprv, V.zpub!, V.xpub!);
    for (const [key, name] of [
      [zprv, 'zprv'],
      [xprv, 'xprv'],
      [BIP84_ROOT_ZPRV, 'zprv'],
    ] as const) {
      const { problem, message } = problemOf(() => parseBtcAccountKey(key));
      expect(problem).toBe('private-key');
      expect(message).toBe(`payments.btc.xpub is a private key (${name}): never give ArbDesk a private key; export the account xpub/zpub instead`);
      expect(message).not.toContain(key.slice(4, 20));
    }
    expect(problemOf(() => parseEthAccountKey(xprv)).message).toContain('payments.eth.xpub is a private key (xprv)');
  });

  it('refuses recovery phrases and raw private keys as secrets', () => {
    expect(problemOf(() => parseBtcAccountKey(HARDHAT_MNEMONIC)).problem).toBe('private-key');
    expect(problemOf(() => parseEthAccountKey('0x' + 'ab'.repeat(32))).problem).toBe('private-key');
  });

  it('names a mistyped character as a bad checksum', () => {
    const i = 60;
    const typo = BIP84_ACCOUNT_ZPUB.slice(0, i) + (BIP84_ACCOUNT_ZPUB[i] === 'a' ? 'b' : 'a') + BIP84_ACCOUNT_ZPUB.slice(i + 1);
    const { problem, message } = problemOf(() => parseBtcAccountKey(typo));
    expect(problem).toBe('checksum');
    expect(message).toMatch(/bad checksum/);
    expect(problemOf(() => parseBtcAccountKey(BIP84_ACCOUNT_ZPUB.slice(0, 100))).problem).toBe('format');
    expect(problemOf(() => parseBtcAccountKey(BIP84_ACCOUNT_ZPUB.replace('r', '0'))).message).toMatch(/base58/);
    expect(problemOf(() => parseBtcAccountKey('  ')).problem).toBe('format');
  });

  it('refuses a key of the wrong network or script type', () => {
    const vpub = reencode(BIP84_ACCOUNT_ZPUB, V.zpub!, V.vpub!);
    expect(problemOf(() => parseBtcAccountKey(vpub, { network: 'mainnet' }))).toEqual({
      problem: 'network',
      message: 'payments.btc.xpub is a testnet key (vpub) but ArbDesk runs on Bitcoin mainnet: export the key of a mainnet account',
    });
    expect(problemOf(() => parseBtcAccountKey(BIP84_ACCOUNT_ZPUB, { network: 'regtest' })).problem).toBe('network');
    const ypub = reencode(BIP84_ACCOUNT_ZPUB, V.zpub!, V.ypub!);
    const { problem, message } = problemOf(() => parseBtcAccountKey(ypub));
    expect(problem).toBe('script-type');
    expect(message).toMatch(/BIP49.*zpub/);
  });

  it('refuses a key that is not at account level (the wallet master key, or a chain key)', () => {
    const master = HDKey.fromExtendedKey(BIP84_ROOT_ZPRV, V.zpub).publicExtendedKey;
    expect(problemOf(() => parseBtcAccountKey(master)).message).toMatch(/is the wallet master key; ArbDesk needs the account-level key \(depth 3, m\/84'\/0'\/0'\)/);
    const chain = HDKey.fromExtendedKey(BIP84_ROOT_ZPRV, V.zpub).derive("m/84'/0'/0'/0").publicExtendedKey;
    expect(problemOf(() => parseBtcAccountKey(chain)).problem).toBe('depth');
    const unhardened = HDKey.fromExtendedKey(BIP84_ROOT_ZPRV, V.zpub).derive('m/0').publicExtendedKey;
    expect(problemOf(() => parseBtcAccountKey(unhardened)).problem).toBe('depth');
  });

  it("accepts the depth-1 m/0' account key of an Electrum-seed wallet, deriving its 0/index children", () => {
    const root = HDKey.fromExtendedKey(BIP84_ROOT_ZPRV, V.zpub);
    const electrumAccount = root.derive("m/0'");
    const account = parseBtcAccountKey(electrumAccount.publicExtendedKey);
    const child = root.derive("m/0'/0/5");
    const decoded = Address(NETWORK).decode(account.addressAt(5)) as { type: string; hash: Uint8Array };
    expect(decoded.type).toBe('wpkh');
    expect(decoded.hash).toEqual(child.pubKeyHash);
    expect(problemOf(() => parseEthAccountKey(reencode(electrumAccount.publicExtendedKey, V.zpub!, V.xpub!))).problem).toBe('depth');
  });

  it('refuses address indexes outside 0 … 2^31−1', () => {
    const account = parseBtcAccountKey(BIP84_ACCOUNT_ZPUB);
    for (const bad of [-1, 1.5, 2 ** 31, Number.NaN]) expect(problemOf(() => account.addressAt(bad)).problem).toBe('index');
    expect(account.addressAt(2 ** 31 - 1)).toMatch(/^bc1q/);
  });
});

function reencodePrivate(key: string, from: Versions, to: Versions): string {
  const k = HDKey.fromExtendedKey(key, from);
  return new HDKey({ versions: to, depth: k.depth, index: k.index, parentFingerprint: k.parentFingerprint, chainCode: k.chainCode!, privateKey: k.privateKey! })
    .privateExtendedKey;
}

describe('Ethereum derivation (xpub of m/44h/60h/0h, addresses 0/index)', () => {
  // The xpub is made from the well-known Hardhat mnemonic here, in the test only.
  const accountNode = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'");
  const xpub = accountNode.neuter().extendedKey;

  it('gives the same addresses as MetaMask / Hardhat (m/44h/60h/0h/0/i), EIP-55 checksummed and lower-case', () => {
    const account = parseEthAccountKey(xpub);
    const first = account.addressAt(0);
    expect(first.checksummed).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(first.lower).toBe('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266');
    expect(account.addressAt(1).checksummed).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    for (const i of [2, 7, 1000]) {
      expect(account.addressAt(i).checksummed).toBe(HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).address);
    }
  });

  it('refuses a Bitcoin zpub, the private node and keys at the wrong depth', () => {
    expect(problemOf(() => parseEthAccountKey(BIP84_ACCOUNT_ZPUB))).toMatchObject({ problem: 'script-type' });
    expect(problemOf(() => parseEthAccountKey(accountNode.extendedKey)).problem).toBe('private-key');
    const chainKey = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'/0").neuter().extendedKey;
    expect(problemOf(() => parseEthAccountKey(chainKey)).message).toMatch(/depth 4.*m\/44'\/60'\/0'/);
  });
});
