import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIRMATIONS, PaymentSettingError, parseConfirmations, parseTokenList } from '../../../../services/payments/crypto/settings.js';

const USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
const USDC = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';

describe('payments.eth.tokens', () => {
  it('parses SYMBOL:contract:decimals entries', () => {
    expect(parseTokenList(` usdt:${USDT.toLowerCase()}:6 , USDC:${USDC}:6`)).toEqual([
      { symbol: 'USDT', contract: USDT, contractLower: USDT.toLowerCase(), decimals: 6 },
      { symbol: 'USDC', contract: USDC, contractLower: USDC.toLowerCase(), decimals: 6 },
    ]);
    expect(parseTokenList('')).toEqual([]);
  });

  it('says which entry is wrong and why', () => {
    const bad = (text: string) => () => parseTokenList(text);
    expect(bad(`USDT:${USDT}`)).toThrow(/"USDT:0x.*" must be SYMBOL:contract:decimals/);
    expect(bad(`USDT:0x1234:6`)).toThrow(/"0x1234" for USDT is not a contract address/);
    expect(bad(`USDT:${USDT.replace('dAC', 'DAC')}:6`)).toThrow(/checksum does not match/);
    expect(bad(`USDT:${USDT}:six`)).toThrow(/decimals "six" for USDT/);
    expect(bad(`USDT:${USDT}:6,usdt:${USDC}:6`)).toThrow(/USDT is listed twice/);
    expect(bad(`USDT:${USDT}:6,USDC:${USDT}:6`)).toThrow(/contract .* is listed twice/);
    expect(bad(`ETH:${USDT}:18`)).toThrow(/native coin/);
    expect(bad(`USDT:${USDT}:6`)).not.toThrow();
    expect(bad('x:y')).toThrow(PaymentSettingError);
  });
});

describe('payments.confirmations', () => {
  it('parses btc=…,eth=… and keeps defaults for chains left out', () => {
    expect(parseConfirmations('btc=2,eth=12')).toEqual({ btc: 2, eth: 12 });
    expect(parseConfirmations(' ETH = 30 ')).toEqual({ btc: DEFAULT_CONFIRMATIONS.btc, eth: 30 });
    expect(parseConfirmations('')).toEqual(DEFAULT_CONFIRMATIONS);
  });

  it('refuses unknown chains, zero and junk', () => {
    expect(() => parseConfirmations('btc=0')).toThrow(/from 1 to 1000/);
    expect(() => parseConfirmations('ltc=6')).toThrow(/unknown chain "ltc"/);
    expect(() => parseConfirmations('btc:2')).toThrow(/must be chain=blocks/);
    expect(() => parseConfirmations('btc=2,btc=3')).toThrow(/listed twice/);
  });
});
