/**
 * The main process's attention watcher: counts for the tray re-read at most once per interval
 * however fast events come, every alert shown once, the host outage told once, and nothing
 * shown when the owner turned notifications off.
 */
import { describe, expect, it } from 'vitest';
import type { AttentionCounts, EventBatch, OwnerAlert } from '../../../services/contract.js';
import { AttentionWatcher, attentionLines, routeHash, type DesktopNotice } from '../../../electron/main/attention.js';
import { StatusBoard } from '../../../electron/main/status-board.js';

const COUNTS: AttentionCounts = { pendingInvoices: 2, openTickets: 1, lowCredit: true, creditRemainingMicro: 1, servicesDown: 0, notifications: true };

function harness(counts: AttentionCounts = COUNTS) {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const reads: number[] = [];
  const shown: DesktopNotice[] = [];
  const seen: AttentionCounts[] = [];
  const state = { counts };
  const w = new AttentionWatcher({
    invoke: async () => {
      reads.push(now);
      return { ok: true, value: state.counts };
    },
    notify: (n) => shown.push(n),
    onCounts: (c) => seen.push(c),
    minIntervalMs: 2000,
    refreshMs: 60_000,
    now: () => now,
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn, id: nextId++ };
      timers.push(t);
      return t.id;
    },
    clearTimer: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  const advance = async (ms: number) => {
    const end = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > end) break;
      timers.shift();
      now = next.at;
      next.fn();
      await Promise.resolve();
      await Promise.resolve();
    }
    now = end;
    await Promise.resolve();
  };
  return { w, reads, shown, seen, state, advance };
}

const alert = (key: string, title = 'Sale: $5.00'): EventBatch => ({
  stream: 'owner.alert',
  events: [{ kind: 'sale', key, title, body: 'Alice paid', href: '#/invoices/inv_1', at: '' } satisfies OwnerAlert],
});
const ticket: EventBatch = { stream: 'support.changed', events: [] };

describe('attention watcher (tray counts, desktop notifications)', () => {
  it('reads the counts at start, then at most once per 2 s however many events arrive', async () => {
    const h = harness();
    h.w.start();
    await h.advance(0);
    expect(h.reads).toEqual([0]);
    for (let i = 0; i < 50; i++) {
      h.w.apply(ticket);
      await h.advance(100);
    }
    // 5 s of events: reads at 0, 2000, 4000.
    expect(h.reads).toEqual([0, 2000, 4000]);
    expect(h.seen.at(-1)).toEqual(COUNTS);
    h.w.stop();
  });

  it('re-reads every minute without events, and not for log or proxy batches', async () => {
    const h = harness();
    h.w.start();
    await h.advance(0);
    h.w.apply({ stream: 'log', events: [] });
    h.w.apply({ stream: 'proxy.request', events: [] });
    await h.advance(59_000);
    expect(h.reads).toEqual([0]);
    await h.advance(2_000);
    expect(h.reads).toEqual([0, 60_000]);
    h.w.stop();
  });

  it('shows each alert once, and the host outage once per outage', async () => {
    const h = harness();
    h.w.start();
    await h.advance(0);
    h.w.apply(alert('sale:inv_1'));
    h.w.apply(alert('sale:inv_1'));
    h.w.apply(alert('sale:inv_2', 'Sale: $7.00'));
    const down: EventBatch = { stream: 'host.status', events: [{ state: 'down', reason: 'the services host exited (code 1)', restarts: 0 }] };
    h.w.apply(down);
    h.w.apply(down);
    h.w.apply({ stream: 'host.status', events: [{ state: 'restarting', reason: 'in 1 s', restarts: 1 }] });
    h.w.apply({ stream: 'host.status', events: [{ state: 'up', reason: '', restarts: 1 }] });
    h.w.apply(down);
    expect(h.shown.map((n) => n.title)).toEqual(['Sale: $5.00', 'Sale: $7.00', 'ArbDesk services are down', 'ArbDesk services are down']);
    expect(h.shown[2]).toMatchObject({ body: expect.stringContaining('the services host exited (code 1)'), href: '#/status' });
    h.w.stop();
  });

  it('shows nothing when notifications are off', async () => {
    const h = harness({ ...COUNTS, notifications: false });
    h.w.start();
    await h.advance(0);
    h.w.apply(alert('sale:inv_9'));
    h.w.apply({ stream: 'host.status', events: [{ state: 'down', reason: 'x', restarts: 0 }] });
    expect(h.shown).toEqual([]);
    h.w.stop();
  });

  it('puts what waits into the tray tooltip and menu, but not while the host is down', () => {
    expect(attentionLines(COUNTS)).toEqual(['2 invoices pending', '1 open ticket', 'low upstream credit']);
    expect(attentionLines({ ...COUNTS, pendingInvoices: 1, openTickets: 0, lowCredit: false, servicesDown: 2 })).toEqual(['1 invoice pending', '2 services down']);
    const board = new StatusBoard();
    board.apply({ stream: 'host.status', events: [{ state: 'up', reason: '', restarts: 0 }] });
    board.setWaiting(attentionLines(COUNTS));
    expect(board.summary()).toMatchObject({ tooltip: 'ArbDesk — no service is configured yet · 2 invoices pending, 1 open ticket, low upstream credit', waiting: attentionLines(COUNTS) });
    board.apply({ stream: 'host.status', events: [{ state: 'down', reason: 'crashed', restarts: 0 }] });
    expect(board.summary().waiting).toBeUndefined();
  });

  it('opens only app screens from a notification click', () => {
    expect(routeHash('#/invoices/inv_Ab12')).toBe('#/invoices/inv_Ab12');
    expect(routeHash('#/status')).toBe('#/status');
    expect(routeHash('https://evil.example/')).toBeNull();
    expect(routeHash('#/status/../../x')).toBeNull();
  });
});
