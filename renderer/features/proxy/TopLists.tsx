import { Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { ModelUsage } from '../../../services/contract';
import { formatDateTime, formatClock } from '../../components/format';
import type { AppState } from '../../store/appStore';
import { formatCount, formatMargin, formatUsd } from './money';
import classes from './ProxyPage.module.css';
import { topCustomers, topModels, type CustomerNames } from './top';
import { useThrottledStore } from './useThrottledStore';

const selectRecent = (s: AppState) => s.proxy.recent;

function MoneyCell({ micro }: { micro: number }) {
  return (
    <Table.Td className={classes.numeric} title={formatUsd(micro)}>
      {formatUsd(micro, 'cents')}
    </Table.Td>
  );
}

function Empty({ cols, children }: { cols: number; children: string }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={cols}>
        <Text size="sm" c="dimmed">
          {children}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function TopCustomersPanel({ names }: { names: CustomerNames }) {
  const recent = useThrottledStore(selectRecent, 1000);
  const top = useMemo(() => topCustomers(recent, names), [recent, names]);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="proxy-top-customers" className={classes.live}>
      <Title order={2} size="h4" id="proxy-top-customers">
        Top customers by profit
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {top.oldestAt ? (
          <>
            Over the last {formatCount(top.requests)} requests (since{' '}
            <time dateTime={top.oldestAt} title={formatDateTime(top.oldestAt)}>
              {formatClock(top.oldestAt)}
            </time>
            )
          </>
        ) : (
          'Over the most recent requests'
        )}
      </Text>
      <Table.ScrollContainer minWidth={420} type="native">
        <Table verticalSpacing={6} data-testid="proxy-top-customers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Customer</Table.Th>
              <Table.Th className={classes.numeric}>Requests</Table.Th>
              <Table.Th className={classes.numeric}>Charged</Table.Th>
              <Table.Th className={classes.numeric}>Profit</Table.Th>
              <Table.Th className={classes.numeric}>Margin</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {top.rows.length === 0 ? (
              <Empty cols={5}>No requests yet.</Empty>
            ) : (
              top.rows.map((c) => (
                <Table.Tr key={c.customerId}>
                  <Table.Td title={c.customerId}>{c.name}</Table.Td>
                  <Table.Td className={classes.numeric}>{formatCount(c.requests)}</Table.Td>
                  <MoneyCell micro={c.chargedMicro} />
                  <MoneyCell micro={c.profitMicro} />
                  <Table.Td className={classes.numeric}>{formatMargin(c.profitMicro, c.chargedMicro)}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function TopModelsPanel({ byModel }: { byModel: readonly ModelUsage[] }) {
  const rows = useMemo(() => topModels(byModel), [byModel]);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="proxy-top-models">
      <Title order={2} size="h4" id="proxy-top-models">
        Top models by profit
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        All time, refreshed every 15 s
      </Text>
      <Table.ScrollContainer minWidth={420} type="native">
        <Table verticalSpacing={6} data-testid="proxy-top-models">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Model</Table.Th>
              <Table.Th className={classes.numeric}>Requests</Table.Th>
              <Table.Th className={classes.numeric}>Charged</Table.Th>
              <Table.Th className={classes.numeric}>Profit</Table.Th>
              <Table.Th className={classes.numeric}>Margin</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.length === 0 ? (
              <Empty cols={5}>No usage recorded yet.</Empty>
            ) : (
              rows.map((m) => (
                <Table.Tr key={m.model}>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{m.model}</Table.Td>
                  <Table.Td className={classes.numeric}>{formatCount(m.requests)}</Table.Td>
                  <MoneyCell micro={m.chargeMicro} />
                  <MoneyCell micro={m.profitMicro} />
                  <Table.Td className={classes.numeric}>{formatMargin(m.profitMicro, m.chargeMicro)}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

export function TopLists({ names, byModel }: { names: CustomerNames; byModel: readonly ModelUsage[] }) {
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <TopCustomersPanel names={names} />
      <TopModelsPanel byModel={byModel} />
    </SimpleGrid>
  );
}
