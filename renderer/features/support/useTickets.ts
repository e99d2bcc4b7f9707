import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { appStore } from '../../store';
import { useInterval, useOnlineGeneration } from '../customers/live';

/** The most the host lists at once. */
export const TICKET_LIMIT = 500;
/** Events keep tickets live; a slow re-read catches anything missed. */
const REFRESH_MS = 60_000;

/** Loads `support.list` into the store (now, every minute, when the host is back). */
export function useTickets(): { error: string | null; loaded: boolean } {
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const online = useOnlineGeneration();
  const load = useCallback(async () => {
    const since = appStore.getState().support.seq;
    // Open tickets are asked for on their own, so many closed ones never crowd them out.
    const [open, all] = await Promise.all([
      api.invoke('support.list', { status: 'open', limit: TICKET_LIMIT }),
      api.invoke('support.list', { limit: TICKET_LIMIT }),
    ]);
    const failed = !open.ok ? open : !all.ok ? all : null;
    if (failed && !failed.ok) {
      setError(failed.error.message);
      return;
    }
    if (open.ok && all.ok) {
      appStore.getState().seedTickets([...all.value.tickets, ...open.value.tickets], since);
      setError(null);
      setLoaded(true);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, online]);
  useInterval(() => void load(), REFRESH_MS);
  return { error, loaded };
}
