/**
 * The customer page's usage chart: one horizontal bar per model, all time, its length the amount
 * charged, split into upstream cost and profit. Pure geometry; money stays integer.
 */
import type { ModelUsage } from '../../../services/contract';
import { formatCount, formatUsd } from '../../components/format';

export interface UsageBar {
  model: string;
  /** 0–1 of the widest bar. */
  chargeShare: number;
  /** 0–1 of the widest bar: the upstream cost part (the rest of the bar is profit). */
  costShare: number;
  label: string;
  chargeMicro: number;
  requests: number;
}

export interface UsageChart {
  bars: UsageBar[];
  /** Models left out (beyond `limit`), with what they were charged together. */
  others: { models: number; chargeMicro: number };
  /** One sentence for screen readers. */
  summary: string;
}

/** The top `limit` models by amount charged. */
export function buildUsageChart(usage: readonly ModelUsage[], limit = 8): UsageChart {
  const sorted = usage.filter((u) => u.requests > 0).sort((a, b) => b.chargeMicro - a.chargeMicro || a.model.localeCompare(b.model));
  const shown = sorted.slice(0, limit);
  const rest = sorted.slice(limit);
  const max = Math.max(1, ...shown.map((u) => u.chargeMicro));
  const bars = shown.map((u) => {
    const charge = Math.max(0, u.chargeMicro);
    const cost = Math.min(charge, Math.max(0, u.upstreamCostMicro));
    return {
      model: u.model,
      chargeShare: charge / max,
      costShare: cost / max,
      label: `${formatUsd(u.chargeMicro, 'cents')} · ${formatCount(u.requests)} req`,
      chargeMicro: u.chargeMicro,
      requests: u.requests,
    };
  });
  const othersMicro = rest.reduce((s, u) => s + u.chargeMicro, 0);
  const summary =
    bars.length === 0
      ? 'No usage recorded yet.'
      : `Charged per model, all time: ${bars.map((b) => `${b.model} ${formatUsd(b.chargeMicro)} over ${formatCount(b.requests)} requests`).join('; ')}${rest.length ? `; ${rest.length} more models ${formatUsd(othersMicro)}` : ''}.`;
  return { bars, others: { models: rest.length, chargeMicro: othersMicro }, summary };
}
