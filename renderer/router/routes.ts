/**
 * The screens, in navbar order, and a tiny hash router (`#/status`): hash routing works from
 * file:// under Electron and needs no server support. Pure; the hook is in useHashRoute.ts.
 */
export const ROUTES = [
  { id: 'overview', label: 'Overview' },
  { id: 'proxy', label: 'Proxy' },
  { id: 'customers', label: 'Customers' },
  { id: 'packages', label: 'Packages' },
  { id: 'invoices', label: 'Invoices' },
  { id: 'support', label: 'Support' },
  { id: 'reports', label: 'Reports' },
  { id: 'settings', label: 'Settings' },
  { id: 'status', label: 'Status' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

/** Where an empty hash lands. Status until the Overview screen exists. */
export const DEFAULT_ROUTE: RouteId = 'status';

export type ParsedRoute = { id: RouteId; path: string } | { id: null; path: string };

const ROUTE_IDS = new Set<string>(ROUTES.map((r) => r.id));

export function isRouteId(value: string): value is RouteId {
  return ROUTE_IDS.has(value);
}

/** `#/settings` → settings; `''`, `#`, `#/` → the default; anything else → not found. */
export function parseHash(hash: string): ParsedRoute {
  let path = hash.startsWith('#') ? hash.slice(1) : hash;
  const query = path.indexOf('?');
  if (query >= 0) path = path.slice(0, query);
  path = path.replace(/^\/+/, '').replace(/\/+$/, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path).toLowerCase();
  } catch {
    return { id: null, path };
  }
  if (decoded === '') return { id: DEFAULT_ROUTE, path: '' };
  return isRouteId(decoded) ? { id: decoded, path: decoded } : { id: null, path: decoded };
}

export function hrefFor(id: RouteId): string {
  return `#/${id}`;
}

export function routeLabel(id: RouteId): string {
  return ROUTES.find((r) => r.id === id)?.label ?? id;
}
