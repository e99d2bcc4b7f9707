/** Top customers and models by profit, as pure functions of what the store and host gave us. */
import type { ModelUsage, ProxyRequestEvent } from '../../../services/contract';

export type CustomerNames = Readonly<Record<string, string>>;

/** The customer's name when `customers.list` knows it, else their id. */
export function customerLabel(customerId: string, names: CustomerNames): string {
  return names[customerId] ?? customerId;
}

export interface CustomerTotals {
  customerId: string;
  name: string;
  requests: number;
  chargedMicro: number;
  upstreamCostMicro: number;
  profitMicro: number;
}

export interface TopCustomers {
  rows: CustomerTotals[];
  /** How many requests the totals are over, and the time of the oldest. */
  requests: number;
  oldestAt: string | null;
}

/** Customers of the given requests, most profitable first (then most charged, then name). */
export function topCustomers(recent: readonly ProxyRequestEvent[], names: CustomerNames, limit = 5): TopCustomers {
  const totals = new Map<string, CustomerTotals>();
  for (const e of recent) {
    let t = totals.get(e.customerId);
    if (!t) {
      t = { customerId: e.customerId, name: customerLabel(e.customerId, names), requests: 0, chargedMicro: 0, upstreamCostMicro: 0, profitMicro: 0 };
      totals.set(e.customerId, t);
    }
    t.requests += 1;
    t.chargedMicro += e.chargedMicro;
    t.upstreamCostMicro += e.upstreamCostMicro;
    t.profitMicro += e.profitMicro;
  }
  const rows = [...totals.values()]
    .sort((a, b) => b.profitMicro - a.profitMicro || b.chargedMicro - a.chargedMicro || a.name.localeCompare(b.name))
    .slice(0, limit);
  return { rows, requests: recent.length, oldestAt: recent.length ? recent[recent.length - 1]!.at : null };
}

/** Models from `usage.list` (all-time totals), most profitable first. */
export function topModels(byModel: readonly ModelUsage[], limit = 5): ModelUsage[] {
  return [...byModel]
    .sort((a, b) => b.profitMicro - a.profitMicro || b.chargeMicro - a.chargeMicro || a.model.localeCompare(b.model))
    .slice(0, limit);
}
