/** Searching and sorting the customers table. Pure. */
import type { CustomerView } from '../../../services/contract';

export type CustomerSortKey = 'name' | 'telegramId' | 'availableMicro' | 'heldMicro' | 'activeKeys' | 'createdAt' | 'lastActivityAt';
export type SortDirection = 'asc' | 'desc';
export interface CustomerSort {
  key: CustomerSortKey;
  direction: SortDirection;
}

export const DEFAULT_SORT: CustomerSort = { key: 'name', direction: 'asc' };

function fold(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Every word of `query` must appear in the name, the id or the Telegram id (accents and case ignored). */
export function searchCustomers(customers: readonly CustomerView[], query: string): CustomerView[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return customers.slice();
  return customers.filter((c) => {
    const hay = `${fold(c.name)} ${c.id.toLowerCase()} ${c.telegramId ?? ''}`;
    return words.every((w) => hay.includes(w));
  });
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function compare(a: CustomerView, b: CustomerView, key: CustomerSortKey): number {
  switch (key) {
    case 'name':
      return collator.compare(a.name, b.name);
    case 'createdAt':
      return (Date.parse(a.createdAt) || 0) - (Date.parse(b.createdAt) || 0);
    case 'lastActivityAt':
      return (Date.parse(a.lastActivityAt ?? a.createdAt) || 0) - (Date.parse(b.lastActivityAt ?? b.createdAt) || 0);
    case 'telegramId':
      return (a.telegramId ?? 0) - (b.telegramId ?? 0);
    default:
      return a[key] - b[key];
  }
}

/**
 * Sorted by `sort`; ties by name, then id, so the order is stable. Customers without a
 * Telegram id come last whichever the direction.
 */
export function sortCustomers(customers: readonly CustomerView[], sort: CustomerSort): CustomerView[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return customers.slice().sort((a, b) => {
    if (sort.key === 'telegramId' && (a.telegramId === null) !== (b.telegramId === null)) return a.telegramId === null ? 1 : -1;
    return sign * compare(a, b, sort.key) || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

/** Clicking a column: the same column flips direction; a new one starts ascending for text, descending for figures. */
export function nextSort(current: CustomerSort, key: CustomerSortKey): CustomerSort {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: key === 'name' || key === 'telegramId' ? 'asc' : 'desc' };
}

/** A Telegram id typed in the add form: empty → null; digits → the number; else an error. */
export function parseTelegramId(text: string): { ok: true; value: number | null } | { ok: false; message: string } {
  const s = text.trim();
  if (s === '') return { ok: true, value: null };
  if (!/^\d{1,16}$/.test(s) || Number(s) <= 0 || !Number.isSafeInteger(Number(s))) {
    return { ok: false, message: 'A Telegram id is a positive number, such as 123456789.' };
  }
  return { ok: true, value: Number(s) };
}
