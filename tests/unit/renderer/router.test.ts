import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE, ROUTES, hrefFor, parseHash } from '../../../renderer/router/routes';

describe('hash router', () => {
  it('maps #/<screen> to the screen', () => {
    expect(parseHash('#/settings')).toEqual({ id: 'settings', path: 'settings' });
    expect(parseHash('#/status')).toEqual({ id: 'status', path: 'status' });
  });

  it('lands on the default screen for an empty hash', () => {
    for (const hash of ['', '#', '#/', '#//']) expect(parseHash(hash).id).toBe(DEFAULT_ROUTE);
  });

  it('tolerates a missing slash, a trailing slash, a query and upper case', () => {
    expect(parseHash('#proxy').id).toBe('proxy');
    expect(parseHash('#/proxy/').id).toBe('proxy');
    expect(parseHash('#/settings?key=proxy.port').id).toBe('settings');
    expect(parseHash('#/Status').id).toBe('status');
  });

  it('reports an unknown screen as not found, with its path', () => {
    expect(parseHash('#/nope')).toEqual({ id: null, path: 'nope' });
    expect(parseHash('#/%E0%A4%A')).toMatchObject({ id: null });
  });

  it('hrefFor and parseHash round-trip for every screen', () => {
    for (const route of ROUTES) expect(parseHash(hrefFor(route.id)).id).toBe(route.id);
  });

  it('lists the nine screens in navbar order', () => {
    expect(ROUTES.map((r) => r.label)).toEqual([
      'Overview',
      'Proxy',
      'Customers',
      'Packages',
      'Invoices',
      'Support',
      'Reports',
      'Settings',
      'Status',
    ]);
  });
});
