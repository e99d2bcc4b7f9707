import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useRef } from 'react';
import type { InvoiceView } from '../../../services/contract';
import { formatAssetAmount, paidPercent } from './amounts';
import classes from './invoices.module.css';
import { FLAG_COLOR, FLAG_HELP, STATUS_COLOR, STATUS_LABEL } from './texts';

export function InvoiceStatusBadge({ status }: { status: InvoiceView['status'] }) {
  return (
    // The label never shrinks into an ellipsis: the table column takes its full width.
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid="invoice-status" data-status={status} miw={96} styles={{ label: { overflow: 'visible' } }}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function InvoiceFlags({ flags }: { flags: readonly string[] }) {
  if (flags.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap" data-testid="invoice-flags">
      {flags.map((flag) => (
        <Tooltip key={flag} label={FLAG_HELP[flag] ?? flag} multiline w={260} withArrow>
          <Badge size="sm" variant="outline" color={FLAG_COLOR[flag] ?? 'gray'} tabIndex={0} data-flag={flag}>
            {flag}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}

/**
 * Confirmations, flashing briefly each time the number changes after the first render (the
 * span is keyed by it, so a new value is a new element and its animation runs once).
 */
export function Confirmations({ invoice }: { invoice: Pick<InvoiceView, 'confirmations' | 'method' | 'paidBase'> }) {
  const first = useRef(invoice.confirmations);
  const changed = invoice.confirmations !== first.current;
  if (invoice.method === 'stars') return <Text span size="sm" c="dimmed" data-testid="invoice-confirmations">—</Text>;
  const none = invoice.paidBase === '0' && invoice.confirmations === 0;
  return (
    <span key={invoice.confirmations} className={changed ? `${classes.confirmations} ${classes.flash}` : classes.confirmations} data-testid="invoice-confirmations" data-confirmations={invoice.confirmations}>
      {none ? '—' : invoice.confirmations}
    </span>
  );
}

/** What was paid in the asset, and its share of what is due. */
export function Paid({ invoice }: { invoice: Pick<InvoiceView, 'paidBase' | 'amountBase' | 'decimals' | 'asset'> }) {
  if (invoice.paidBase === '0') return <Text span size="sm" c="dimmed">nothing yet</Text>;
  const pct = paidPercent(invoice);
  return (
    <span title={`${pct} % of ${formatAssetAmount(invoice.amountBase, invoice.decimals, invoice.asset)}`}>
      {formatAssetAmount(invoice.paidBase, invoice.decimals, invoice.asset)}
      <Text span size="xs" c={pct < 100 ? 'orange' : 'dimmed'} ml={4}>
        ({pct} %)
      </Text>
    </span>
  );
}
