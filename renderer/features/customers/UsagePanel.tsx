import { Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { ModelUsage, RequestView } from '../../../services/contract';
import { formatClock, formatCount, formatDate, formatDateTime, formatUsd } from '../../components/format';
import classes from './customers.module.css';
import { buildUsageChart } from './usage-chart';
import { EmptyRow } from '../../components/EmptyRow';

/** Bar geometry in SVG units; the SVG stretches to the panel's width (horizontally only). */
const BAR_W = 1000;
const BAR_H = 12;

/**
 * Charged per model, all time: cost (grey) + profit (teal) = what the customer paid. Labels are
 * HTML (they keep their size at any width); each bar is a small SVG stretched to the width.
 */
function UsageBars({ usage }: { usage: readonly ModelUsage[] }) {
  const chart = useMemo(() => buildUsageChart(usage), [usage]);
  if (chart.bars.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No usage recorded yet.
      </Text>
    );
  }
  return (
    <>
      <div role="img" aria-label={chart.summary} data-testid="usage-chart" className={classes.barChart}>
        {chart.bars.map((b) => (
          <div key={b.model} aria-hidden>
            <div className={classes.barHead}>
              <span className={classes.barLabel}>{b.model}</span>
              <span className={classes.barValue}>{b.label}</span>
            </div>
            <svg viewBox={`0 0 ${BAR_W} ${BAR_H}`} preserveAspectRatio="none" className={classes.bar}>
              <rect x={0} y={0} width={BAR_W} height={BAR_H} className={classes.barTrack} />
              <rect x={0} y={0} width={Math.max(2, b.chargeShare * BAR_W)} height={BAR_H} className={classes.barProfit} />
              <rect x={0} y={0} width={b.costShare * BAR_W} height={BAR_H} className={classes.barCost} />
            </svg>
          </div>
        ))}
      </div>
      <Text size="xs" c="dimmed" mt={6}>
        <span className={`${classes.swatch} ${classes.swatchCost}`} aria-hidden />
        upstream cost
        <span className={`${classes.swatch} ${classes.swatchProfit}`} aria-hidden style={{ marginLeft: '1em' }} />
        profit · bar length = charged
        {chart.others.models > 0 ? ` · ${chart.others.models} more models: ${formatUsd(chart.others.chargeMicro, 'cents')}` : ''}
      </Text>
    </>
  );
}

function ModelTable({ usage }: { usage: readonly ModelUsage[] }) {
  const rows = useMemo(() => [...usage].sort((a, b) => b.chargeMicro - a.chargeMicro), [usage]);
  return (
    <Table.ScrollContainer minWidth={520} type="native">
      <Table verticalSpacing={6} data-testid="usage-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Model</Table.Th>
            <Table.Th className={classes.numeric}>Requests</Table.Th>
            <Table.Th className={classes.numeric}>Tokens in → out</Table.Th>
            <Table.Th className={classes.numeric}>Charged</Table.Th>
            <Table.Th className={classes.numeric}>Profit</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <EmptyRow cols={5}>No requests yet.</EmptyRow>
          ) : (
            rows.map((u) => (
              <Table.Tr key={u.model}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{u.model}</Table.Td>
                <Table.Td className={classes.numeric}>{formatCount(u.requests)}</Table.Td>
                <Table.Td className={classes.numeric}>
                  {formatCount(u.promptTokens)} → {formatCount(u.completionTokens)}
                </Table.Td>
                <Table.Td className={classes.numeric} title={formatUsd(u.chargeMicro)}>
                  {formatUsd(u.chargeMicro, 'cents')}
                </Table.Td>
                <Table.Td className={classes.numeric} title={`upstream cost ${formatUsd(u.upstreamCostMicro)}`}>
                  {formatUsd(u.profitMicro, 'cents')}
                </Table.Td>
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Per-model usage, all time: a bar chart and the exact table. */
export function UsagePanel({ usage }: { usage: readonly ModelUsage[] }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="usage-title">
      <Title order={2} size="h4" id="usage-title">
        Usage by model
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        All time, from the ledger of metered requests
      </Text>
      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="lg">
        <div>
          <UsageBars usage={usage} />
        </div>
        <ModelTable usage={usage} />
      </SimpleGrid>
    </Paper>
  );
}

/** The customer's last requests, newest first (as many as customers.get returns). */
export function RecentRequests({ recent }: { recent: readonly RequestView[] }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="recent-title">
      <Title order={2} size="h4" id="recent-title">
        Last requests
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        The {recent.length} most recent
      </Text>
      <Table.ScrollContainer minWidth={520} type="native">
        <Table verticalSpacing={4} data-testid="recent-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Model</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th className={classes.numeric}>Tokens</Table.Th>
              <Table.Th className={classes.numeric}>Charged</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {recent.length === 0 ? (
              <EmptyRow cols={5}>No requests yet.</EmptyRow>
            ) : (
              recent.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={r.at} title={formatDateTime(r.at)}>
                      {formatDate(r.at)} {formatClock(r.at)}
                    </time>
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{r.model}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={r.outcome === 'ok' ? undefined : 'red'}>
                      {r.status} {r.outcome}
                    </Text>
                  </Table.Td>
                  <Table.Td className={classes.numeric}>
                    {formatCount(r.promptTokens)} → {formatCount(r.completionTokens)}
                    {r.allowanceTokens > 0 ? (
                      <Text size="xs" c="dimmed">
                        {formatCount(r.allowanceTokens)} from allowance
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td className={classes.numeric}>{formatUsd(r.chargeMicro)}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
