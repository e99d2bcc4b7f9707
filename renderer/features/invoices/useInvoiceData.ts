import { useCallback, useEffect, useState } from 'react';
import type { InvoiceView } from '../../../services/contract';
import { api } from '../../api';
import { appStore } from '../../store';
import { useInterval, useOnlineGeneration } from '../customers/live';

/** The most the host lists at once. */
export const INVOICE_LIMIT = 1000;
const CUSTOMERS_REFRESH_MS = 60_000;
/** Events keep invoices live; a slow re-read catches anything missed (e.g. expiries). */
const INVOICES_REFRESH_MS = 60_000;

/**
 * Loads `invoices.list` into the store (now, every minute and when the host is back); events
 * keep it live in between. With a status filter, that status is read too, so a status with
 * more than INVOICE_LIMIT older invoices is still listed in full up to the limit.
 */
export function useInvoiceList(status: InvoiceView['status'] | null): { error: string | null; loaded: boolean } {
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const online = useOnlineGeneration();

  const load = useCallback(async () => {
    const since = appStore.getState().invoices.seq;
    const result = await api.invoke('invoices.list', { limit: INVOICE_LIMIT, ...(status ? { status } : {}) });
    if (result.ok) {
      appStore.getState().seedInvoices(result.value.invoices, since);
      setError(null);
      setLoaded(true);
    } else {
      setError(result.error.message);
    }
  }, [status]);

  useEffect(() => {
    void load();
  }, [load, online]);
  useInterval(() => void load(), INVOICES_REFRESH_MS);
  return { error, loaded };
}

export type CustomerNames = Readonly<Record<string, string>>;

/** id → name of every customer, for labelling invoices (re-read every minute). */
export function useCustomerNames(): CustomerNames {
  const [names, setNames] = useState<CustomerNames>({});
  const online = useOnlineGeneration();
  const load = useCallback(async () => {
    const result = await api.invoke('customers.list');
    if (!result.ok) return;
    const next: Record<string, string> = {};
    for (const c of result.value.customers) next[c.id] = c.name;
    setNames(next);
  }, []);
  useEffect(() => {
    void load();
  }, [load, online]);
  useInterval(() => void load(), CUSTOMERS_REFRESH_MS);
  return names;
}
