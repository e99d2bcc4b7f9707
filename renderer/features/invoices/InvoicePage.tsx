import { ActionIcon, Alert, Anchor, Badge, Button, Code, CopyButton, DataList, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconCheck, IconCopy, IconX } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { InvoiceView, OrderView, PaymentView } from '../../../services/contract';
import { formatDateTime, formatUsd } from '../../components/format';
import { PageTitle } from '../../components/PageTitle';
import { hrefFor } from '../../router/routes';
import { appStore } from '../../store';
import { api } from '../../api';
import { ConfirmDialog } from '../customers/ConfirmDialog';
import { formatAssetAmount, methodLabel, settleFigures } from './amounts';
import { Confirmations, InvoiceFlags, InvoiceStatusBadge, Paid } from './InvoiceBadges';
import classes from './invoices.module.css';
import { canResolve, refundRefusal, refundText, resolveText, starsAmount, type ResolveAction, type ResolveText } from './texts';
import { useCustomerNames } from './useInvoiceData';
import { useInvoiceDetail } from './useInvoiceDetail';
import { LoadError, Loading } from '../../components/LoadState';
import { EmptyRow } from '../../components/EmptyRow';

function Copyable({ value, label, testId }: { value: string; label: string; testId: string }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <Code className={classes.mono} data-testid={testId} style={{ flex: 1 }}>
        {value}
      </Code>
      <CopyButton value={value} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : `Copy ${label}`} withArrow>
            <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy ${label}`}>
              {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function When({ iso }: { iso: string | null }) {
  if (!iso) return <Text span size="sm" c="dimmed">—</Text>;
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

function Summary({ invoice, customer }: { invoice: InvoiceView; customer: string }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="invoice-summary-title">
      <Title order={2} size="h4" id="invoice-summary-title" mb="sm">
        Invoice
      </Title>
      <DataList labelWidth="130px" size="sm">
        <Item label="Customer">
          <Anchor href={hrefFor('customers', invoice.customerId)}>{customer}</Anchor>{' '}
          <Text span size="xs" c="dimmed" ff="monospace">
            {invoice.customerId}
          </Text>
        </Item>
        <Item label="Amount">
          <Text span fw={600} size="sm" data-testid="invoice-usd">
            {formatUsd(invoice.usdMicro)}
          </Text>{' '}
          = <span data-testid="invoice-asset-amount">{formatAssetAmount(invoice.amountBase, invoice.decimals, invoice.asset)}</span>
        </Item>
        <Item label="Method">{methodLabel(invoice.method)}</Item>
        <Item label="Rate (locked)">
          {invoice.rate} USD per {invoice.asset}
        </Item>
        <Item label="Paid">
          <Paid invoice={invoice} />
        </Item>
        <Item label="Confirmations">
          <Confirmations invoice={invoice} />
        </Item>
        <Item label="Created">
          <When iso={invoice.createdAt} />
        </Item>
        <Item label="Expires">
          <When iso={invoice.expiresAt} />
        </Item>
        <Item label="Settled">
          <When iso={invoice.settledAt} />
        </Item>
        {invoice.memo ? <Item label="Memo">{invoice.memo}</Item> : null}
      </DataList>
    </Paper>
  );
}

function PayTo({ invoice }: { invoice: InvoiceView }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="invoice-payto-title">
      <Title order={2} size="h4" id="invoice-payto-title" mb="sm">
        Pay to
      </Title>
      {invoice.address || invoice.uri ? (
        <Stack gap="sm">
          {invoice.address ? (
            <div>
              <Text size="xs" c="dimmed" mb={2}>
                Address
              </Text>
              <Copyable value={invoice.address} label="address" testId="invoice-address" />
            </div>
          ) : null}
          {invoice.uri ? (
            <div>
              <Text size="xs" c="dimmed" mb={2}>
                Payment URI (what the QR code holds)
              </Text>
              <Copyable value={invoice.uri} label="payment URI" testId="invoice-uri" />
            </div>
          ) : null}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {invoice.method === 'stars' ? 'Paid inside Telegram: no address.' : 'No address.'}
        </Text>
      )}
    </Paper>
  );
}

const ORDER_COLOR: Record<OrderView['status'], string> = { pending: 'blue', paid: 'yellow', delivered: 'teal', cancelled: 'gray' };

function Order({ order }: { order: OrderView }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="invoice-order-title">
      <Title order={2} size="h4" id="invoice-order-title" mb="sm">
        Order
      </Title>
      <DataList labelWidth="130px" size="sm">
        <Item label="Order">
          <Text span size="sm" ff="monospace">
            {order.id}
          </Text>
        </Item>
        <Item label="What">{order.kind === 'topup' ? 'Balance top-up' : `Package ${order.packageId ?? ''}`}</Item>
        <Item label="Price">{formatUsd(order.usdMicro)}</Item>
        <Item label="Status">
          <Badge variant="light" color={ORDER_COLOR[order.status]} data-testid="order-status">
            {order.status}
          </Badge>
        </Item>
        <Item label="Delivered">
          <When iso={order.deliveredAt} />
        </Item>
      </DataList>
    </Paper>
  );
}

const PAYMENT_COLOR: Record<PaymentView['status'], string> = { seen: 'yellow', confirmed: 'teal', vanished: 'red' };

function Payments({ invoice, payments }: { invoice: InvoiceView; payments: readonly PaymentView[] }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="invoice-payments-title">
      <Title order={2} size="h4" id="invoice-payments-title" mb="xs">
        Payments
      </Title>
      <Table.ScrollContainer minWidth={760} type="native">
        <Table verticalSpacing={6} data-testid="payments-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Outpoint / transaction</Table.Th>
              <Table.Th className={classes.numeric}>Amount</Table.Th>
              <Table.Th className={classes.numeric}>Confirmations</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Seen</Table.Th>
              <Table.Th>Confirmed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {payments.length === 0 ? (
              <EmptyRow cols={6}>No payment seen yet.</EmptyRow>
            ) : (
              payments.map((p) => (
                <Table.Tr key={p.outpoint} data-testid="payment-row" data-status={p.status}>
                  <Table.Td maw={320}>
                    <Text className={classes.mono}>{p.outpoint}</Text>
                    {p.blockNumber !== null ? (
                      <Text size="xs" c="dimmed">
                        block {p.blockNumber}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td className={classes.numeric}>{formatAssetAmount(p.amountBase, invoice.decimals, invoice.asset)}</Table.Td>
                  <Table.Td className={classes.numeric} data-testid="payment-confirmations">
                    {p.confirmations}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge variant="light" color={PAYMENT_COLOR[p.status]}>
                        {p.status}
                      </Badge>
                      {p.late ? (
                        <Badge variant="outline" color="orange" size="sm">
                          late
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <When iso={p.seenAt} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <When iso={p.confirmedAt} />
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

/** Settle or invalidate by hand: action, required memo, then a confirmation saying exactly what happens. */
function Resolve({ invoice, payments, order, customer, onResolved }: { invoice: InvoiceView; payments: readonly PaymentView[]; order: OrderView; customer: string; onResolved: () => void }) {
  const [action, setAction] = useState<ResolveAction>('settle');
  const [memo, setMemo] = useState('');
  const [memoError, setMemoError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<ResolveText | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const figures = settleFigures(invoice, payments);

  if (!canResolve(invoice)) {
    return (
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="invoice-resolve-title">
        <Title order={2} size="h4" id="invoice-resolve-title" mb="xs">
          Resolve by hand
        </Title>
        <Text size="sm" c="dimmed" data-testid="resolve-final">
          This invoice is {invoice.status}{invoice.flags.includes('resolved') ? ' (resolved by hand)' : ''}: there is nothing left to resolve.
        </Text>
      </Paper>
    );
  }

  const review = (e: FormEvent) => {
    e.preventDefault();
    if (!memo.trim()) {
      setMemoError('Say why in the memo (it goes to the audit trail).');
      return;
    }
    setMemoError(null);
    setError(null);
    setConfirm(resolveText(action, invoice, payments, order, customer, memo));
  };

  const send = async () => {
    setBusy(true);
    const result = await api.invoke('invoices.resolve', { invoiceId: invoice.id, action, memo: memo.trim() });
    setBusy(false);
    setConfirm(null);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    appStore.getState().putInvoice(result.value.invoice);
    setMemo('');
    onResolved();
  };

  return (
    <Paper withBorder p="md" radius="md" component="form" noValidate onSubmit={review} aria-labelledby="invoice-resolve-title" data-testid="resolve-form">
      <Title order={2} size="h4" id="invoice-resolve-title">
        Resolve by hand
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        For a late, short or stuck payment. Settling delivers the order; invalidating stops the invoice.
        {figures.shortfallMicro > 0n ? ` Settling now would book a shortfall of ${formatUsd(figures.shortfallMicro)}.` : ''}
      </Text>
      <Stack gap="sm">
        <SegmentedControl
          value={action}
          onChange={(v) => setAction(v as ResolveAction)}
          data={[
            { value: 'settle', label: 'Settle (deliver)' },
            { value: 'invalidate', label: 'Mark invalid' },
          ]}
          aria-label="Resolution"
          w="fit-content"
        />
        <Textarea label="Memo" description="Required: why, for the audit trail" value={memo} onChange={(e) => setMemo(e.currentTarget.value)} error={memoError} required autosize minRows={2} maxLength={500} data-testid="resolve-memo" />
        <Group>
          <Button type="submit" color={action === 'invalidate' ? 'red' : undefined} data-testid="resolve-button">
            {action === 'settle' ? 'Settle…' : 'Mark invalid…'}
          </Button>
        </Group>
        {error ? (
          <Alert color="red" icon={<IconX aria-hidden />} role="alert" p="xs" withCloseButton closeButtonLabel="Dismiss" onClose={() => setError(null)} data-testid="resolve-error">
            {error}
          </Alert>
        ) : null}
      </Stack>
      <ConfirmDialog text={confirm ? { ...confirm, danger: action === 'invalidate' } : null} busy={busy} onConfirm={() => void send()} onCancel={() => setConfirm(null)} />
    </Paper>
  );
}

/**
 * Refund a settled Stars invoice: memo, then a confirmation saying how many Stars go back to
 * whom and what the ledger reverses, then `invoices.refundStars`. Says plainly when it cannot.
 */
function RefundStars({ invoice, order, payments, onRefunded }: { invoice: InvoiceView; order: OrderView; payments: readonly PaymentView[]; onRefunded: (invoice: InvoiceView) => void }) {
  const [memo, setMemo] = useState('');
  const [memoError, setMemoError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<ResolveText | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refusal = refundRefusal(invoice);
  const refunded = invoice.flags.includes('refunded');

  if (invoice.method !== 'stars' && invoice.status !== 'settled') return null;
  if (refusal) {
    return (
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="invoice-refund-title">
        <Title order={2} size="h4" id="invoice-refund-title" mb="xs">
          Refund
        </Title>
        {refunded ? (
          <Alert color="grape" variant="light" icon={<IconCheck aria-hidden />} p="xs" data-testid="refund-state">
            Refunded: {starsAmount(invoice)} went back to the customer{invoice.memo ? ` (“${invoice.memo}”)` : ''}. The sale was reversed in the ledger.
          </Alert>
        ) : (
          <Text size="sm" c="dimmed" data-testid="refund-refused">
            {refusal}
          </Text>
        )}
      </Paper>
    );
  }

  const review = async (e: FormEvent) => {
    e.preventDefault();
    if (!memo.trim()) {
      setMemoError('Say why in the memo (it goes to the audit trail).');
      return;
    }
    setMemoError(null);
    setError(null);
    setBusy(true);
    const c = await api.invoke('customers.get', { customerId: invoice.customerId });
    setBusy(false);
    if (!c.ok) {
      setError(c.error.message);
      return;
    }
    setConfirm(refundText(invoice, order, payments, c.value.customer, memo));
  };

  const send = async () => {
    setBusy(true);
    const result = await api.invoke('invoices.refundStars', { invoiceId: invoice.id, memo: memo.trim() });
    setBusy(false);
    setConfirm(null);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    appStore.getState().putInvoice(result.value.invoice);
    setMemo('');
    onRefunded(result.value.invoice);
  };

  return (
    <Paper withBorder p="md" radius="md" component="form" noValidate onSubmit={(e: FormEvent) => void review(e)} aria-labelledby="invoice-refund-title" data-testid="refund-form">
      <Title order={2} size="h4" id="invoice-refund-title">
        Refund Stars
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        Telegram returns the {starsAmount(invoice)} to the customer, and the sale is reversed in the ledger. Once per payment.
      </Text>
      <Stack gap="sm">
        <Textarea label="Memo" description="Required: why, for the audit trail" value={memo} onChange={(e) => setMemo(e.currentTarget.value)} error={memoError} required autosize minRows={2} maxLength={500} data-testid="refund-memo" />
        <Group>
          <Button type="submit" color="red" variant="outline" loading={busy && confirm === null} data-testid="refund-button">
            Refund Stars…
          </Button>
        </Group>
        {error ? (
          <Alert color="red" icon={<IconX aria-hidden />} role="alert" p="xs" withCloseButton closeButtonLabel="Dismiss" onClose={() => setError(null)} data-testid="refund-error">
            {error}
          </Alert>
        ) : null}
      </Stack>
      <ConfirmDialog text={confirm ? { ...confirm, danger: true } : null} busy={busy} onConfirm={() => void send()} onCancel={() => setConfirm(null)} />
    </Paper>
  );
}

/** One invoice (`#/invoices/<id>`): amounts, address, order, payments (live), resolution and Stars refunds. */
export function InvoicePage({ invoiceId }: { invoiceId: string }) {
  const { invoice, detail, reload } = useInvoiceDetail(invoiceId);
  const names = useCustomerNames();
  const customer = invoice ? (names[invoice.customerId] ?? invoice.customerId) : '';
  const [resolved, setResolved] = useState(false);
  const [refundedNow, setRefundedNow] = useState<InvoiceView | null>(null);

  return (
    <Stack gap="lg">
      <div>
        <Anchor href={hrefFor('invoices')} size="sm">
          <Group gap={4} component="span" wrap="nowrap">
            <IconArrowLeft size={14} aria-hidden />
            All invoices
          </Group>
        </Anchor>
        <Group gap="sm" align="center">
          <PageTitle>Invoice {invoiceId}</PageTitle>
          {invoice ? <InvoiceStatusBadge status={invoice.status} /> : null}
        </Group>
        {invoice ? <InvoiceFlags flags={invoice.flags} /> : null}
      </div>
      {detail.state === 'loading' && !invoice ? <Loading label="Loading the invoice…" /> : null}
      {detail.state === 'error' ? (
        <LoadError
          title={detail.code === 'not_found' ? 'No such invoice' : 'Could not load the invoice'}
          message={detail.message}
          retry={detail.code === 'not_found' ? undefined : () => void reload()}
          testId="invoice-error"
        />
      ) : null}
      {resolved && invoice ? (
        <Alert color="teal" icon={<IconCheck aria-hidden />} role="status" withCloseButton closeButtonLabel="Dismiss" onClose={() => setResolved(false)} data-testid="resolve-done">
          Invoice {invoice.id} is now {invoice.status}.
        </Alert>
      ) : null}
      {refundedNow ? (
        <Alert color="teal" icon={<IconCheck aria-hidden />} role="status" withCloseButton closeButtonLabel="Dismiss" onClose={() => setRefundedNow(null)} data-testid="refund-done">
          Refunded {starsAmount(refundedNow)} to {customer} through Telegram; invoice {refundedNow.id} is marked refunded and the sale is reversed.
        </Alert>
      ) : null}
      {invoice && detail.state !== 'error' ? (
        <>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <Summary invoice={invoice} customer={customer} />
            <Stack gap="md">
              <PayTo invoice={invoice} />
              {detail.state === 'ready' ? <Order order={detail.value.order} /> : null}
            </Stack>
          </SimpleGrid>
          {detail.state === 'ready' ? (
            <>
              <Payments invoice={invoice} payments={detail.value.payments} />
              <Resolve
                invoice={invoice}
                payments={detail.value.payments}
                order={detail.value.order}
                customer={customer}
                onResolved={() => {
                  setResolved(true);
                  void reload();
                }}
              />
              <RefundStars
                invoice={invoice}
                order={detail.value.order}
                payments={detail.value.payments}
                onRefunded={(inv) => {
                  setRefundedNow(inv);
                  void reload();
                }}
              />
            </>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
