import { useSyncExternalStore } from 'react';
import { parseHash, type ParsedRoute } from './routes';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = () => window.location.hash;

/** The current screen from `location.hash`, re-rendering on `hashchange`. */
export function useHashRoute(): ParsedRoute {
  const hash = useSyncExternalStore(subscribe, getHash);
  return parseHash(hash);
}
