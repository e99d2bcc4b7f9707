import { Paper, Table, Text, Title } from '@mantine/core';
import type { LedgerTxView } from '../../../services/contract';
import { formatClock, formatDate, formatDateTime, formatSignedUsd } from '../../components/format';
import classes from './customers.module.css';
import { EmptyRow } from '../../components/EmptyRow';

/** The customer's ledger transactions, newest first: what changed their available balance and why. */
export function LedgerPanel({ ledger }: { ledger: readonly LedgerTxView[] }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="ledger-title">
      <Title order={2} size="h4" id="ledger-title">
        Ledger history
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        Changes to the available balance, newest first (the {ledger.length} most recent)
      </Text>
      <Table.ScrollContainer minWidth={560} type="native">
        <Table verticalSpacing={4} data-testid="ledger-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Memo</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th className={classes.numeric}>Change</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ledger.length === 0 ? (
              <EmptyRow cols={5}>No transactions yet.</EmptyRow>
            ) : (
              ledger.map((t) => (
                <Table.Tr key={t.id} data-testid="ledger-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={t.at} title={formatDateTime(t.at)}>
                      {formatDate(t.at)} {formatClock(t.at)}
                    </time>
                  </Table.Td>
                  <Table.Td>{t.kind}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{t.memo || <Text span size="sm" c="dimmed">—</Text>}</Table.Td>
                  <Table.Td>{t.actor}</Table.Td>
                  <Table.Td className={classes.numeric}>
                    <Text span size="sm" c={t.availableChangeMicro < 0 ? 'red' : t.availableChangeMicro > 0 ? 'teal' : 'dimmed'} fw={500}>
                      {formatSignedUsd(t.availableChangeMicro)}
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
