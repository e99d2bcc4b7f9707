/**
 * The `connection` slice: is the services host up, and (in the browser) is the WebSocket to
 * the control server open? Plus whether the control server accepted our cookie.
 */
import type { EventPayload } from '../../services/contract';

export type HostStatus = EventPayload<'host.status'>;

/** State of the browser's event WebSocket. Under Electron it is always `open`. */
export interface LinkStatus {
  state: 'connecting' | 'open' | 'closed';
  /** Why the last connection ended, in words ("the control server is not reachable"). */
  reason: string;
  /** Failed attempts since the last successful connection (0 on the first try). */
  attempt: number;
  /** When closed: milliseconds until the next attempt. */
  retryInMs: number | null;
}

export interface ConnectionState {
  transport: 'ipc' | 'http';
  /** Last known state of the services host; null until something told us. */
  host: HostStatus | null;
  link: LinkStatus;
  auth: 'unknown' | 'ok' | 'unauthorized';
}

export function initialConnection(transport: 'ipc' | 'http'): ConnectionState {
  return {
    transport,
    host: null,
    link: { state: transport === 'ipc' ? 'open' : 'connecting', reason: '', attempt: 0, retryInMs: null },
    auth: 'unknown',
  };
}

export interface ConnectionProblem {
  title: string;
  message: string;
  severity: 'error' | 'warning';
}

function seconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return `${s} s`;
}

/** What the connection banner says, or null when all is well. */
export function describeConnectionProblem(c: ConnectionState): ConnectionProblem | null {
  if (c.auth === 'unauthorized') return null; // the full-page sign-in message takes over
  const { link } = c;
  const linkDown = link.state === 'closed' || (link.state === 'connecting' && link.attempt > 0);
  if (c.transport === 'http' && linkDown) {
    const why = link.reason || 'the connection closed';
    const next =
      link.state === 'connecting'
        ? 'Reconnecting now…'
        : link.retryInMs !== null
          ? `Reconnecting in ${seconds(link.retryInMs)}…`
          : 'Reconnecting…';
    return {
      title: 'Connection to the services host is down',
      message: `${capitalise(why)}. ${next}`,
      severity: 'error',
    };
  }
  if (c.host?.state === 'down') {
    return {
      title: 'The services host is down',
      message: c.host.reason ? capitalise(c.host.reason) : 'No reason was given.',
      severity: 'error',
    };
  }
  if (c.host?.state === 'restarting') {
    const count = c.host.restarts > 0 ? ` (restart ${c.host.restarts})` : '';
    return {
      title: 'The services host is restarting',
      message: `${c.host.reason ? capitalise(c.host.reason) : 'Restarting'}${count}.`,
      severity: 'warning',
    };
  }
  return null;
}

function capitalise(text: string): string {
  const t = text.trim().replace(/[.\s]+$/, '');
  return t.charAt(0).toUpperCase() + t.slice(1);
}
