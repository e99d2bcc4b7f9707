/** Small hooks the customer, invoice and support screens share for reading from the host. */
import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../../store';
import { describeConnectionProblem } from '../../store/connection';

const hidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';

/**
 * A number that goes up each time the host becomes reachable again after it was not (host
 * restarted, WebSocket reconnected). Put it in a load effect's dependencies so the screen
 * re-reads what it may have missed.
 */
export function useOnlineGeneration(): number {
  const online = useAppStore((s) => describeConnectionProblem(s.connection) === null);
  const [generation, setGeneration] = useState(0);
  const was = useRef(online);
  useEffect(() => {
    if (online && !was.current) setGeneration((g) => g + 1);
    was.current = online;
  }, [online]);
  return generation;
}

/** Calls `load` every `ms` while the window is visible (not at mount: the caller loads then). */
export function useInterval(load: () => void, ms: number): void {
  const latest = useRef(load);
  useEffect(() => {
    latest.current = load;
  });
  useEffect(() => {
    const timer = setInterval(() => {
      if (!hidden()) latest.current();
    }, ms);
    return () => clearInterval(timer);
  }, [ms]);
}

/** A value from an async command: what the screen shows while loading, on failure, and after. */
export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string; code: string } | { state: 'ready'; value: T };
