/** The owner's own price list (payments.rates = "BTC=60000,ETH=3000"). USDT and USDC are 1 unless listed. */
import type { RateQuote, RateSource } from '../types.js';
import { RateError } from './decimal.js';
import { DEFAULT_STABLECOINS } from './parse.js';

export class FixedRateSource implements RateSource {
  readonly name = 'fixed';
  private readonly rates: Record<string, string>;

  constructor(
    rates: Record<string, string>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.rates = { ...DEFAULT_STABLECOINS, ...rates };
  }

  async quote(asset: string): Promise<RateQuote> {
    const key = asset.trim().toUpperCase();
    const usdPerUnit = this.rates[key];
    if (usdPerUnit === undefined) throw new RateError(`payments.rates has no rate for ${key}: add ${key}=<USD per coin> to the list`);
    return { asset: key, usdPerUnit, source: this.name, at: this.now().toISOString() };
  }
}
