/**
 * Owner alerts are told once per occurrence: a settled invoice's later confirmations, more
 * messages in a ticket, a service that keeps failing or credit that stays low never alert again;
 * notifications.enabled = false silences them.
 */
import { describe, expect, it } from 'vitest';
import type { InvoiceView, OwnerAlert, ServiceStatus, TicketView } from '../../../services/contract.js';
import { OwnerAlerts } from '../../../services/setup/alerts.js';

const NOW = Date.parse('2030-01-01T12:00:00Z');

function invoice(id: string, status: InvoiceView['status'], settledAt: string | null = new Date(NOW - 1000).toISOString()): InvoiceView {
  return { id, orderId: 'ord_1', customerId: 'cus_alice', method: 'btc', asset: 'BTC', usdMicro: 12_500_000, amountBase: '1', decimals: 8, rate: '1', address: null, uri: null, status, paidBase: '0', confirmations: 2, flags: [], memo: '', createdAt: '', expiresAt: '', settledAt };
}

function ticket(id: string, messages: TicketView['messages'], status: TicketView['status'] = 'open'): TicketView {
  return { id, customerId: 'cus_alice', customerName: 'Alice', telegramId: 1, status, createdAt: '', closedAt: null, messages };
}

function service(state: ServiceStatus['state'], since = 't1'): ServiceStatus {
  return { id: 'bot', name: 'Telegram bot', state, reason: state === 'failed' ? 'token rejected' : '', since, restarts: 0, detail: {} };
}

function setup(enabled = true, credit: { remainingMicro: number | null; low: boolean } | undefined = undefined) {
  const told: OwnerAlert[] = [];
  const state = { enabled, credit };
  const alerts = new OwnerAlerts({ enabled: () => state.enabled, publish: (a) => told.push(a), credit: () => state.credit, customerName: () => 'Alice', now: () => NOW });
  return { alerts, told, state };
}

describe('owner alerts', () => {
  it('tells a sale once, not on the confirmations that follow, and not for an old settled invoice', () => {
    const { alerts, told } = setup();
    alerts.apply({ stream: 'invoice.changed', events: [invoice('inv_aaaa', 'processing')] });
    alerts.apply({ stream: 'invoice.changed', events: [invoice('inv_aaaa', 'settled'), invoice('inv_aaaa', 'settled')] });
    alerts.apply({ stream: 'invoice.changed', events: [invoice('inv_aaaa', 'settled')] });
    alerts.apply({ stream: 'invoice.changed', events: [invoice('inv_old1', 'settled', '2029-12-31T00:00:00Z')] });
    expect(told).toEqual([
      { kind: 'sale', key: 'sale:inv_aaaa', title: 'Sale: $12.50', body: 'Alice paid invoice inv_aaaa (btc).', href: '#/invoices/inv_aaaa', at: new Date(NOW).toISOString() },
    ]);
  });

  it('tells a new ticket once, with its first message, and not its replies', () => {
    const { alerts, told } = setup();
    const first = [{ author: 'customer' as const, text: 'My key   does not work', at: '' }];
    alerts.apply({ stream: 'support.changed', events: [ticket('tkt_aaaa', first)] });
    alerts.apply({ stream: 'support.changed', events: [ticket('tkt_aaaa', [...first, { author: 'owner', text: 'On it', at: '' }])] });
    // A ticket first seen with several messages is an old one getting a new message.
    alerts.apply({ stream: 'support.changed', events: [ticket('tkt_bbbb', [...first, { author: 'customer', text: 'again', at: '' }])] });
    expect(told.map((a) => [a.kind, a.title, a.body, a.href])).toEqual([['ticket', 'New support ticket from Alice', 'My key does not work', '#/support/tkt_aaaa']]);
  });

  it('tells a failed service once until it runs again', () => {
    const { alerts, told } = setup();
    alerts.apply({ stream: 'service.status', events: [service('failed', 't1'), service('failed', 't2')] });
    alerts.apply({ stream: 'service.status', events: [service('starting', 't3'), service('failed', 't4')] });
    expect(told).toHaveLength(1);
    alerts.apply({ stream: 'service.status', events: [service('running', 't5'), service('failed', 't6')] });
    expect(told.map((a) => [a.kind, a.title, a.body])).toEqual([
      ['service-down', 'Telegram bot is down', 'token rejected'],
      ['service-down', 'Telegram bot is down', 'token rejected'],
    ]);
  });

  it('tells low credit once, and again only after it recovered', () => {
    const { alerts, told, state } = setup(true, { remainingMicro: 3_000_000, low: true });
    alerts.checkCredit();
    alerts.checkCredit();
    expect(told.map((a) => [a.kind, a.body.slice(0, 11)])).toEqual([['low-credit', '$3.00 left.']]);
    state.credit = { remainingMicro: 50_000_000, low: false };
    alerts.checkCredit();
    state.credit = { remainingMicro: 1_000_000, low: true };
    alerts.checkCredit();
    expect(told).toHaveLength(2);
  });

  it('says nothing when notifications are off', () => {
    const { alerts, told } = setup(false, { remainingMicro: 1, low: true });
    alerts.apply({ stream: 'invoice.changed', events: [invoice('inv_aaaa', 'settled')] });
    alerts.apply({ stream: 'service.status', events: [service('failed')] });
    alerts.checkCredit();
    expect(told).toEqual([]);
  });
});

describe('owner alerts: tickets opened from Telegram (no support.changed event)', () => {
  it('finds a new ticket on the shop log line, not the ones open at start-up', () => {
    const told: OwnerAlert[] = [];
    const open: TicketView[] = [ticket('tkt_old1', [{ author: 'customer', text: 'old', at: '' }])];
    const alerts = new OwnerAlerts({ enabled: () => true, publish: (a) => told.push(a), credit: () => undefined, openTickets: () => open, now: () => NOW });
    alerts.primeTickets();
    open.unshift(ticket('tkt_new1', [{ author: 'customer', text: 'help', at: '' }]));
    alerts.apply({ stream: 'log', events: [{ seq: 1, time: '', level: 'info', msg: 'support ticket opened', event: 'support.ticket_opened', fields: {} }] });
    alerts.checkTickets();
    expect(told.map((a) => a.key)).toEqual(['ticket:tkt_new1']);
  });
});
