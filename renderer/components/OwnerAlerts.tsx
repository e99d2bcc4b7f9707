import '@mantine/notifications/styles.css';
import { Anchor, Text } from '@mantine/core';
import { Notifications, notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import type { OwnerAlert } from '../../services/contract';
import { api } from '../api';

const COLORS: Record<OwnerAlert['kind'], string> = { sale: 'green', ticket: 'blue', 'low-credit': 'orange', 'service-down': 'red' };

/** Keys already shown in this page (the host tells each once; this guards against a replayed batch). */
const shown = new Set<string>();

export function showOwnerAlert(alert: OwnerAlert): void {
  if (shown.has(alert.key)) return;
  shown.add(alert.key);
  notifications.show({
    id: alert.key,
    title: alert.title,
    color: COLORS[alert.kind],
    autoClose: alert.kind === 'sale' ? 8000 : false,
    'data-testid': 'owner-alert',
    'data-kind': alert.kind,
    message: (
      <>
        <Text size="sm">{alert.body}</Text>
        <Anchor href={alert.href} size="sm" onClick={() => notifications.hide(alert.key)}>
          Open
        </Anchor>
      </>
    ),
  });
}

/**
 * In the browser dashboard, the owner alerts (a sale, a new ticket, low credit, a service down)
 * the desktop app shows as native notifications appear as in-app pop-ups. Under Electron the
 * main process shows them natively, so nothing is shown here. `notifications.enabled` (host
 * side) turns both off.
 */
export function OwnerAlerts() {
  useEffect(() => {
    if (api.transport !== 'http') return;
    return api.subscribe((batch) => {
      if (batch.stream === 'owner.alert') for (const alert of batch.events) showOwnerAlert(alert);
    });
  }, []);
  return <Notifications position="top-right" limit={4} containerWidth={380} />;
}
