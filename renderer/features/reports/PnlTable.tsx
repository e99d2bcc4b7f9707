import { Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useEffect, useMemo, type ReactNode } from 'react';
import type { PnlFigures } from '../../../services/contract';
import { formatCount, formatUsd } from '../../components/format';
import { formatMargin } from '../proxy/money';
import classes from './reports.module.css';
import { EmptyRow } from '../../components/EmptyRow';

/** A download link for `csv`, made from a Blob (its object URL is released when the text changes). */
export function CsvLink({ csv, fileName, testId }: { csv: string; fileName: string; testId: string }) {
  const url = useMemo(() => URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' })), [csv]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <Button component="a" href={url} download={fileName} size="xs" variant="light" leftSection={<IconDownload size={14} aria-hidden />} data-testid={testId}>
      Download CSV
    </Button>
  );
}

export interface PnlTableRow extends PnlFigures {
  key: string;
  label: ReactNode;
  title?: string;
  href?: string;
}

function Money({ micro, strong }: { micro: number; strong?: boolean }) {
  return (
    <Table.Td className={classes.numeric} title={formatUsd(micro)}>
      <Text size="sm" fw={strong ? 600 : undefined} c={micro < 0 ? 'red' : undefined}>
        {formatUsd(micro, 'cents')}
      </Text>
    </Table.Td>
  );
}

function Figures({ f, strong }: { f: PnlFigures; strong?: boolean }) {
  return (
    <>
      <Money micro={f.revenueMicro} strong={strong} />
      <Money micro={f.packageRevenueMicro} />
      <Money micro={f.usageRevenueMicro} />
      <Money micro={f.upstreamCostMicro} strong={strong} />
      <Money micro={f.profitMicro} strong={strong} />
      <Table.Td className={classes.numeric}>{formatMargin(f.profitMicro, f.revenueMicro)}</Table.Td>
      <Table.Td className={classes.numeric}>{formatCount(f.requests)}</Table.Td>
      <Table.Td className={classes.numeric}>{formatCount(f.sales)}</Table.Td>
    </>
  );
}

/** One report table (periods or a breakdown) with its total line and its CSV link. */
export function PnlTable(props: {
  title: string;
  description?: ReactNode;
  keyHeader: string;
  rows: readonly PnlTableRow[];
  totals: PnlFigures;
  csv: string;
  fileName: string;
  testId: string;
  empty: string;
}) {
  const { title, description, keyHeader, rows, totals, csv, fileName, testId, empty } = props;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div style={{ flex: 1 }}>
            <Title order={2} size="h4">
              {title}
            </Title>
            {description ? (
              <Text size="xs" c="dimmed" mt={2}>
                {description}
              </Text>
            ) : null}
          </div>
          <CsvLink csv={csv} fileName={fileName} testId={`${testId}-csv`} />
        </Group>
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing={6} striped highlightOnHover withTableBorder tabularNums data-testid={testId} aria-label={title}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th miw={190}>{keyHeader}</Table.Th>
                <Table.Th className={classes.numeric}>Revenue</Table.Th>
                <Table.Th className={classes.numeric} title="Revenue from package sales">
                  Packages
                </Table.Th>
                <Table.Th className={classes.numeric} title="Revenue from per-request charges">
                  Per-request
                </Table.Th>
                <Table.Th className={classes.numeric}>Upstream cost</Table.Th>
                <Table.Th className={classes.numeric}>Profit</Table.Th>
                <Table.Th className={classes.numeric}>Margin</Table.Th>
                <Table.Th className={classes.numeric}>Requests</Table.Th>
                <Table.Th className={classes.numeric}>Sales</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length === 0 ? (
                <EmptyRow cols={9}>{empty}</EmptyRow>
              ) : (
                rows.map((r) => (
                  <Table.Tr key={r.key} data-testid={`${testId}-row`} data-key={r.key}>
                    <Table.Td title={r.title}>
                      {r.href ? (
                        <Anchor href={r.href} size="sm">
                          {r.label}
                        </Anchor>
                      ) : (
                        <Text size="sm">{r.label}</Text>
                      )}
                    </Table.Td>
                    <Figures f={r} />
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr data-testid={`${testId}-total`}>
                <Table.Th>Total</Table.Th>
                <Figures f={totals} strong />
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Paper>
  );
}
