import { useEffect, useState } from 'react';
import type { ModelUsage } from '../../../services/contract';
import { api } from '../../api';
import { appStore } from '../../store';
import { RECENT_CAPACITY } from '../../store/proxy';
import type { CustomerNames } from './top';

/** `proxy.stats` is re-read this often while the screen is open (live events fill the gaps). */
export const STATS_REFRESH_MS = 3_000;
/** `usage.list` (per-model totals, recent history) and a check for customers we cannot name. */
export const USAGE_REFRESH_MS = 15_000;
export const CUSTOMERS_REFRESH_MS = 60_000;

export interface ProxyScreenData {
  byModel: readonly ModelUsage[];
  names: CustomerNames;
  /** Why the last `proxy.stats` call failed, or null. */
  statsError: string | null;
  /** Whether `usage.list` and `proxy.stats` have both answered successfully at least once. */
  ready: boolean;
}

const hidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';

/**
 * What the Proxy screen reads from the host while it is open: `proxy.stats` into the store
 * every few seconds, `usage.list` (history into the store's recent list; per-model totals
 * here) and `customers.list` for names. Nothing is polled while the window is hidden.
 */
export function useProxyData(): ProxyScreenData {
  const [byModel, setByModel] = useState<readonly ModelUsage[]>([]);
  const [names, setNames] = useState<CustomerNames>({});
  const [statsError, setStatsError] = useState<string | null>(null);
  const [statsAnswered, setStatsAnswered] = useState(false);
  const [usageAnswered, setUsageAnswered] = useState(false);

  useEffect(() => {
    let alive = true;
    const busy = { stats: false, usage: false, customers: false };
    let known: CustomerNames = {};

    const loadStats = async () => {
      if (busy.stats) return;
      busy.stats = true;
      const result = await api.invoke('proxy.stats');
      busy.stats = false;
      if (!alive) return;
      if (result.ok) {
        appStore.getState().applyProxyStats(result.value, Date.now());
        setStatsError(null);
        setStatsAnswered(true);
      } else {
        setStatsError(result.error.message);
      }
    };

    const loadCustomers = async () => {
      if (busy.customers) return;
      busy.customers = true;
      const result = await api.invoke('customers.list');
      busy.customers = false;
      if (!alive || !result.ok) return;
      const next: Record<string, string> = {};
      for (const c of result.value.customers) next[c.id] = c.name;
      known = next;
      setNames(next);
    };

    const loadUsage = async () => {
      if (busy.usage) return;
      busy.usage = true;
      const result = await api.invoke('usage.list', { limit: RECENT_CAPACITY });
      busy.usage = false;
      if (!alive || !result.ok) return;
      setUsageAnswered(true);
      appStore.getState().seedProxyRequests(result.value.recent);
      setByModel(result.value.byModel);
      // A customer added since the names were read: read them again.
      if (appStore.getState().proxy.recent.some((e) => !(e.customerId in known))) void loadCustomers();
    };

    void loadStats();
    void loadUsage();
    void loadCustomers();
    const every = (ms: number, load: () => Promise<void>) =>
      setInterval(() => {
        if (!hidden()) void load();
      }, ms);
    const timers = [every(STATS_REFRESH_MS, loadStats), every(USAGE_REFRESH_MS, loadUsage), every(CUSTOMERS_REFRESH_MS, loadCustomers)];
    return () => {
      alive = false;
      for (const t of timers) clearInterval(t);
    };
  }, []);

  return { byModel, names, statsError, ready: statsAnswered && usageAnswered };
}
