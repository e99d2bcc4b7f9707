/** The app's store instance and the React hook to read it with narrow selectors. */
import { useStore } from 'zustand';
import { api } from '../api';
import { createAppStore, type AppState } from './appStore';

export const appStore = createAppStore({ transport: api.transport });

/** Select as little as possible: the component re-renders when the selected value changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
