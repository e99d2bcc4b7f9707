import { HDNodeWallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { parseBtcAccountKey, parseEthAccountKey } from '../../../../services/payments/crypto/derive.js';
import { cryptoInvoiceTerms, enabledCryptoMethods, type CryptoAccounts } from '../../../../services/payments/crypto/invoice-terms.js';
import { parseTokenList } from '../../../../services/payments/crypto/settings.js';
import { createRateSource } from '../../../../services/payments/rates/index.js';

const ZPUB = 'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs';
const ETH_XPUB = HDNodeWallet.fromPhrase('test test test test test test test test test test test junk', undefined, "m/44'/60'/0'").neuter().extendedKey;
const USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

const accounts: CryptoAccounts = {
  btc: parseBtcAccountKey(ZPUB),
  eth: parseEthAccountKey(ETH_XPUB),
  chainId: 1,
  tokens: parseTokenList(`USDT:${USDT}:6`),
};
const rates = createRateSource('BTC=60000,ETH=3000');

describe('crypto invoice terms', () => {
  it('lists the methods the configured keys allow', () => {
    expect(enabledCryptoMethods(accounts)).toEqual(['btc', 'eth', 'erc20:USDT']);
    expect(enabledCryptoMethods({ btc: accounts.btc })).toEqual(['btc']);
    expect(enabledCryptoMethods({})).toEqual([]);
  });

  it('gives a Bitcoin invoice its address, rounded-up amount, locked rate, BIP-21 URI and QR', async () => {
    const t = await cryptoInvoiceTerms({ method: 'btc', usdMicro: 10_000_000, derivationIndex: 1, accounts, rates, label: 'ArbDesk', message: 'Order A12' });
    expect(t).toMatchObject({
      method: 'btc',
      asset: 'BTC',
      decimals: 8,
      amountBase: 16_667n,
      amount: '0.00016667',
      rate: '60000',
      rateSource: 'fixed',
      address: 'bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g',
      addressKey: 'bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g',
      derivationIndex: 1,
      uri: 'bitcoin:bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g?amount=0.00016667&label=ArbDesk&message=Order%20A12',
      network: 'Bitcoin',
    });
    expect(t.qrPng.subarray(1, 4).toString()).toBe('PNG');
  });

  it('gives ETH and ERC-20 invoices EIP-681 URIs with checksummed display and lower-case lookup addresses', async () => {
    const eth = await cryptoInvoiceTerms({ method: 'eth', usdMicro: 1_000_000, derivationIndex: 0, accounts, rates });
    expect(eth).toMatchObject({
      asset: 'ETH',
      decimals: 18,
      amountBase: 333_333_333_333_334n,
      amount: '0.000333333333333334',
      address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      addressKey: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
      uri: 'ethereum:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266@1?value=333333333333334',
      network: 'Ethereum',
    });
    const usdt = await cryptoInvoiceTerms({ method: 'erc20:usdt', usdMicro: 12_500_000, derivationIndex: 1, accounts: { ...accounts, chainId: 11155111 }, rates });
    expect(usdt).toMatchObject({
      method: 'erc20:USDT',
      asset: 'USDT',
      amountBase: 12_500_000n,
      amount: '12.5',
      rate: '1',
      uri: `ethereum:${USDT}@11155111/transfer?address=0x70997970C51812dc3A010C7d01b50e0d17dc79C8&uint256=12500000`,
      network: 'Ethereum (chain 11155111), ERC-20 USDT',
    });
  });

  it('explains a method that is not configured', async () => {
    await expect(cryptoInvoiceTerms({ method: 'erc20:DAI', usdMicro: 1, derivationIndex: 0, accounts, rates })).rejects.toThrow('DAI is not in payments.eth.tokens');
    await expect(cryptoInvoiceTerms({ method: 'btc', usdMicro: 1, derivationIndex: 0, accounts: {}, rates })).rejects.toThrow(/payments\.btc\.xpub/);
    await expect(cryptoInvoiceTerms({ method: 'stars', usdMicro: 1, derivationIndex: 0, accounts, rates })).rejects.toThrow(/not a crypto payment method/);
    await expect(cryptoInvoiceTerms({ method: 'btc', usdMicro: 0, derivationIndex: 0, accounts, rates })).rejects.toThrow(/positive/);
  });
});
