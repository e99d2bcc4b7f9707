/**
 * Asset amounts and the USD they are worth, exactly. Amounts arrive as base-unit decimal
 * strings (sats, wei, token units, stars) with the asset's `decimals`; they are formatted and
 * converted with bigint only: "50000" sats with 8 decimals → "0.0005 BTC", never via a float.
 */
import type { InvoiceView, PaymentView } from '../../../services/contract';
import { groupThousands } from '../../components/format';

function parseBase(base: string): bigint | null {
  return /^\d+$/.test(base) ? BigInt(base) : null;
}

/**
 * `formatAssetAmount("50000", 8, "BTC")` → "0.0005 BTC"; `("1500000000000000000", 18, "ETH")`
 * → "1.5 ETH"; `("250", 0, "XTR")` → "250 XTR". Every significant digit is kept; trailing zeros
 * of the fraction are dropped; the whole part gets thousands separators. A value that is not a
 * base-unit integer is shown as it came, marked as such.
 */
export function formatAssetAmount(base: string, decimals: number, asset?: string): string {
  const suffix = asset ? ` ${asset}` : '';
  const value = parseBase(base);
  if (value === null || !Number.isInteger(decimals) || decimals < 0 || decimals > 77) return `${base} base units${suffix}`;
  const scale = 10n ** BigInt(decimals);
  const whole = groupThousands((value / scale).toString());
  const fraction = decimals === 0 ? '' : (value % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}${suffix}`;
}

/**
 * µUSD worth of `amountBase` at `rate` USD per whole unit, rounded down — the same rule the
 * host uses when it credits a payment (services/payments/invoice-engine.ts `baseToMicro`).
 * null when the inputs are not exact numbers.
 */
export function baseToMicro(amountBase: string, decimals: number, rate: string): bigint | null {
  const value = parseBase(amountBase);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate);
  if (value === null || !m || !Number.isInteger(decimals) || decimals < 0) return null;
  const frac = m[2] ?? '';
  const rateScaled = BigInt(m[1]! + frac);
  return (value * rateScaled * 1_000_000n) / (10n ** BigInt(decimals) * 10n ** BigInt(frac.length));
}

/** "Bitcoin", "Ether", "USDT (ERC-20)", "Telegram Stars"; unknown methods as they are. */
export function methodLabel(method: string): string {
  if (method === 'btc') return 'Bitcoin';
  if (method === 'eth') return 'Ether';
  if (method === 'stars') return 'Telegram Stars';
  if (method.startsWith('erc20:')) return `${method.slice('erc20:'.length).toUpperCase()} (ERC-20)`;
  return method;
}

/** The smaller `paidBase / amountBase` in whole percent (rounded down), for a progress bar; 0–100+. */
export function paidPercent(inv: Pick<InvoiceView, 'paidBase' | 'amountBase'>): number {
  const paid = parseBase(inv.paidBase);
  const due = parseBase(inv.amountBase);
  if (paid === null || due === null || due === 0n) return 0;
  return Number((paid * 100n) / due);
}

export interface SettleFigures {
  /** µUSD the confirmed payments were (or will be) credited with. */
  creditedMicro: bigint;
  /** What the invoice asks for less `creditedMicro`, when positive: booked as an adjustment on settle. */
  shortfallMicro: bigint;
  /** Base units seen on the chain but not confirmed yet (not counted when settling by hand). */
  unconfirmedBase: bigint;
  /** Confirmed payments, the ones the host counts. */
  confirmedCount: number;
}

/**
 * What settling by hand would book, computed like the host does: each confirmed payment is
 * worth its amount at the invoice's locked rate (rounded down), and whatever is missing to the
 * invoice's USD amount is an adjustment the business absorbs.
 */
export function settleFigures(invoice: Pick<InvoiceView, 'usdMicro' | 'decimals' | 'rate'>, payments: readonly PaymentView[]): SettleFigures {
  let credited = 0n;
  let unconfirmed = 0n;
  let confirmedCount = 0;
  for (const p of payments) {
    if (p.status === 'confirmed') {
      credited += baseToMicro(p.amountBase, invoice.decimals, invoice.rate) ?? 0n;
      confirmedCount += 1;
    } else if (p.status === 'seen') {
      unconfirmed += parseBase(p.amountBase) ?? 0n;
    }
  }
  const due = BigInt(invoice.usdMicro);
  return { creditedMicro: credited, shortfallMicro: due > credited ? due - credited : 0n, unconfirmedBase: unconfirmed, confirmedCount };
}
