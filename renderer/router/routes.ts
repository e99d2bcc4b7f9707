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

/** Where an empty hash lands: the owner's overview. */
export const DEFAULT_ROUTE: RouteId = 'overview';

/** Screens that also have a detail page for one record: `#/customers/<customerId>`. */
const DETAIL_ROUTES: ReadonlySet<RouteId> = new Set<RouteId>(['customers', 'invoices', 'support']);

/** `param` is the record id of a detail page (`cus_…`, `inv_…`, `tkt_…`), case kept as typed. */
export type ParsedRoute = { id: RouteId; path: string; param?: string } | { id: null; path: string };

const ROUTE_IDS = new Set<string>(ROUTES.map((r) => r.id));

export function isRouteId(value: string): value is RouteId {
  return ROUTE_IDS.has(value);
}

export function hasDetailRoute(id: RouteId): boolean {
  return DETAIL_ROUTES.has(id);
}

/**
 * `#/settings` → settings; `''`, `#`, `#/` → the default; `#/customers/cus_Ab12` → the
 * customer page (the screen name is case-insensitive, the record id is not); anything else →
 * not found.
 */
export function parseHash(hash: string): ParsedRoute {
  let path = hash.startsWith('#') ? hash.slice(1) : hash;
  const query = path.indexOf('?');
  if (query >= 0) path = path.slice(0, query);
  path = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const slash = path.indexOf('/');
  let screen: string;
  let param: string | null = null;
  try {
    screen = decodeURIComponent(slash >= 0 ? path.slice(0, slash) : path).toLowerCase();
    if (slash >= 0) param = decodeURIComponent(path.slice(slash + 1).replace(/^\/+/, ''));
  } catch {
    return { id: null, path };
  }
  if (param === null) {
    if (screen === '') return { id: DEFAULT_ROUTE, path: '' };
    return isRouteId(screen) ? { id: screen, path: screen } : { id: null, path: screen };
  }
  const shown = `${screen}/${param}`;
  if (!isRouteId(screen) || !hasDetailRoute(screen) || param === '' || param.includes('/')) return { id: null, path: shown };
  return { id: screen, path: shown, param };
}

/** `#/customers`, or a detail page `#/customers/cus_Ab12`. */
export function hrefFor(id: RouteId, param?: string): string {
  return param === undefined || param === '' ? `#/${id}` : `#/${id}/${encodeURIComponent(param)}`;
}
