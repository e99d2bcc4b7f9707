import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
import { AppFrame } from './components/AppFrame';
import { NotFoundPage } from './components/NotFoundPage';
import { Loading } from './components/LoadState';
import { NotSignedIn } from './components/NotSignedIn';
import { CustomerPage } from './features/customers/CustomerPage';
import { CustomersPage } from './features/customers/CustomersPage';
import { InvoicePage } from './features/invoices/InvoicePage';
import { InvoicesPage } from './features/invoices/InvoicesPage';
import { OverviewPage } from './features/overview/OverviewPage';
import { PackagesPage } from './features/packages/PackagesPage';
import { ProxyPage } from './features/proxy/ProxyPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { StatusPage } from './features/status/StatusPage';
import { SupportPage } from './features/support/SupportPage';
import type { RouteId } from './router/routes';
import { useHashRoute } from './router/useHashRoute';
import { useAppStore } from './store';

/** Reports brings the charting library (recharts): loaded when the screen is first opened. */
const ReportsPage = lazy(() => import('./features/reports/ReportsPage').then((m) => ({ default: m.ReportsPage })));

function Screen({ id, param }: { id: RouteId; param: string | undefined }): ReactNode {
  if (id === 'overview') return <OverviewPage />;
  if (id === 'reports') {
    return (
      <Suspense fallback={<Loading label="Loading reports…" />}>
        <ReportsPage />
      </Suspense>
    );
  }
  if (id === 'status') return <StatusPage />;
  if (id === 'settings') return <SettingsPage />;
  if (id === 'proxy') return <ProxyPage />;
  if (id === 'customers') return param ? <CustomerPage key={param} customerId={param} /> : <CustomersPage />;
  if (id === 'invoices') return param ? <InvoicePage key={param} invoiceId={param} /> : <InvoicesPage />;
  if (id === 'support') return <SupportPage ticketId={param} />;
  if (id === 'packages') return <PackagesPage />;
  // A route id without a screen fails the type check here.
  const unhandled: never = id;
  return unhandled;
}

/**
 * AppFrame moves focus to the new page's heading when the screen changes; moving between a
 * list and one of its records (`#/customers` → `#/customers/cus_…`) stays on the same screen,
 * so do it here too. The support inbox keeps focus in its ticket list instead.
 */
function useFocusOnRecordChange(id: RouteId | null, path: string) {
  const last = useRef({ id, path });
  useEffect(() => {
    const prev = last.current;
    last.current = { id, path };
    if (prev.id !== id || prev.path === path || id === 'support') return;
    document.querySelector<HTMLElement>('main [data-page-title]')?.focus();
  }, [id, path]);
}

export function App() {
  const route = useHashRoute();
  const unauthorized = useAppStore((s) => s.connection.auth === 'unauthorized');
  useFocusOnRecordChange(route.id, route.path);
  if (unauthorized) return <NotSignedIn />;
  return (
    <AppFrame active={route.id}>
      {route.id ? <Screen key={route.id} id={route.id} param={'param' in route ? route.param : undefined} /> : <NotFoundPage path={route.path} />}
    </AppFrame>
  );
}
