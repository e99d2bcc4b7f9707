import { describe, expect, it } from 'vitest';
import {
  AmountError,
  baseUnitsToUsdMicroFloor,
  formatBaseUnits,
  parseBaseUnits,
  parseExactDecimal,
  usdToBaseUnitsCeil,
} from '../../../../services/payments/crypto/amounts.js';

describe('price → amount to ask (rounded up: the customer pays at least the price)', () => {
  it('converts µUSD at a decimal rate exactly', () => {
    expect(usdToBaseUnitsCeil(10_000_000, '60000', 8)).toBe(16_667n); // $10 at $60k: 16 666.67 sats → 16 667
    expect(usdToBaseUnitsCeil(60_000_000_000, '60000', 8)).toBe(100_000_000n); // exactly 1 BTC, no rounding
    expect(usdToBaseUnitsCeil(1_000_000, '3000', 18)).toBe(333_333_333_333_334n); // $1 of ETH at $3000
    expect(usdToBaseUnitsCeil(12_500_000, '1', 6)).toBe(12_500_000n); // USDT
    expect(usdToBaseUnitsCeil(12_500_000, '1.0001', 6)).toBe(12_498_751n); // 12.49875012… → up
    expect(usdToBaseUnitsCeil(1, '67187.33', 8)).toBe(1n); // a micro-dollar still costs one sat
    expect(usdToBaseUnitsCeil(0, '60000', 8)).toBe(0n);
    expect(usdToBaseUnitsCeil(10_000_000n, '60000', 8)).toBe(16_667n);
  });

  it('never asks less than the price and never a whole unit more (checked across many prices and rates)', () => {
    const rates = ['60000', '67187.33', '3512.49', '1', '0.9998', '1.0001', '0.000012345'];
    for (const rate of rates) {
      const { units: r, scale } = parseExactDecimal(rate);
      for (const decimals of [6, 8, 18]) {
        for (let micro = 1n; micro < 5_000_000_000n; micro = micro * 7n + 13n) {
          const ask = usdToBaseUnitsCeil(micro, rate, decimals);
          // value(amount) in µUSD = amount * r * 1e6 / (10^decimals * 10^scale); compare without division.
          const worth = (amount: bigint) => amount * r * 1_000_000n;
          const price = micro * 10n ** BigInt(decimals) * 10n ** BigInt(scale);
          expect(worth(ask) >= price, `${micro} µUSD at ${rate}, ${decimals} dp`).toBe(true);
          expect(worth(ask - 1n) < price, `${micro} µUSD at ${rate}, ${decimals} dp`).toBe(true);
        }
      }
    }
  });

  it('refuses bad rates and amounts with a clear error', () => {
    expect(() => usdToBaseUnitsCeil(1, '0', 8)).toThrow(/must be more than zero/);
    expect(() => usdToBaseUnitsCeil(1, '6e4', 8)).toThrow(AmountError);
    expect(() => usdToBaseUnitsCeil(1, '-1', 8)).toThrow(/not a plain decimal/);
    expect(() => usdToBaseUnitsCeil(1.5, '1', 8)).toThrow(/whole number/);
    expect(() => usdToBaseUnitsCeil(-1, '1', 8)).toThrow(/negative/);
    expect(() => usdToBaseUnitsCeil(1, '1', 37)).toThrow(/decimals/);
  });
});

describe('amount received → µUSD credited (rounded down)', () => {
  it('credits what arrived at the locked rate, never more', () => {
    expect(baseUnitsToUsdMicroFloor(16_667n, '60000', 8)).toBe(10_000_200); // $10.0002
    expect(baseUnitsToUsdMicroFloor(16_666n, '60000', 8)).toBe(9_999_600);
    expect(baseUnitsToUsdMicroFloor(333_333_333_333_334n, '3000', 18)).toBe(1_000_000); // 1.000000000000002 → 1.000000
    expect(baseUnitsToUsdMicroFloor(1n, '60000', 8)).toBe(600); // 1 sat = $0.0006
    expect(baseUnitsToUsdMicroFloor(1n, '3000', 18)).toBe(0); // 1 wei is worth less than a µUSD
    expect(baseUnitsToUsdMicroFloor(12_498_751n, '1.0001', 6)).toBe(12_500_000); // 12.5000009751 → down
  });

  it('paying exactly the asked amount always credits at least the price', () => {
    for (const [micro, rate, dp] of [
      [10_000_000, '60000', 8],
      [1_234_567, '3512.49', 18],
      [99_990_000, '0.9998', 6],
      [1, '67187.33', 8],
    ] as const) {
      expect(baseUnitsToUsdMicroFloor(usdToBaseUnitsCeil(micro, rate, dp), rate, dp)).toBeGreaterThanOrEqual(micro);
    }
  });
});

describe('formatting and parsing base units', () => {
  it('prints exact decimal strings without trailing zeros', () => {
    expect(formatBaseUnits(16_667n, 8)).toBe('0.00016667');
    expect(formatBaseUnits(100_000_000n, 8)).toBe('1');
    expect(formatBaseUnits(100_000_001n, 8)).toBe('1.00000001');
    expect(formatBaseUnits(1n, 18)).toBe('0.000000000000000001');
    expect(formatBaseUnits(123_456_789_012_345_678_901_234n, 18)).toBe('123456.789012345678901234');
    expect(formatBaseUnits(0n, 6)).toBe('0');
    expect(formatBaseUnits(-1_500_000n, 6)).toBe('-1.5');
    expect(formatBaseUnits(42n, 0)).toBe('42');
  });

  it('parses decimal amounts exactly and refuses more decimals than the asset has', () => {
    expect(parseBaseUnits('0.00016667', 8)).toBe(16_667n);
    expect(parseBaseUnits('1', 18)).toBe(10n ** 18n);
    expect(parseBaseUnits('1.50', 6)).toBe(1_500_000n);
    expect(() => parseBaseUnits('0.000000001', 8)).toThrow(/more than 8 decimals/);
    expect(() => parseBaseUnits('1,5', 8)).toThrow(AmountError);
  });
});
