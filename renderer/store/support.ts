/**
 * The `support` slice: support tickets by id, kept live by `support.changed` batches (a
 * customer wrote, the owner replied, a ticket was closed) and filled by `support.list`.
 * A batch is one `applyTicketEvents` call, i.e. one store update.
 */
import type { TicketView } from '../../services/contract';
import { applyLive, emptyRecords, mergeSnapshot, type KeyedRecords, type RecordRules } from './keyed-records';

export type TicketsData = KeyedRecords<TicketView>;
export type TicketStatus = TicketView['status'];

export interface SupportActions {
  seedTickets(tickets: readonly TicketView[], since: number): void;
  /** A ticket a command just returned (`support.reply`, `support.close`). */
  putTicket(ticket: TicketView): void;
}

type Message = TicketView['messages'][number];

function isMessage(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (m.author === 'customer' || m.author === 'owner') && typeof m.text === 'string' && typeof m.at === 'string';
}

export const ticketRules: RecordRules<TicketView> = {
  idOf: (t) => t.id,
  isWellFormed(value): value is TicketView {
    if (typeof value !== 'object' || value === null) return false;
    const r = value as Record<string, unknown>;
    return (
      typeof r.id === 'string' &&
      r.id !== '' &&
      typeof r.customerId === 'string' &&
      typeof r.customerName === 'string' &&
      (r.status === 'open' || r.status === 'closed') &&
      typeof r.createdAt === 'string' &&
      Array.isArray(r.messages) &&
      r.messages.every(isMessage)
    );
  },
  same: (a, b) =>
    a.status === b.status &&
    a.closedAt === b.closedAt &&
    a.customerName === b.customerName &&
    a.telegramId === b.telegramId &&
    a.messages.length === b.messages.length &&
    a.messages.every((m, i) => {
      const n = b.messages[i]!;
      return m.author === n.author && m.text === n.text && m.at === n.at;
    }),
};

export function initialTickets(): TicketsData {
  return emptyRecords<TicketView>();
}

/** One `support.changed` batch. Returns `state` when nothing in it was new. */
export function applyTicketEvents(state: TicketsData, events: readonly unknown[]): TicketsData {
  return applyLive(state, events, ticketRules);
}

export function seedTickets(state: TicketsData, tickets: readonly unknown[], since: number): TicketsData {
  return mergeSnapshot(state, tickets, since, ticketRules);
}

function timeOf(iso: string | undefined): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** When anyone last wrote in the ticket (its creation when nobody has). */
export function lastActivity(ticket: TicketView): string {
  return ticket.messages[ticket.messages.length - 1]?.at ?? ticket.createdAt;
}

/** An open ticket whose last word is the customer's: it waits for the owner. */
export function awaitsReply(ticket: TicketView): boolean {
  return ticket.status === 'open' && ticket.messages[ticket.messages.length - 1]?.author !== 'owner';
}

export type TicketFilter = 'open' | 'closed' | 'all';

/**
 * The inbox order: open tickets first; among them those awaiting a reply first; then the most
 * recent activity first (ties by id, so the order never flickers).
 */
export function listTickets(byId: Readonly<Record<string, TicketView>>, filter: TicketFilter = 'all'): TicketView[] {
  const rows = Object.values(byId).filter((t) => filter === 'all' || t.status === filter);
  const rank = (t: TicketView) => (t.status === 'open' ? (awaitsReply(t) ? 0 : 1) : 2);
  return rows.sort(
    (a, b) => rank(a) - rank(b) || timeOf(lastActivity(b)) - timeOf(lastActivity(a)) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
}

export function countTickets(byId: Readonly<Record<string, TicketView>>): { open: number; closed: number; awaiting: number } {
  let open = 0;
  let closed = 0;
  let awaiting = 0;
  for (const t of Object.values(byId)) {
    if (t.status === 'open') open += 1;
    else closed += 1;
    if (awaitsReply(t)) awaiting += 1;
  }
  return { open, closed, awaiting };
}

export function supportActions(set: (partial: { support: TicketsData }) => void, get: () => { support: TicketsData }): SupportActions {
  return {
    seedTickets(tickets, since) {
      const next = seedTickets(get().support, tickets, since);
      if (next !== get().support) set({ support: next });
    },
    putTicket(ticket) {
      const next = applyTicketEvents(get().support, [ticket]);
      if (next !== get().support) set({ support: next });
    },
  };
}
