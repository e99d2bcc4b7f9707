import type { RouteId } from '../../router/routes';

/** What each screen that is not built yet will show, and what brings it. */
export const PLACEHOLDERS: Partial<Record<RouteId, { what: string; arrives: string }>> = {
  overview: {
    what: "Today's revenue, profit, balances and what needs your attention",
    arrives: 'arrives with the ledger and reports',
  },
  reports: { what: 'Revenue, profit and cost reports you can export', arrives: 'arrives with reports' },
};
