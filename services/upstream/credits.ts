/**
 * What is left to spend at the upstream, from OpenRouter's two endpoints:
 *   GET /credits → { data: { total_credits, total_usage } }            (account balance)
 *   GET /key     → { data: { label, usage, limit, limit_remaining, is_free_tier, rate_limit } }
 * The key's own limit can be tighter than the account balance, so the remaining credit is the
 * smaller of the two that are known. Balances round DOWN to µUSD (usage rounds up), so the
 * low-credit alert never overstates what is left. Null means unknown or unlimited — a plain
 * OpenAI-compatible upstream has neither endpoint.
 */
import { usdToMicroCeil, usdToMicroFloor } from './decimal.js';

export interface CreditFigures {
  /** Remaining credit in µUSD (the tighter of account balance and key limit), or null. */
  remainingMicro: number | null;
  /** Account: total credits bought, µUSD rounded down, if /credits answered. */
  totalCreditsMicro: number | null;
  /** Account: total usage, µUSD rounded up, if /credits answered. */
  totalUsageMicro: number | null;
  /** Key: remaining under the key's limit, µUSD rounded down; null if unlimited or unknown. */
  keyLimitRemainingMicro: number | null;
  /** Key: spend limit, µUSD; null if unlimited or unknown. */
  keyLimitMicro: number | null;
  /** Key: usage, µUSD rounded up, if /key answered. */
  keyUsageMicro: number | null;
  isFreeTier: boolean | null;
  /** Which endpoints answered. */
  sources: ('credits' | 'key')[];
  checkedAt: string;
}

export class CreditStatus implements CreditFigures {
  readonly remainingMicro: number | null;
  readonly totalCreditsMicro: number | null;
  readonly totalUsageMicro: number | null;
  readonly keyLimitRemainingMicro: number | null;
  readonly keyLimitMicro: number | null;
  readonly keyUsageMicro: number | null;
  readonly isFreeTier: boolean | null;
  readonly sources: ('credits' | 'key')[];
  readonly checkedAt: string;

  constructor(figures: CreditFigures) {
    this.remainingMicro = figures.remainingMicro;
    this.totalCreditsMicro = figures.totalCreditsMicro;
    this.totalUsageMicro = figures.totalUsageMicro;
    this.keyLimitRemainingMicro = figures.keyLimitRemainingMicro;
    this.keyLimitMicro = figures.keyLimitMicro;
    this.keyUsageMicro = figures.keyUsageMicro;
    this.isFreeTier = figures.isFreeTier;
    this.sources = figures.sources;
    this.checkedAt = figures.checkedAt;
  }

  /** True when the remaining credit is known and below the threshold (µUSD). Unknown is not low. */
  isLow(thresholdMicro: number): boolean {
    return this.remainingMicro !== null && this.remainingMicro < thresholdMicro;
  }

  toJSON(): CreditFigures {
    const { remainingMicro, totalCreditsMicro, totalUsageMicro, keyLimitRemainingMicro, keyLimitMicro, keyUsageMicro, isFreeTier, sources, checkedAt } = this;
    return { remainingMicro, totalCreditsMicro, totalUsageMicro, keyLimitRemainingMicro, keyLimitMicro, keyUsageMicro, isFreeTier, sources, checkedAt };
  }
}

/** Combines the two answers (either may be undefined when that endpoint is unavailable). */
export function creditStatusFrom(creditsJson: unknown, keyJson: unknown, now = new Date()): CreditStatus {
  const sources: ('credits' | 'key')[] = [];
  let totalCreditsMicro: number | null = null;
  let totalUsageMicro: number | null = null;
  let accountRemaining: number | null = null;
  const credits = dataOf(creditsJson);
  if (credits) {
    totalCreditsMicro = amount(credits.total_credits, usdToMicroFloor);
    totalUsageMicro = amount(credits.total_usage, usdToMicroCeil);
    if (totalCreditsMicro !== null && totalUsageMicro !== null) {
      accountRemaining = totalCreditsMicro - totalUsageMicro;
      sources.push('credits');
    }
  }
  let keyLimitRemainingMicro: number | null = null;
  let keyLimitMicro: number | null = null;
  let keyUsageMicro: number | null = null;
  let isFreeTier: boolean | null = null;
  const key = dataOf(keyJson);
  if (key) {
    sources.push('key');
    keyLimitMicro = amount(key.limit, usdToMicroFloor);
    keyUsageMicro = amount(key.usage, usdToMicroCeil);
    keyLimitRemainingMicro = amount(key.limit_remaining, usdToMicroFloor);
    // Older answers had a limit but no limit_remaining: derive it.
    if (keyLimitRemainingMicro === null && keyLimitMicro !== null && keyUsageMicro !== null) keyLimitRemainingMicro = keyLimitMicro - keyUsageMicro;
    isFreeTier = typeof key.is_free_tier === 'boolean' ? key.is_free_tier : null;
  }
  const known = [accountRemaining, keyLimitRemainingMicro].filter((v): v is number => v !== null);
  return new CreditStatus({
    remainingMicro: known.length ? Math.min(...known) : null,
    totalCreditsMicro,
    totalUsageMicro,
    keyLimitRemainingMicro,
    keyLimitMicro,
    keyUsageMicro,
    isFreeTier,
    sources,
    checkedAt: now.toISOString(),
  });
}

function dataOf(json: unknown): Record<string, unknown> | null {
  const data = (json as { data?: unknown } | null | undefined)?.data;
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : null;
}

function amount(value: unknown, convert: (v: string | number) => number): number | null {
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  try {
    return convert(value);
  } catch {
    return null;
  }
}
