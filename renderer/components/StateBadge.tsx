import { Badge } from '@mantine/core';
import type { ServiceState } from '../../services/contract';
import { STATE_COLORS } from '../store/overall';

/** A service state as a coloured badge whose text is exactly the state (`running`). */
export function StateBadge({ state }: { state: ServiceState }) {
  return (
    <Badge color={STATE_COLORS[state]} variant="light" tt="none" data-state={state}>
      {state}
    </Badge>
  );
}
