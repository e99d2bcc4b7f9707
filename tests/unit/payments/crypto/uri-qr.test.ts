import { describe, expect, it } from 'vitest';
import { qrPng, qrSvg } from '../../../../services/payments/crypto/qr.js';
import { PaymentUriError, bip21Uri, eip681Erc20Uri, eip681EthUri } from '../../../../services/payments/crypto/uri.js';

const BTC_ADDR = 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu';
const ETH_ADDR = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

describe('BIP-21 bitcoin: URIs', () => {
  it('prints the amount exactly from sats and percent-encodes label and message', () => {
    expect(bip21Uri({ address: BTC_ADDR, amountSats: 16_667n, label: 'ArbDesk', message: 'Order #A12 – GPT access' })).toBe(
      `bitcoin:${BTC_ADDR}?amount=0.00016667&label=ArbDesk&message=Order%20%23A12%20%E2%80%93%20GPT%20access`,
    );
    expect(bip21Uri({ address: BTC_ADDR, amountSats: 100_000_000n })).toBe(`bitcoin:${BTC_ADDR}?amount=1`);
    expect(bip21Uri({ address: BTC_ADDR, amountSats: 2_100_000_000_000_000n })).toBe(`bitcoin:${BTC_ADDR}?amount=21000000`);
    expect(bip21Uri({ address: BTC_ADDR, amountSats: 1n })).toBe(`bitcoin:${BTC_ADDR}?amount=0.00000001`);
    expect(bip21Uri({ address: BTC_ADDR, label: "a&b=c's" })).toBe(`bitcoin:${BTC_ADDR}?label=a%26b%3Dc%27s`);
    expect(bip21Uri({ address: 'tb1qlj64u6fqutr0xue85kl55fx0gt4m4urun25p7q' })).toBe('bitcoin:tb1qlj64u6fqutr0xue85kl55fx0gt4m4urun25p7q');
  });

  it('refuses a non-address or a zero amount', () => {
    expect(() => bip21Uri({ address: 'bc1qnotanaddress', amountSats: 1n })).toThrow(PaymentUriError);
    expect(() => bip21Uri({ address: ETH_ADDR, amountSats: 1n })).toThrow(/not a Bitcoin address/);
    expect(() => bip21Uri({ address: BTC_ADDR, amountSats: 0n })).toThrow(/positive/);
  });
});

describe('EIP-681 ethereum: URIs', () => {
  it('asks for ETH in wei with the chain id, checksumming the address', () => {
    expect(eip681EthUri({ address: ETH_ADDR.toLowerCase(), chainId: 1, wei: 333_333_333_333_334n })).toBe(`ethereum:${ETH_ADDR}@1?value=333333333333334`);
    expect(eip681EthUri({ address: ETH_ADDR, chainId: 1337, wei: 10n ** 24n })).toBe(`ethereum:${ETH_ADDR}@1337?value=1000000000000000000000000`);
  });

  it('asks for an ERC-20 transfer call with the receiving address and the token units', () => {
    expect(eip681Erc20Uri({ token: USDT.toLowerCase(), chainId: 1, address: ETH_ADDR, units: 12_500_000n })).toBe(
      `ethereum:${USDT}@1/transfer?address=${ETH_ADDR}&uint256=12500000`,
    );
  });

  it('refuses bad addresses, chain ids and amounts', () => {
    expect(() => eip681EthUri({ address: '0x1234', chainId: 1, wei: 1n })).toThrow(/not an Ethereum address/);
    expect(() => eip681EthUri({ address: '0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266', chainId: 1, wei: 1n })).toThrow(PaymentUriError); // bad checksum
    expect(() => eip681EthUri({ address: ETH_ADDR, chainId: 0, wei: 1n })).toThrow(/chain id/);
    expect(() => eip681Erc20Uri({ token: USDT, chainId: 1, address: ETH_ADDR, units: 0n })).toThrow(/positive/);
  });
});

describe('QR codes', () => {
  const uri = bip21Uri({ address: BTC_ADDR, amountSats: 16_667n, label: 'ArbDesk' });

  it('renders a PNG buffer', async () => {
    const png = await qrPng(uri);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(360); // IHDR width
    expect(await qrPng(uri)).toEqual(png);
    expect(await qrPng(uri.replace('16667', '16668'))).not.toEqual(png);
  });

  it('renders an SVG string', async () => {
    const svg = await qrSvg(uri);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<path');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(await qrSvg(uri.replace('16667', '16668'))).not.toBe(svg);
  });
});
