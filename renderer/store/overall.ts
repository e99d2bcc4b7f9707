/** The one-word summary shown in the header badge. */
import type { ServiceState, ServiceStatus } from '../../services/contract';
import type { ConnectionState } from './connection';

export type BadgeColor = 'gray' | 'green' | 'yellow' | 'orange' | 'red' | 'blue';

export interface Overall {
  label: string;
  color: BadgeColor;
}

export const STATE_COLORS: Record<ServiceState, BadgeColor> = {
  off: 'gray',
  starting: 'blue',
  running: 'green',
  degraded: 'yellow',
  failed: 'red',
};

export function overallStatus(services: readonly ServiceStatus[], connection: ConnectionState): Overall {
  if (connection.auth === 'unauthorized') return { label: 'Not signed in', color: 'gray' };
  const link = connection.link;
  if (connection.transport === 'http' && (link.state === 'closed' || (link.state === 'connecting' && link.attempt > 0))) {
    return { label: 'Disconnected', color: 'red' };
  }
  if (connection.host?.state === 'down') return { label: 'Host down', color: 'red' };
  if (connection.host?.state === 'restarting') return { label: 'Restarting', color: 'orange' };
  if (services.length === 0) return { label: 'Connecting', color: 'gray' };

  const count = (state: ServiceState) => services.filter((s) => s.state === state).length;
  const failed = count('failed');
  if (failed) return { label: `${failed} failed`, color: 'red' };
  const degraded = count('degraded');
  if (degraded) return { label: `${degraded} degraded`, color: 'yellow' };
  if (count('starting')) return { label: 'Starting', color: 'blue' };
  if (count('running')) return { label: 'Running', color: 'green' };
  return { label: 'Idle', color: 'gray' };
}
