import type { ReactNode } from 'react';
import { AppFrame } from './components/AppFrame';
import { NotFoundPage } from './components/NotFoundPage';
import { NotSignedIn } from './components/NotSignedIn';
import { PlaceholderPage } from './components/PlaceholderPage';
import { PLACEHOLDERS } from './features/placeholder/placeholders';
import { ProxyPage } from './features/proxy/ProxyPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { StatusPage } from './features/status/StatusPage';
import { routeLabel, type RouteId } from './router/routes';
import { useHashRoute } from './router/useHashRoute';
import { useAppStore } from './store';

function Screen({ id }: { id: RouteId }): ReactNode {
  if (id === 'status') return <StatusPage />;
  if (id === 'settings') return <SettingsPage />;
  if (id === 'proxy') return <ProxyPage />;
  const placeholder = PLACEHOLDERS[id];
  return (
    <PlaceholderPage
      title={routeLabel(id)}
      what={placeholder?.what ?? 'This screen'}
      arrives={placeholder?.arrives ?? 'arrives later'}
    />
  );
}

export function App() {
  const route = useHashRoute();
  const unauthorized = useAppStore((s) => s.connection.auth === 'unauthorized');
  if (unauthorized) return <NotSignedIn />;
  return (
    <AppFrame active={route.id}>
      {route.id ? <Screen key={route.id} id={route.id} /> : <NotFoundPage path={route.path} />}
    </AppFrame>
  );
}
