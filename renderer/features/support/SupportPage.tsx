import { Alert, Badge, Group, Loader, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconInbox, IconX } from '@tabler/icons-react';
import { memo, useMemo, useState } from 'react';
import type { TicketView } from '../../../services/contract';
import { formatAgo, formatDateTime } from '../../components/format';
import { PageTitle } from '../../components/PageTitle';
import { useNow } from '../../components/useNow';
import { hrefFor } from '../../router/routes';
import { useAppStore } from '../../store';
import { awaitsReply, countTickets, lastActivity, listTickets, type TicketFilter } from '../../store/support';
import classes from './support.module.css';
import { preview } from './texts';
import { TicketPanel } from './TicketPanel';
import { useTickets } from './useTickets';

function Ago({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatAgo(iso, now)}
    </time>
  );
}

const TicketRow = memo(function TicketRow({ ticket, selected }: { ticket: TicketView; selected: boolean }) {
  const at = lastActivity(ticket);
  const waiting = awaitsReply(ticket);
  return (
    <a
      href={hrefFor('support', ticket.id)}
      className={classes.ticket}
      aria-current={selected ? 'page' : undefined}
      data-testid="ticket-row"
      data-ticket-id={ticket.id}
      data-status={ticket.status}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={waiting ? 700 : 500} truncate>
          {ticket.customerName}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          <Ago iso={at} />
        </Text>
      </Group>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed" className={classes.preview}>
          {preview(ticket)}
        </Text>
        {waiting ? (
          <Badge size="xs" color="orange" variant="light" style={{ flexShrink: 0 }}>
            awaiting reply
          </Badge>
        ) : ticket.status === 'closed' ? (
          <Badge size="xs" color="gray" variant="light" style={{ flexShrink: 0 }}>
            closed
          </Badge>
        ) : null}
      </Group>
    </a>
  );
});

/** The support inbox (`#/support`, `#/support/<ticketId>`): open tickets first, the selected one beside. */
export function SupportPage({ ticketId }: { ticketId?: string }) {
  const [filter, setFilter] = useState<TicketFilter>('open');
  const { error, loaded } = useTickets();
  const byId = useAppStore((s) => s.support.byId);
  const tickets = useMemo(() => listTickets(byId, filter), [byId, filter]);
  const counts = useMemo(() => countTickets(byId), [byId]);
  const selected = ticketId ? (byId[ticketId] ?? null) : null;

  return (
    <Stack gap="lg">
      <div>
        <PageTitle>Support</PageTitle>
        <Text size="sm" c="dimmed" mt={4} data-testid="support-summary">
          {counts.open} open · {counts.awaiting} awaiting your reply · {counts.closed} closed
        </Text>
      </div>
      {error ? (
        <Alert color="red" title="Could not load tickets" icon={<IconX aria-hidden />} role="alert">
          {error}
        </Alert>
      ) : null}
      <div className={classes.layout}>
        <Paper withBorder radius="md" component="section" aria-label="Tickets">
          <Group p="xs" justify="space-between">
            <SegmentedControl
              size="xs"
              value={filter}
              onChange={(v) => setFilter(v as TicketFilter)}
              data={[
                { value: 'open', label: `Open (${counts.open})` },
                { value: 'closed', label: `Closed (${counts.closed})` },
                { value: 'all', label: 'All' },
              ]}
              aria-label="Show tickets"
              data-testid="tickets-filter"
            />
          </Group>
          <nav className={classes.list} aria-label="Ticket list" data-testid="tickets-list">
            {!loaded && !error ? (
              <Group gap="sm" p="sm">
                <Loader size="xs" />
                <Text size="sm">Loading tickets…</Text>
              </Group>
            ) : tickets.length === 0 ? (
              <Text size="sm" c="dimmed" p="sm">
                {filter === 'open' ? 'No open tickets. Customers open one with /support in the shop bot.' : filter === 'closed' ? 'No closed tickets.' : 'No tickets yet.'}
              </Text>
            ) : (
              tickets.map((t) => <TicketRow key={t.id} ticket={t} selected={t.id === ticketId} />)
            )}
          </nav>
        </Paper>
        <div>
          {selected ? (
            <TicketPanel key={selected.id} ticket={selected} />
          ) : (
            <Paper withBorder p="xl" radius="md" data-testid="ticket-none">
              <Stack align="center" gap="xs">
                <IconInbox size={32} stroke={1.4} aria-hidden color="var(--mantine-color-dimmed)" />
                <Text size="sm" c="dimmed" ta="center">
                  {ticketId && loaded ? `There is no ticket ${ticketId}.` : ticketId ? 'Loading the ticket…' : 'Pick a ticket on the left to read it and reply.'}
                </Text>
              </Stack>
            </Paper>
          )}
        </div>
      </div>
    </Stack>
  );
}
