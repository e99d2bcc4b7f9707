import { Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { ModelUsage } from '../../../services/contract';
import { formatDateTime, formatClock } from '../../components/format';
import type { AppState } from '../../store/appStore';
import { formatCount, formatMargin, formatUsd } from './money';
import classes from './ProxyPage.module.css';
import { topCustomers, topModels, type CustomerNames } from './top';
import { useThrottledStore } from './useThrottledStore';
import { EmptyRow } from '../../components/EmptyRow';

const selectRecent = (s: AppState) => s.proxy.recent;

function MoneyCell({ micro }: { micro: number }) {
  return (
    <Table.Td className={classes.numeric} title={formatUsd(micro)}>
      {formatUsd(micro, 'cents')}
    </Table.Td>
  );
}

interface ProfitRow {
  key: string;
  label: string;
  /** Hover text for the label (the customer id). */
  title?: string;
  requests: number;
  chargedMicro: number;
  profitMicro: number;
}

/** The table both panels show: who or what, requests, charged, profit, margin. */
function ProfitTable({ testId, what, rows, empty }: { testId: string; what: string; rows: readonly ProfitRow[]; empty: string }) {
  return (
    <Table.ScrollContainer minWidth={420} type="native">
      <Table verticalSpacing={6} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{what}</Table.Th>
            <Table.Th className={classes.numeric}>Requests</Table.Th>
            <Table.Th className={classes.numeric}>Charged</Table.Th>
            <Table.Th className={classes.numeric}>Profit</Table.Th>
            <Table.Th className={classes.numeric}>Margin</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <EmptyRow cols={5}>{empty}</EmptyRow>
          ) : (
            rows.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Td title={r.title} style={{ overflowWrap: 'anywhere' }}>
                  {r.label}
                </Table.Td>
                <Table.Td className={classes.numeric}>{formatCount(r.requests)}</Table.Td>
                <MoneyCell micro={r.chargedMicro} />
                <MoneyCell micro={r.profitMicro} />
                <Table.Td className={classes.numeric}>{formatMargin(r.profitMicro, r.chargedMicro)}</Table.Td>
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
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
      <ProfitTable
        testId="proxy-top-customers"
        what="Customer"
        empty="No requests yet."
        rows={top.rows.map((c) => ({ key: c.customerId, label: c.name, title: c.customerId, requests: c.requests, chargedMicro: c.chargedMicro, profitMicro: c.profitMicro }))}
      />
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
      <ProfitTable
        testId="proxy-top-models"
        what="Model"
        empty="No usage recorded yet."
        rows={rows.map((m) => ({ key: m.model, label: m.model, requests: m.requests, chargedMicro: m.chargeMicro, profitMicro: m.profitMicro }))}
      />
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
