import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandOutput, InvoiceView } from '../../../services/contract';
import { api } from '../../api';
import { appStore, useAppStore } from '../../store';
import { useOnlineGeneration, type Loaded } from '../customers/live';

export type InvoiceDetail = Omit<CommandOutput<'invoices.get'>, 'invoice'>;

/** How long to wait after a live change of the invoice before re-reading its payments. */
const FOLLOW_MS = 300;

/**
 * An invoice page's data: the invoice itself from the store (live through `invoice.changed`),
 * and its payments and order from `invoices.get`, re-read whenever the live invoice changes
 * (new confirmations mean new payment confirmations) and when the host is back.
 */
export function useInvoiceDetail(invoiceId: string): { invoice: InvoiceView | null; detail: Loaded<InvoiceDetail>; reload: () => Promise<void> } {
  const invoice = useAppStore((s) => s.invoices.byId[invoiceId] ?? null);
  const [detail, setDetail] = useState<Loaded<InvoiceDetail>>({ state: 'loading' });
  const online = useOnlineGeneration();
  const alive = useRef(true);
  /** The store's invoice object when the payments were last read: a different one is a live change. */
  const readWith = useRef<InvoiceView | null>(null);

  const reload = useCallback(async () => {
    const since = appStore.getState().invoices.seq;
    const result = await api.invoke('invoices.get', { invoiceId });
    if (!alive.current) return;
    if (result.ok) {
      appStore.getState().seedInvoices([result.value.invoice], since);
      readWith.current = appStore.getState().invoices.byId[invoiceId] ?? null;
      setDetail({ state: 'ready', value: { payments: result.value.payments, order: result.value.order } });
    } else {
      setDetail((prev) => (prev.state === 'ready' && result.error.code !== 'not_found' ? prev : { state: 'error', message: result.error.message, code: result.error.code }));
    }
  }, [invoiceId]);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  useEffect(() => {
    void reload();
  }, [reload, online]);

  // Follow live changes of this invoice (the store keeps the same object while nothing changed).
  useEffect(() => {
    if (invoice === null || invoice === readWith.current) return undefined;
    const timer = setTimeout(() => void reload(), FOLLOW_MS);
    return () => clearTimeout(timer);
  }, [invoice, reload]);

  return { invoice, detail, reload };
}
