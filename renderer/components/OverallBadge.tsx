import { Badge } from '@mantine/core';
import { useMemo } from 'react';
import { useAppStore } from '../store';
import { overallStatus } from '../store/overall';

export function OverallBadge() {
  const services = useAppStore((s) => s.services);
  const connection = useAppStore((s) => s.connection);
  const overall = useMemo(() => overallStatus(Object.values(services), connection), [services, connection]);
  return (
    <Badge
      size="lg"
      variant="dot"
      color={overall.color}
      tt="none"
      data-testid="overall-status"
      aria-label={`Overall status: ${overall.label}`}
    >
      {overall.label}
    </Badge>
  );
}
