import type { RouteId } from '../../router/routes';

/** What each screen that is not built yet will show, and what brings it. */
export const PLACEHOLDERS: Partial<Record<RouteId, { what: string; arrives: string }>> = {
};
