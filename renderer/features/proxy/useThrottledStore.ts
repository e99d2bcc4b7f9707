import { useEffect, useState } from 'react';
import { appStore } from '../../store';
import type { AppState } from '../../store/appStore';
import { createThrottle } from './throttle';

/**
 * Like `useAppStore(selector)`, but re-renders at most once per `intervalMs` however fast the
 * store changes (a proxy flood changes it ten times a second). While `paused`, the value stays
 * as it was. `selector` must return a value kept in the store (not a new object each call) and
 * be a stable function (module level or memoised).
 */
export function useThrottledStore<T>(selector: (state: AppState) => T, intervalMs: number, paused = false): T {
  const [value, setValue] = useState(() => selector(appStore.getState()));
  useEffect(() => {
    if (paused) return undefined;
    const update = () => setValue(() => selector(appStore.getState()));
    const throttle = createThrottle(update, intervalMs);
    const off = appStore.subscribe((state, previous) => {
      if (!Object.is(selector(state), selector(previous))) throttle.notify();
    });
    throttle.notify(); // catch up with changes made while paused or before mounting
    return () => {
      off();
      throttle.dispose();
    };
  }, [selector, intervalMs, paused]);
  return value;
}
