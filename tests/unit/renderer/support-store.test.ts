import { describe, expect, it } from 'vitest';
import type { TicketView } from '../../../services/contract';
import { createAppStore } from '../../../renderer/store/appStore';
import { applyTicketEvents, awaitsReply, countTickets, initialTickets, lastActivity, listTickets, seedTickets } from '../../../renderer/store/support';
import { deliveryText, preview } from '../../../renderer/features/support/texts';

type Msg = TicketView['messages'][number];
const msg = (author: Msg['author'], text: string, minute: number): Msg => ({ author, text, at: new Date(Date.UTC(2025, 0, 1, 12, minute)).toISOString() });

function ticket(id: string, messages: Msg[], overrides: Partial<TicketView> = {}): TicketView {
  return {
    id,
    customerId: 'cus_alice001',
    customerName: 'Alice',
    telegramId: 4242,
    status: 'open',
    createdAt: messages[0]?.at ?? '2025-01-01T11:00:00.000Z',
    closedAt: null,
    messages,
    ...overrides,
  };
}

describe('support slice', () => {
  it('applies a support.changed batch in one store update; a later version of a ticket replaces it', () => {
    const store = createAppStore({ transport: 'ipc' });
    let updates = 0;
    store.subscribe(() => (updates += 1));
    store.getState().applyBatch({
      stream: 'support.changed',
      events: [ticket('tkt_aaaa1', [msg('customer', 'hi', 1)]), ticket('tkt_bbbb2', [msg('customer', 'help', 2)]), ticket('tkt_aaaa1', [msg('customer', 'hi', 1), msg('customer', 'anyone?', 3)])],
    });
    expect(updates).toBe(1);
    expect(store.getState().support.byId.tkt_aaaa1!.messages).toHaveLength(2);
    // The same again changes nothing and notifies nobody.
    store.getState().applyBatch({ stream: 'support.changed', events: [ticket('tkt_bbbb2', [msg('customer', 'help', 2)])] });
    expect(updates).toBe(1);
  });

  it('drops malformed tickets', () => {
    const state = applyTicketEvents(initialTickets(), [
      { id: 'tkt_x0001' },
      { ...ticket('tkt_x0002', []), status: 'pending' },
      { ...ticket('tkt_x0003', []), messages: [{ author: 'bot', text: 'x', at: 'now' }] },
      ticket('tkt_ok001', []),
    ]);
    expect(Object.keys(state.byId)).toEqual(['tkt_ok001']);
  });

  it('an older list answer does not undo a reply that arrived live', () => {
    let state = seedTickets(initialTickets(), [ticket('tkt_aaaa1', [msg('customer', 'hi', 1)])], 0);
    const since = state.seq;
    state = applyTicketEvents(state, [ticket('tkt_aaaa1', [msg('customer', 'hi', 1), msg('owner', 'hello!', 2)])]);
    state = seedTickets(state, [ticket('tkt_aaaa1', [msg('customer', 'hi', 1)])], since);
    expect(state.byId.tkt_aaaa1!.messages.map((m) => m.text)).toEqual(['hi', 'hello!']);
  });

  it('lists open tickets first (awaiting a reply before answered ones), then by latest activity', () => {
    const state = seedTickets(
      initialTickets(),
      [
        ticket('tkt_closed', [msg('customer', 'x', 50)], { status: 'closed', closedAt: '2025-01-01T13:00:00.000Z' }),
        ticket('tkt_answer', [msg('customer', 'q', 1), msg('owner', 'a', 40)]),
        ticket('tkt_waitold', [msg('customer', 'old', 5)]),
        ticket('tkt_waitnew', [msg('customer', 'new', 30)]),
      ],
      0,
    );
    expect(listTickets(state.byId).map((t) => t.id)).toEqual(['tkt_waitnew', 'tkt_waitold', 'tkt_answer', 'tkt_closed']);
    expect(listTickets(state.byId, 'open').map((t) => t.id)).toEqual(['tkt_waitnew', 'tkt_waitold', 'tkt_answer']);
    expect(listTickets(state.byId, 'closed').map((t) => t.id)).toEqual(['tkt_closed']);
    expect(countTickets(state.byId)).toEqual({ open: 3, closed: 1, awaiting: 2 });
  });

  it('knows who spoke last and when', () => {
    const t = ticket('tkt_aaaa1', [msg('customer', 'q', 1), msg('owner', 'a', 2)]);
    expect(awaitsReply(t)).toBe(false);
    expect(lastActivity(t)).toBe(t.messages[1]!.at);
    expect(awaitsReply(ticket('tkt_e', []))).toBe(true);
    expect(awaitsReply(ticket('tkt_c', [msg('customer', 'q', 1)], { status: 'closed' }))).toBe(false);
  });
});

describe('support texts', () => {
  it('says whether the reply reached Telegram, and why not', () => {
    expect(deliveryText(true, { telegramId: 4242, customerName: 'Alice' })).toBe('Delivered to Alice’s Telegram.');
    expect(deliveryText(false, { telegramId: null, customerName: 'Dave' })).toBe('Saved in the ticket, but not delivered: Dave has no Telegram id.');
    expect(deliveryText(false, { telegramId: 4242, customerName: 'Alice' })).toMatch(/^Saved in the ticket, but not delivered to Telegram: the shop bot is not running, or the chat refused/);
  });

  it('previews the last message on one line, marking the owner’s own', () => {
    expect(preview(ticket('tkt_a', [msg('customer', 'line one\nline two', 1)]))).toBe('line one line two');
    expect(preview(ticket('tkt_b', [msg('customer', 'q', 1), msg('owner', 'done', 2)]))).toBe('You: done');
    expect(preview(ticket('tkt_c', []))).toBe('No messages');
    expect(preview(ticket('tkt_d', [msg('customer', 'x'.repeat(200), 1)]), 10)).toBe('xxxxxxxxx…');
  });
});
