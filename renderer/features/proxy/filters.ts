/** Filtering the last-requests table, and the choices its filters offer. Pure. */
import type { ModelUsage, ProxyRequestEvent } from '../../../services/contract';
import { KNOWN_ERROR_KINDS } from './outcomes';
import { customerLabel, type CustomerNames } from './top';

export interface RequestFilter {
  customerId: string | null;
  model: string | null;
  outcome: string | null;
}

export const NO_FILTER: RequestFilter = { customerId: null, model: null, outcome: null };

export function isFiltered(filter: RequestFilter): boolean {
  return filter.customerId !== null || filter.model !== null || filter.outcome !== null;
}

/** The newest `limit` requests matching `filter` (input is newest first), and how many match in all. */
export function filterRequests(
  recent: readonly ProxyRequestEvent[],
  filter: RequestFilter,
  limit: number,
): { rows: ProxyRequestEvent[]; matched: number } {
  if (!isFiltered(filter)) return { rows: recent.slice(0, limit), matched: recent.length };
  const rows: ProxyRequestEvent[] = [];
  let matched = 0;
  for (const e of recent) {
    if (filter.customerId !== null && e.customerId !== filter.customerId) continue;
    if (filter.model !== null && e.model !== filter.model) continue;
    if (filter.outcome !== null && e.outcome !== filter.outcome) continue;
    matched += 1;
    if (rows.length < limit) rows.push(e);
  }
  return { rows, matched };
}

export interface Option {
  value: string;
  label: string;
}

const byLabel = (a: Option, b: Option) => a.label.localeCompare(b.label);

/**
 * What each filter offers: every customer we know a name for or saw a request from; every model
 * seen or with usage; `ok`, the known error kinds and any other outcome seen. A value picked
 * earlier stays offered even when it no longer appears (`keep`), so the Select keeps showing it.
 */
export function filterOptions(
  recent: readonly ProxyRequestEvent[],
  names: CustomerNames,
  byModel: readonly ModelUsage[],
  keep: RequestFilter = NO_FILTER,
): { customers: Option[]; models: Option[]; outcomes: Option[] } {
  const customerIds = new Set(Object.keys(names));
  const models = new Set(byModel.map((m) => m.model));
  const outcomes = new Set<string>(['ok', ...KNOWN_ERROR_KINDS]);
  for (const e of recent) {
    customerIds.add(e.customerId);
    if (e.model) models.add(e.model); // '' is a refused request whose body could not be read
    outcomes.add(e.outcome);
  }
  if (keep.customerId !== null) customerIds.add(keep.customerId);
  if (keep.model !== null) models.add(keep.model);
  if (keep.outcome !== null) outcomes.add(keep.outcome);
  const customers = [...customerIds]
    .map((id) => {
      const label = customerLabel(id, names);
      return { value: id, label: label === id ? id : `${label} (${id})` };
    })
    .sort(byLabel);
  return {
    customers,
    models: [...models].map((m) => ({ value: m, label: m })).sort(byLabel),
    outcomes: [...outcomes].map((o) => ({ value: o, label: o })),
  };
}

/** Whether two option lists say the same thing (so a Select can keep the old array). */
export function sameOptions(a: readonly Option[], b: readonly Option[]): boolean {
  return a.length === b.length && a.every((o, i) => o.value === b[i]!.value && o.label === b[i]!.label);
}
