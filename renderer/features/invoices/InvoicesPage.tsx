import { Alert, Anchor, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { memo, useMemo, useState } from 'react';
import type { InvoiceView } from '../../../services/contract';
import { formatClock, formatDate, formatDateTime, formatUsd } from '../../components/format';
import { PageTitle } from '../../components/PageTitle';
import { hrefFor } from '../../router/routes';
import { useAppStore } from '../../store';
import { countByStatus, INVOICE_STATUSES, listInvoices, needsAttention, type InvoiceStatus } from '../../store/invoices';
import { formatAssetAmount, methodLabel } from './amounts';
import { Confirmations, InvoiceFlags, InvoiceStatusBadge, Paid } from './InvoiceBadges';
import classes from './invoices.module.css';
import { STATUS_LABEL } from './texts';
import { useCustomerNames, useInvoiceList, type CustomerNames } from './useInvoiceData';
import { Loading } from '../../components/LoadState';
import { EmptyRow } from '../../components/EmptyRow';

const InvoiceRow = memo(function InvoiceRow({ inv, customer }: { inv: InvoiceView; customer: string }) {
  return (
    <Table.Tr data-testid="invoice-row" data-invoice-id={inv.id} className={classes.row} data-attention={needsAttention(inv) || undefined}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={inv.createdAt} title={formatDateTime(inv.createdAt)}>
          {formatDate(inv.createdAt)}
          <Text span size="xs" c="dimmed" ml={6}>
            {formatClock(inv.createdAt)}
          </Text>
        </time>
      </Table.Td>
      <Table.Td>
        <Anchor href={hrefFor('invoices', inv.id)} size="sm" ff="monospace" data-testid="invoice-link">
          {inv.id}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Anchor href={hrefFor('customers', inv.customerId)} size="sm" title={inv.customerId}>
          {customer}
        </Anchor>
      </Table.Td>
      <Table.Td>{methodLabel(inv.method)}</Table.Td>
      <Table.Td className={classes.numeric}>
        <Text size="sm" fw={600}>
          {formatUsd(inv.usdMicro)}
        </Text>
        <Text size="xs" c="dimmed" data-testid="invoice-asset-amount">
          {formatAssetAmount(inv.amountBase, inv.decimals, inv.asset)}
        </Text>
      </Table.Td>
      <Table.Td className={classes.numeric}>
        <Paid invoice={inv} />
      </Table.Td>
      <Table.Td className={classes.numeric}>
        <Confirmations invoice={inv} />
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <InvoiceStatusBadge status={inv.status} />
          <InvoiceFlags flags={inv.flags} />
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
});

function name(names: CustomerNames, id: string): string {
  return names[id] ?? id;
}

type Filter = InvoiceStatus | 'all';

/** Every invoice, newest first: status, method, amounts exact in USD and the asset, live confirmations and flags. */
export function InvoicesPage() {
  const [filter, setFilter] = useState<Filter>('all');
  const status = filter === 'all' ? null : filter;
  const { error, loaded } = useInvoiceList(status);
  const names = useCustomerNames();
  const byId = useAppStore((s) => s.invoices.byId);
  const rows = useMemo(() => listInvoices(byId, { status, customerId: null }), [byId, status]);
  const counts = useMemo(() => countByStatus(byId), [byId]);
  const total = Object.keys(byId).length;
  const attention = useMemo(() => Object.values(byId).filter(needsAttention).length, [byId]);

  const options = [
    { value: 'all', label: `All (${total})` },
    ...INVOICE_STATUSES.map((s) => ({ value: s, label: `${STATUS_LABEL[s].charAt(0).toUpperCase()}${STATUS_LABEL[s].slice(1)} (${counts[s]})` })),
  ];

  return (
    <Stack gap="lg">
      <div>
        <PageTitle>Invoices</PageTitle>
        <Text size="sm" c="dimmed" mt={4} data-testid="invoices-summary">
          Confirmations update live.{' '}
          {attention > 0 ? `${attention} invoice${attention === 1 ? '' : 's'} flagged for your attention (marked on the left).` : 'Nothing flagged for your attention.'}
        </Text>
      </div>
      <Group justify="space-between" wrap="wrap">
        <SegmentedControl value={filter} onChange={(v) => setFilter(v as Filter)} data={options} aria-label="Filter by status" data-testid="invoices-filter" />
      </Group>
      {error ? (
        <Alert color="red" title="Could not load invoices" icon={<IconX aria-hidden />} role="alert">
          {error}
        </Alert>
      ) : null}
      {!loaded && !error ? <Loading label="Loading invoices…" /> : null}
      <Table.ScrollContainer minWidth={980}>
        <Table verticalSpacing="sm" highlightOnHover withTableBorder data-testid="invoices-table" aria-label="Invoices" tabularNums>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Created</Table.Th>
              <Table.Th>Invoice</Table.Th>
              <Table.Th>Customer</Table.Th>
              <Table.Th>Method</Table.Th>
              <Table.Th className={classes.numeric}>Amount</Table.Th>
              <Table.Th className={classes.numeric}>Paid</Table.Th>
              <Table.Th className={classes.numeric}>Confirmations</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.length === 0 ? (
              <EmptyRow cols={8}>{!loaded ? 'Loading…' : total === 0 ? 'No invoices yet. They appear when a customer buys in the shop bot.' : `No ${STATUS_LABEL[status ?? 'new']} invoices.`}</EmptyRow>
            ) : (
              rows.map((inv) => <InvoiceRow key={inv.id} inv={inv} customer={name(names, inv.customerId)} />)
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
