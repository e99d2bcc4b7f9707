import { Box, Code, Group, Table, Text } from '@mantine/core';
import { memo, useMemo } from 'react';
import type { ServiceStatus } from '../../../services/contract';
import { StateBadge } from '../../components/StateBadge';
import { formatAgo, formatDateTime } from '../../components/format';
import { useNow } from '../../components/useNow';
import { useAppStore } from '../../store';
import { describeConnectionProblem } from '../../store/connection';
import { EmptyRow } from '../../components/EmptyRow';

function Since({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatAgo(iso, now)}
    </time>
  );
}

const ServiceRow = memo(function ServiceRow({ service }: { service: ServiceStatus }) {
  const details = Object.entries(service.detail);
  return (
    <Table.Tr data-testid={`service-row-${service.id}`} data-state={service.state}>
      <Table.Td>
        <Text size="sm" fw={600}>
          {service.name}
        </Text>
        <Text size="xs" c="dimmed">
          {service.id}
        </Text>
      </Table.Td>
      <Table.Td>
        {/* A min width keeps the badge from being squeezed into "run…" by long details. */}
        <Box miw={92}>
          <StateBadge state={service.state} />
        </Box>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{service.reason || '—'}</Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">
          <Since iso={service.since} />
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ta="right">
          {service.restarts}
        </Text>
      </Table.Td>
      <Table.Td miw={200}>
        {details.length === 0 ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : (
          details.map(([key, value]) => (
            <Group key={key} gap={6} wrap="nowrap" align="baseline" miw={220}>
              <Text size="xs" c="dimmed">
                {key}
              </Text>
              <Code style={{ overflowWrap: 'anywhere' }}>{value}</Code>
            </Group>
          ))
        )}
      </Table.Td>
    </Table.Tr>
  );
});

/** One row per service; rows update live from `service.status` events. */
export function ServicesTable() {
  const servicesMap = useAppStore((s) => s.services);
  const services = useMemo(() => Object.values(servicesMap), [servicesMap]);
  const stale = useAppStore((s) => describeConnectionProblem(s.connection) !== null);
  return (
    <>
      {stale && services.length > 0 ? (
        <Text size="sm" c="dimmed" mb="xs" data-testid="services-stale">
          Last known states: they update again once the services host is back.
        </Text>
      ) : null}
      <Table.ScrollContainer minWidth={720} style={stale ? { opacity: 0.6 } : undefined}>
        <Table verticalSpacing="sm" highlightOnHover withTableBorder aria-label="Services">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Service</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Since</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Restarts</Table.Th>
              <Table.Th>Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {services.length === 0 ? (
              <EmptyRow cols={6}>No services reported yet.</EmptyRow>
            ) : (
              services.map((service) => <ServiceRow key={service.id} service={service} />)
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
