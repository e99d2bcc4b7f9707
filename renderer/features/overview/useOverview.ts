import { useEffect, useRef, useState } from 'react';
import type { OverviewView } from '../../../services/contract';
import { api } from '../../api';
import { useInterval, useOnlineGeneration } from '../customers/live';
import { createLiveRefresh } from './live-refresh';

/** Live events refresh the summary at most this often. */
export const LIVE_REFRESH_MS = 2_000;
/** A slow re-read for what sends no events (the upstream credit, the day rolling over). */
const SLOW_REFRESH_MS = 60_000;

export type OverviewState = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: OverviewView; stale: string | null };

/**
 * `reports.overview`, read now, again when requests, invoices or tickets change (throttled:
 * never a read per event), every minute, and when the host is reachable again.
 */
export function useOverview(): { overview: OverviewState; reload: () => void } {
  const [overview, setOverview] = useState<OverviewState>({ state: 'loading' });
  const online = useOnlineGeneration();
  const alive = useRef(true);

  const load = useRef(async () => {
    const result = await api.invoke('reports.overview');
    if (!alive.current) return;
    setOverview((prev) => {
      if (result.ok) return { state: 'ready', value: result.value, stale: null };
      // Keep showing the last figures, saying they could not be refreshed.
      if (prev.state === 'ready') return { ...prev, stale: result.error.message };
      return { state: 'error', message: result.error.message };
    });
  });

  useEffect(() => {
    alive.current = true;
    const live = createLiveRefresh({ subscribe: (l) => api.subscribe(l), refresh: () => load.current(), intervalMs: LIVE_REFRESH_MS });
    return () => {
      alive.current = false;
      live.dispose();
    };
  }, []);

  useEffect(() => {
    void load.current();
  }, [online]);
  useInterval(() => void load.current(), SLOW_REFRESH_MS);

  return { overview, reload: () => void load.current() };
}
