/**
 * The renderer's one zustand store, made of slices: `system`, `services`, `logs`, `connection`,
 * `proxy`, `invoices`, `support`.
 *
 * Every event batch is applied in ONE `setState` (see `reduceBatch`), so a batch of 500 log
 * lines costs one notification. Components select narrow slices with `useAppStore(selector)`;
 * charts can subscribe transiently with `appStore.subscribe(listener)` and read
 * `appStore.getState()` without re-rendering React at all.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventBatch, LogLine, SystemStatus } from '../../services/contract';
import { initialConnection, type ConnectionState, type HostStatus, type LinkStatus } from './connection';
import { LOG_CAPACITY, mergeLogLines } from './logs';
import { applyProxyEvents, initialProxy, proxyActions, type ProxyActions, type ProxyData } from './proxy';
import { applyServiceEvents, applyServicesSnapshot, type ServicesMap } from './services';
import { applyInvoiceEvents, initialInvoices, invoiceActions, type InvoiceActions, type InvoicesData } from './invoices';
import { applyTicketEvents, initialTickets, supportActions, type SupportActions, type TicketsData } from './support';

/** `system.status` without the services (those live in their own slice), plus when it arrived. */
export interface SystemInfo extends Omit<SystemStatus, 'services'> {
  /** `Date.now()` when the answer arrived; uptime is `uptimeSeconds` + time since then. */
  receivedAt: number;
}

export interface AppData {
  system: SystemInfo | null;
  services: ServicesMap;
  logs: readonly LogLine[];
  connection: ConnectionState;
  proxy: ProxyData;
  invoices: InvoicesData;
  support: TicketsData;
}

export interface AppActions extends ProxyActions, InvoiceActions, SupportActions {
  applyBatch(batch: EventBatch): void;
  applySystemStatus(status: SystemStatus, receivedAt: number): void;
  addLogLines(lines: readonly LogLine[]): void;
  setLink(link: LinkStatus): void;
  setAuth(auth: ConnectionState['auth']): void;
  setHost(host: HostStatus): void;
}

export type AppState = AppData & AppActions;
export type AppStore = StoreApi<AppState>;

export interface AppStoreOptions {
  transport: 'ipc' | 'http';
  logCapacity?: number;
  /** Clock for live figures (tests pass a fake one). */
  now?: () => number;
}

export function initialData(transport: 'ipc' | 'http', now: number = Date.now()): AppData {
  return {
    system: null,
    services: {},
    logs: [],
    connection: initialConnection(transport),
    proxy: initialProxy(now),
    invoices: initialInvoices(),
    support: initialTickets(),
  };
}

/** The state change for one event batch; returns only the slices that changed. */
export function reduceBatch(state: AppData, batch: EventBatch, logCapacity = LOG_CAPACITY, now = Date.now()): Partial<AppData> {
  switch (batch.stream) {
    case 'service.status': {
      const services = applyServiceEvents(state.services, batch.events);
      return services === state.services ? {} : { services };
    }
    case 'log': {
      const logs = mergeLogLines(state.logs, batch.events, logCapacity);
      return logs === state.logs ? {} : { logs };
    }
    case 'proxy.request': {
      const proxy = applyProxyEvents(state.proxy, batch.events, now);
      return proxy === state.proxy ? {} : { proxy };
    }
    case 'invoice.changed': {
      const invoices = applyInvoiceEvents(state.invoices, batch.events);
      return invoices === state.invoices ? {} : { invoices };
    }
    case 'support.changed': {
      const support = applyTicketEvents(state.support, batch.events);
      return support === state.support ? {} : { support };
    }
    case 'host.status': {
      const host = batch.events[batch.events.length - 1];
      if (!host) return {};
      return { connection: { ...state.connection, host } };
    }
    default:
      // A stream this build of the UI does not know yet: ignore it.
      return {};
  }
}

export function createAppStore(options: AppStoreOptions): AppStore {
  const capacity = options.logCapacity ?? LOG_CAPACITY;
  const now = options.now ?? Date.now;
  return createStore<AppState>()((set, get) => ({
    ...initialData(options.transport, now()),
    ...proxyActions(set, get),
    ...invoiceActions(set, get),
    ...supportActions(set, get),
    applyBatch(batch) {
      const change = reduceBatch(get(), batch, capacity, now());
      if (Object.keys(change).length > 0) set(change);
    },
    applySystemStatus(status, receivedAt) {
      const { services, ...info } = status;
      const state = get();
      const nextServices = applyServicesSnapshot(state.services, services);
      const host: HostStatus =
        state.connection.host?.state === 'up'
          ? state.connection.host
          : { state: 'up', reason: '', restarts: state.connection.host?.restarts ?? 0 };
      set({
        system: { ...info, receivedAt },
        services: nextServices,
        connection: { ...state.connection, host, auth: 'ok' },
      });
    },
    addLogLines(lines) {
      const logs = mergeLogLines(get().logs, lines, capacity);
      if (logs !== get().logs) set({ logs });
    },
    setLink(link) {
      set({ connection: { ...get().connection, link } });
    },
    setAuth(auth) {
      if (get().connection.auth !== auth) set({ connection: { ...get().connection, auth } });
    },
    setHost(host) {
      set({ connection: { ...get().connection, host } });
    },
  }));
}
