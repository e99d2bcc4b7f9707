/**
 * The `invoices` slice: every invoice the UI has seen, by id, kept live by `invoice.changed`
 * batches (confirmations move, statuses change) and filled by `invoices.list` / `invoices.get`
 * / `customers.get` answers. The Invoices screen, the invoice page and the customer page all
 * read it, so a confirmation arriving shows everywhere at once.
 *
 * A batch is one `applyInvoiceEvents` call, i.e. one store update. See keyed-records.ts for
 * how snapshots and live events are reconciled.
 */
import type { InvoiceView } from '../../services/contract';
import { applyLive, emptyRecords, mergeSnapshot, sameStrings, type KeyedRecords, type RecordRules } from './keyed-records';

export const INVOICE_STATUSES = ['new', 'processing', 'settled', 'expired', 'invalid'] as const;
export type InvoiceStatus = InvoiceView['status'];

export type InvoicesData = KeyedRecords<InvoiceView>;

export interface InvoiceActions {
  /** Invoices from a list or detail answer, requested when `invoices.seq` was `since`. */
  seedInvoices(invoices: readonly InvoiceView[], since: number): void;
  /** An invoice a command just returned (e.g. `invoices.resolve`): as fresh as a live event. */
  putInvoice(invoice: InvoiceView): void;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isBaseUnits = (v: unknown): v is string => typeof v === 'string' && /^\d+$/.test(v);

export const invoiceRules: RecordRules<InvoiceView> = {
  idOf: (i) => i.id,
  isWellFormed(value): value is InvoiceView {
    if (typeof value !== 'object' || value === null) return false;
    const r = value as Record<string, unknown>;
    return (
      isString(r.id) &&
      r.id !== '' &&
      isString(r.customerId) &&
      isString(r.method) &&
      isString(r.asset) &&
      isString(r.status) &&
      (INVOICE_STATUSES as readonly string[]).includes(r.status) &&
      isInt(r.usdMicro) &&
      isBaseUnits(r.amountBase) &&
      isBaseUnits(r.paidBase) &&
      isInt(r.decimals) &&
      isInt(r.confirmations) &&
      Array.isArray(r.flags) &&
      isString(r.createdAt)
    );
  },
  same: (a, b) =>
    a.status === b.status &&
    a.confirmations === b.confirmations &&
    a.paidBase === b.paidBase &&
    a.settledAt === b.settledAt &&
    a.memo === b.memo &&
    a.expiresAt === b.expiresAt &&
    a.usdMicro === b.usdMicro &&
    a.amountBase === b.amountBase &&
    a.address === b.address &&
    a.uri === b.uri &&
    sameStrings(a.flags, b.flags),
};

export function initialInvoices(): InvoicesData {
  return emptyRecords<InvoiceView>();
}

/** One `invoice.changed` batch. Returns `state` when nothing in it was new. */
export function applyInvoiceEvents(state: InvoicesData, events: readonly unknown[]): InvoicesData {
  return applyLive(state, events, invoiceRules);
}

export function seedInvoices(state: InvoicesData, invoices: readonly unknown[], since: number): InvoicesData {
  return mergeSnapshot(state, invoices, since, invoiceRules);
}

export interface InvoiceFilter {
  status: InvoiceStatus | null;
  customerId: string | null;
}

export const ALL_INVOICES: InvoiceFilter = { status: null, customerId: null };

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Matching invoices, newest first (ties by id, so the order never flickers). */
export function listInvoices(byId: Readonly<Record<string, InvoiceView>>, filter: InvoiceFilter = ALL_INVOICES): InvoiceView[] {
  const rows: InvoiceView[] = [];
  for (const inv of Object.values(byId)) {
    if (filter.status !== null && inv.status !== filter.status) continue;
    if (filter.customerId !== null && inv.customerId !== filter.customerId) continue;
    rows.push(inv);
  }
  return rows.sort((a, b) => timeOf(b.createdAt) - timeOf(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** How many invoices have each status (for the filter's labels). */
export function countByStatus(byId: Readonly<Record<string, InvoiceView>>): Record<InvoiceStatus, number> {
  const counts: Record<InvoiceStatus, number> = { new: 0, processing: 0, settled: 0, expired: 0, invalid: 0 };
  for (const inv of Object.values(byId)) counts[inv.status] += 1;
  return counts;
}

/** Invoices that still need the owner: not final, or flagged and not yet resolved by hand. */
export function needsAttention(inv: InvoiceView): boolean {
  if (inv.flags.includes('resolved')) return false;
  if (inv.status === 'expired') return inv.paidBase !== '0';
  return inv.flags.some((f) => f === 'late' || f === 'underpaid' || f === 'reorg');
}

export function invoiceActions(set: (partial: { invoices: InvoicesData }) => void, get: () => { invoices: InvoicesData }): InvoiceActions {
  return {
    seedInvoices(invoices, since) {
      const next = seedInvoices(get().invoices, invoices, since);
      if (next !== get().invoices) set({ invoices: next });
    },
    putInvoice(invoice) {
      const next = applyInvoiceEvents(get().invoices, [invoice]);
      if (next !== get().invoices) set({ invoices: next });
    },
  };
}
