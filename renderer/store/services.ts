/**
 * The `services` slice: service id → latest ServiceStatus, in the order the host lists them.
 *
 * A `system.status` answer is a snapshot (the full list); `service.status` events update one
 * service each. Both can race — a snapshot requested before a change may arrive after the
 * change's event — so an update never replaces a status with a strictly older `since`.
 */
import type { ServiceStatus } from '../../services/contract';

export type ServicesMap = Readonly<Record<string, ServiceStatus>>;

function sinceOf(status: ServiceStatus): number {
  const t = Date.parse(status.since);
  return Number.isNaN(t) ? 0 : t;
}

export function sameStatus(a: ServiceStatus, b: ServiceStatus): boolean {
  if (
    a.id !== b.id ||
    a.name !== b.name ||
    a.state !== b.state ||
    a.reason !== b.reason ||
    a.since !== b.since ||
    a.restarts !== b.restarts
  ) {
    return false;
  }
  const ak = Object.keys(a.detail);
  const bk = Object.keys(b.detail);
  return ak.length === bk.length && ak.every((k) => a.detail[k] === b.detail[k]);
}

/** The status to keep when `incoming` arrives while `existing` is known. */
function pick(existing: ServiceStatus | undefined, incoming: ServiceStatus): ServiceStatus {
  if (!existing) return incoming;
  if (sinceOf(incoming) < sinceOf(existing)) return existing;
  return sameStatus(existing, incoming) ? existing : incoming;
}

/** Applies `service.status` events in order. Returns `current` when nothing changed. */
export function applyServiceEvents(current: ServicesMap, incoming: readonly ServiceStatus[]): ServicesMap {
  let next: Record<string, ServiceStatus> | undefined;
  for (const status of incoming) {
    const base = next ?? current;
    const kept = pick(base[status.id], status);
    if (kept === base[status.id]) continue;
    next ??= { ...current };
    next[status.id] = kept;
  }
  return next ?? current;
}

/**
 * Applies a `system.status` snapshot: services not in it are gone; each listed service keeps
 * the newer of the snapshot and what events already said. Returns `current` when equal.
 */
export function applyServicesSnapshot(current: ServicesMap, snapshot: readonly ServiceStatus[]): ServicesMap {
  const next: Record<string, ServiceStatus> = {};
  for (const status of snapshot) next[status.id] = pick(current[status.id], status);
  const currentIds = Object.keys(current);
  const nextIds = Object.keys(next);
  const unchanged =
    currentIds.length === nextIds.length && nextIds.every((id, i) => currentIds[i] === id && next[id] === current[id]);
  return unchanged ? current : next;
}
