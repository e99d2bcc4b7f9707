import { describe, expect, it } from 'vitest';
import type { InvoiceView } from '../../../services/contract';
import { createAppStore } from '../../../renderer/store/appStore';
import { applyInvoiceEvents, countByStatus, initialInvoices, listInvoices, needsAttention, seedInvoices } from '../../../renderer/store/invoices';

function invoice(id: string, overrides: Partial<InvoiceView> = {}): InvoiceView {
  return {
    id,
    orderId: `ord_${id.slice(4)}`,
    customerId: 'cus_alice001',
    method: 'btc',
    asset: 'BTC',
    usdMicro: 10_000_000,
    amountBase: '15000',
    decimals: 8,
    rate: '66666.67',
    address: 'bc1qexample',
    uri: 'bitcoin:bc1qexample?amount=0.00015',
    status: 'new',
    paidBase: '0',
    confirmations: 0,
    flags: [],
    memo: '',
    createdAt: '2025-01-01T12:00:00.000Z',
    expiresAt: '2025-01-01T12:30:00.000Z',
    settledAt: null,
    ...overrides,
  };
}

describe('invoices slice', () => {
  it('applies a whole invoice.changed batch in one store update, the last version of each invoice winning', () => {
    const store = createAppStore({ transport: 'ipc' });
    let updates = 0;
    store.subscribe(() => (updates += 1));
    store.getState().applyBatch({
      stream: 'invoice.changed',
      events: [
        invoice('inv_aaaa1', { status: 'processing', paidBase: '15000', confirmations: 0 }),
        invoice('inv_bbbb2'),
        invoice('inv_aaaa1', { status: 'processing', paidBase: '15000', confirmations: 1 }),
      ],
    });
    expect(updates).toBe(1);
    const { byId } = store.getState().invoices;
    expect(Object.keys(byId).sort()).toEqual(['inv_aaaa1', 'inv_bbbb2']);
    expect(byId.inv_aaaa1!.confirmations).toBe(1);
  });

  it('does not notify for a batch that changes nothing, and keeps unchanged invoices as the same objects', () => {
    const store = createAppStore({ transport: 'ipc' });
    store.getState().applyBatch({ stream: 'invoice.changed', events: [invoice('inv_aaaa1'), invoice('inv_bbbb2')] });
    const before = store.getState().invoices;
    let updates = 0;
    store.subscribe(() => (updates += 1));
    store.getState().applyBatch({ stream: 'invoice.changed', events: [invoice('inv_aaaa1')] });
    expect(updates).toBe(0);
    store.getState().applyBatch({ stream: 'invoice.changed', events: [invoice('inv_aaaa1', { confirmations: 2, paidBase: '15000' })] });
    expect(updates).toBe(1);
    expect(store.getState().invoices.byId.inv_bbbb2).toBe(before.byId.inv_bbbb2);
  });

  it('drops malformed events instead of storing them', () => {
    const state = applyInvoiceEvents(initialInvoices(), [
      {},
      null,
      { ...invoice('inv_bad01'), status: 'paid' },
      { ...invoice('inv_bad02'), amountBase: 1.5 },
      { ...invoice('inv_bad03'), paidBase: '0.5' },
      invoice('inv_good1'),
    ]);
    expect(Object.keys(state.byId)).toEqual(['inv_good1']);
  });

  it('a list answer requested before a live change does not undo it; one requested after does apply', () => {
    let state = seedInvoices(initialInvoices(), [invoice('inv_aaaa1')], 0);
    expect(state.loaded).toBe(true);
    const since = state.seq; // the request is sent now…
    state = applyInvoiceEvents(state, [invoice('inv_aaaa1', { status: 'processing', paidBase: '15000', confirmations: 2 })]);
    // …and its (older) answer arrives after the event.
    state = seedInvoices(state, [invoice('inv_aaaa1'), invoice('inv_cccc3')], since);
    expect(state.byId.inv_aaaa1!.confirmations).toBe(2);
    expect(state.byId.inv_cccc3).toBeDefined();
    // A list requested after the event is newer than it.
    state = seedInvoices(state, [invoice('inv_aaaa1', { status: 'settled', paidBase: '15000', confirmations: 3 })], state.seq);
    expect(state.byId.inv_aaaa1!.status).toBe('settled');
  });

  it('a snapshot never removes invoices (lists are filtered and limited)', () => {
    let state = seedInvoices(initialInvoices(), [invoice('inv_aaaa1'), invoice('inv_bbbb2')], 0);
    state = seedInvoices(state, [invoice('inv_bbbb2')], state.seq);
    expect(Object.keys(state.byId).sort()).toEqual(['inv_aaaa1', 'inv_bbbb2']);
  });

  it('lists newest first, filtered by status and customer, in a stable order', () => {
    const state = seedInvoices(
      initialInvoices(),
      [
        invoice('inv_old01', { createdAt: '2025-01-01T10:00:00.000Z', status: 'settled' }),
        invoice('inv_new01', { createdAt: '2025-01-02T10:00:00.000Z' }),
        invoice('inv_new02', { createdAt: '2025-01-02T10:00:00.000Z', customerId: 'cus_bob00002' }),
        invoice('inv_mid01', { createdAt: '2025-01-01T18:00:00.000Z', status: 'expired' }),
      ],
      0,
    );
    expect(listInvoices(state.byId).map((i) => i.id)).toEqual(['inv_new02', 'inv_new01', 'inv_mid01', 'inv_old01']);
    expect(listInvoices(state.byId, { status: 'settled', customerId: null }).map((i) => i.id)).toEqual(['inv_old01']);
    expect(listInvoices(state.byId, { status: null, customerId: 'cus_bob00002' }).map((i) => i.id)).toEqual(['inv_new02']);
    expect(countByStatus(state.byId)).toEqual({ new: 2, processing: 0, settled: 1, expired: 1, invalid: 0 });
  });

  it('flags what needs the owner: late, underpaid or reorged and not resolved; expired with money on it', () => {
    expect(needsAttention(invoice('inv_a0001', { flags: ['late'] }))).toBe(true);
    expect(needsAttention(invoice('inv_a0002', { flags: ['underpaid', 'resolved'] }))).toBe(false);
    expect(needsAttention(invoice('inv_a0003', { status: 'expired', paidBase: '100' }))).toBe(true);
    expect(needsAttention(invoice('inv_a0004', { status: 'expired' }))).toBe(false);
    expect(needsAttention(invoice('inv_a0005', { flags: ['overpaid'], status: 'settled' }))).toBe(false);
  });
});
