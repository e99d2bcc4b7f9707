import { useCallback, useEffect, useState } from 'react';
import type { CommandOutput } from '../../../services/contract';
import { api } from '../../api';
import { appStore } from '../../store';
import { useInterval, useOnlineGeneration, type Loaded } from './live';

export type CustomerProfile = CommandOutput<'customers.get'>;

/** Usage and balances move with every metered request; the profile is re-read this often. */
const REFRESH_MS = 15_000;

/**
 * One customer's profile from `customers.get`, re-read after every change the owner makes
 * (`reload`), every 15 s, and when the host is reachable again. Its invoices also go into the
 * store's invoices slice, where `invoice.changed` keeps them live. The page is keyed by the
 * customer id, so a different customer is a fresh mount.
 */
export function useCustomer(customerId: string): { load: Loaded<CustomerProfile>; reload: () => Promise<void> } {
  const [load, setLoad] = useState<Loaded<CustomerProfile>>({ state: 'loading' });
  const online = useOnlineGeneration();

  const reload = useCallback(async () => {
    const since = appStore.getState().invoices.seq;
    const result = await api.invoke('customers.get', { customerId });
    if (result.ok) {
      appStore.getState().seedInvoices(result.value.invoices, since);
      setLoad({ state: 'ready', value: result.value });
    } else {
      // A failed refresh keeps what is shown; only the first load shows the error.
      setLoad((prev) => (prev.state === 'ready' && result.error.code !== 'not_found' ? prev : { state: 'error', message: result.error.message, code: result.error.code }));
    }
  }, [customerId]);

  useEffect(() => {
    void reload();
  }, [reload, online]);
  useInterval(() => void reload(), REFRESH_MS);

  return { load, reload };
}
