import { Anchor, Paper, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { formatDate, formatDateTime, formatUsd } from '../../components/format';
import { hrefFor } from '../../router/routes';
import { useAppStore } from '../../store';
import { listInvoices } from '../../store/invoices';
import { formatAssetAmount, methodLabel } from '../invoices/amounts';
import { Confirmations, InvoiceFlags, InvoiceStatusBadge } from '../invoices/InvoiceBadges';
import classes from './customers.module.css';
import { EmptyRow } from '../../components/EmptyRow';

/** The customer's invoices, live from the store (seeded by customers.get, moved by invoice.changed). */
export function CustomerInvoices({ customerId }: { customerId: string }) {
  const byId = useAppStore((s) => s.invoices.byId);
  const invoices = useMemo(() => listInvoices(byId, { status: null, customerId }), [byId, customerId]);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="customer-invoices-title">
      <Title order={2} size="h4" id="customer-invoices-title" mb="xs">
        Invoices
      </Title>
      <Table.ScrollContainer minWidth={560} type="native">
        <Table verticalSpacing={6} data-testid="customer-invoices">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Invoice</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Method</Table.Th>
              <Table.Th className={classes.numeric}>Amount</Table.Th>
              <Table.Th className={classes.numeric}>Conf.</Table.Th>
              <Table.Th>Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invoices.length === 0 ? (
              <EmptyRow cols={6}>No invoices. They appear when the customer buys in the shop bot.</EmptyRow>
            ) : (
              invoices.map((inv) => (
                <Table.Tr key={inv.id} data-testid="customer-invoice-row" data-invoice-id={inv.id}>
                  <Table.Td>
                    <Anchor href={hrefFor('invoices', inv.id)} size="sm" ff="monospace">
                      {inv.id}
                    </Anchor>
                    <InvoiceFlags flags={inv.flags} />
                  </Table.Td>
                  <Table.Td>
                    <InvoiceStatusBadge status={inv.status} />
                  </Table.Td>
                  <Table.Td>{methodLabel(inv.method)}</Table.Td>
                  <Table.Td className={classes.numeric}>
                    {formatUsd(inv.usdMicro)}
                    <Text size="xs" c="dimmed">
                      {formatAssetAmount(inv.amountBase, inv.decimals, inv.asset)}
                    </Text>
                  </Table.Td>
                  <Table.Td className={classes.numeric}>
                    <Confirmations invoice={inv} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm" title={formatDateTime(inv.createdAt)}>
                      {formatDate(inv.createdAt)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
