/**
 * Owner alerts: turns the host's own event stream into one-off `owner.alert` events — a sale
 * (an invoice settled), a new support ticket, upstream credit running low, a service failing —
 * each told once per occurrence, never again on the events that follow (confirmations of a
 * settled invoice, more messages in a ticket, a service that keeps failing). Electron main
 * shows them as desktop notifications, the browser dashboard as in-app pop-ups.
 * `notifications.enabled = false` silences them. Pure apart from the clock.
 */
import type { EventBatch, EventName, OwnerAlert, ServiceStatus, TicketView } from '../contract.js';
import { formatUsd } from '../money/units.js';

export interface OwnerAlertsDeps {
  enabled: () => boolean;
  publish: (alert: OwnerAlert) => void;
  /** The latest upstream credit reading, if any. */
  credit: () => { remainingMicro: number | null; low: boolean } | undefined;
  customerName?: (customerId: string) => string | undefined;
  /**
   * The newest open tickets. A ticket opened from Telegram arrives as a `support.changed`
   * event; the shop's `support.ticket_opened` log line and the timer are a second way to find
   * one (nothing is told twice). Tickets open when the host started are known, not news.
   */
  openTickets?: () => TicketView[];
  now?: () => number;
}

/** A settled invoice older than this (a replay after a restart) is not news. */
const SALE_NEWS_MS = 10 * 60_000;

/** The event streams apply() reads: the host batches these even when no UI is connected. */
export const ALERT_STREAMS: ReadonlySet<EventName> = new Set<EventName>(['invoice.changed', 'support.changed', 'log', 'service.status']);

export class OwnerAlerts {
  private readonly sales = new Set<string>();
  private readonly tickets = new Set<string>();
  /** Services currently told as down; cleared when they run again. */
  private readonly down = new Set<string>();
  private lowCreditTold = false;

  constructor(private readonly d: OwnerAlertsDeps) {}

  private now(): number {
    return (this.d.now ?? Date.now)();
  }

  private tell(alert: Omit<OwnerAlert, 'at'>): void {
    if (!this.d.enabled()) return;
    this.d.publish({ ...alert, at: new Date(this.now()).toISOString() });
  }

  apply(batch: EventBatch): void {
    switch (batch.stream) {
      case 'invoice.changed':
        for (const inv of batch.events) {
          if (inv.status !== 'settled' || this.sales.has(inv.id)) continue;
          this.sales.add(inv.id);
          const settled = Date.parse(inv.settledAt ?? '');
          if (Number.isFinite(settled) && this.now() - settled > SALE_NEWS_MS) continue;
          const who = this.d.customerName?.(inv.customerId) ?? inv.customerId;
          this.tell({ kind: 'sale', key: `sale:${inv.id}`, title: `Sale: ${formatUsd(inv.usdMicro)}`, body: `${who} paid invoice ${inv.id} (${inv.method}).`, href: `#/invoices/${inv.id}` });
        }
        return;
      case 'support.changed':
        for (const t of batch.events) this.ticket(t);
        return;
      case 'log':
        if (batch.events.some((line) => line.event === 'support.ticket_opened')) this.checkTickets();
        return;
      case 'service.status':
        for (const s of batch.events) this.service(s);
        return;
      default:
        return;
    }
  }

  /** Marks the tickets open now as known (called once at start-up): they are not news. */
  primeTickets(): void {
    for (const t of this.d.openTickets?.() ?? []) this.tickets.add(t.id);
  }

  /** Looks for tickets opened since the last look (timer, or the shop's log line). */
  checkTickets(): void {
    for (const t of this.d.openTickets?.() ?? []) this.ticket(t);
  }

  private ticket(t: TicketView): void {
    if (this.tickets.has(t.id)) return;
    this.tickets.add(t.id);
    const fromCustomer = t.messages.filter((m) => m.author === 'customer');
    if (t.status !== 'open' || t.messages.length !== 1 || fromCustomer.length !== 1) return;
    const text = fromCustomer[0]!.text.replace(/\s+/g, ' ').trim();
    this.tell({ kind: 'ticket', key: `ticket:${t.id}`, title: `New support ticket from ${t.customerName}`, body: text.length > 120 ? `${text.slice(0, 119)}…` : text, href: `#/support/${t.id}` });
  }

  private service(s: ServiceStatus): void {
    if (s.state === 'failed') {
      if (this.down.has(s.id)) return;
      this.down.add(s.id);
      this.tell({ kind: 'service-down', key: `down:${s.id}:${s.since}`, title: `${s.name} is down`, body: s.reason || 'It stopped; see the Status screen.', href: '#/status' });
    } else if (s.state === 'running') {
      this.down.delete(s.id);
    }
  }

  /** Called on a timer: low credit is told once, and again only after it recovered. */
  checkCredit(): void {
    const c = this.d.credit();
    if (!c) return;
    if (!c.low) {
      if (c.remainingMicro !== null) this.lowCreditTold = false;
      return;
    }
    if (this.lowCreditTold) return;
    this.lowCreditTold = true;
    const left = c.remainingMicro === null ? '' : `${formatUsd(c.remainingMicro)} left. `;
    this.tell({ kind: 'low-credit', key: `low-credit:${this.now()}`, title: 'Upstream credit is low', body: `${left}Top up at your upstream (OpenRouter: openrouter.ai/credits) before customers' requests fail.`, href: '#/status' });
  }
}
