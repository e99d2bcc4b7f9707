import { Alert, Anchor, Badge, Button, Code, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconSend, IconX } from '@tabler/icons-react';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { TicketView } from '../../../services/contract';
import { api } from '../../api';
import { formatAgo, formatDateTime } from '../../components/format';
import { useNow } from '../../components/useNow';
import { hrefFor } from '../../router/routes';
import { appStore } from '../../store';
import { awaitsReply } from '../../store/support';
import { deliveryText } from './texts';
import classes from './support.module.css';

type Sent = { delivered: boolean; text: string } | { error: string } | null;

function Conversation({ ticket }: { ticket: TicketView }) {
  const box = useRef<HTMLDivElement>(null);
  const now = useNow();
  const count = ticket.messages.length;
  // New messages scroll into view.
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);
  return (
    <div className={classes.conversation} ref={box} role="log" aria-label="Conversation" tabIndex={0} data-testid="ticket-conversation">
      {ticket.messages.length === 0 ? (
        <Text size="sm" c="dimmed">
          No messages.
        </Text>
      ) : (
        ticket.messages.map((m, i) => (
          <div key={i} className={classes.message} data-author={m.author} data-testid="ticket-message">
            <Text size="xs" c="dimmed" mb={2}>
              {m.author === 'owner' ? 'You' : ticket.customerName} ·{' '}
              <time dateTime={m.at} title={formatDateTime(m.at)}>
                {formatAgo(m.at, now)}
              </time>
            </Text>
            <Text size="sm">{m.text}</Text>
          </div>
        ))
      )}
    </div>
  );
}

/** One ticket: the conversation, a reply box (Ctrl+Enter sends) and Close. */
export function TicketPanel({ ticket }: { ticket: TicketView }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [closing, setClosing] = useState(false);
  const [sent, setSent] = useState<Sent>(null);
  const [closeError, setCloseError] = useState<string | null>(null);

  const send = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!text.trim() || sending) return;
    setSending(true);
    setSent(null);
    const result = await api.invoke('support.reply', { ticketId: ticket.id, text: text.trim() });
    setSending(false);
    if (!result.ok) {
      setSent({ error: result.error.message });
      return;
    }
    appStore.getState().putTicket(result.value.ticket);
    setSent({ delivered: result.value.delivered, text: deliveryText(result.value.delivered, ticket, result.value.reason) });
    setText('');
  };

  const close = async () => {
    setClosing(true);
    setCloseError(null);
    setSent(null);
    const result = await api.invoke('support.close', { ticketId: ticket.id });
    setClosing(false);
    if (!result.ok) setCloseError(result.error.message);
    else appStore.getState().putTicket(result.value.ticket);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
  };

  const open = ticket.status === 'open';
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="ticket-title" data-testid="ticket-view" data-ticket-id={ticket.id}>
      <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
        <div>
          <Group gap="xs">
            <Title order={2} size="h4" id="ticket-title">
              {ticket.customerName}
            </Title>
            <Badge color={open ? (awaitsReply(ticket) ? 'orange' : 'teal') : 'gray'} variant="light" data-testid="ticket-status">
              {open ? (awaitsReply(ticket) ? 'awaiting reply' : 'open') : 'closed'}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            <Anchor href={hrefFor('customers', ticket.customerId)} size="xs">
              customer page
            </Anchor>{' '}
            · Telegram {ticket.telegramId === null ? 'unknown' : <Code fz="xs">{ticket.telegramId}</Code>} · opened{' '}
            <time dateTime={ticket.createdAt}>{formatDateTime(ticket.createdAt)}</time>
            {ticket.closedAt ? (
              <>
                {' '}
                · closed <time dateTime={ticket.closedAt}>{formatDateTime(ticket.closedAt)}</time>
              </>
            ) : null}{' '}
            · <span className={classes.mono}>{ticket.id}</span>
          </Text>
        </div>
        {open ? (
          <Button variant="default" size="xs" onClick={() => void close()} loading={closing} data-testid="ticket-close">
            Close ticket
          </Button>
        ) : null}
      </Group>
      {closeError ? (
        <Alert color="red" icon={<IconX aria-hidden />} role="alert" p="xs" mb="sm" data-testid="ticket-close-error">
          {closeError}
        </Alert>
      ) : null}
      <Conversation ticket={ticket} />
      {open ? (
        <form noValidate onSubmit={(e) => void send(e)} aria-label="Reply">
          <Stack gap="xs" mt="sm">
            <Textarea
              label="Reply"
              description={ticket.telegramId === null ? 'This customer has no Telegram id: the reply is kept in the ticket only.' : 'Sent to the customer’s Telegram chat by the shop bot. Ctrl+Enter sends.'}
              placeholder="Write a reply…"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              onKeyDown={onKeyDown}
              autosize
              minRows={3}
              maxRows={10}
              maxLength={4000}
              data-testid="ticket-reply"
            />
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                {text.length > 3500 ? `${4000 - text.length} characters left` : ''}
              </Text>
              <Button type="submit" leftSection={<IconSend size={16} aria-hidden />} loading={sending} disabled={!text.trim()} data-testid="ticket-send">
                Send
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Text size="sm" c="dimmed" mt="sm">
          This ticket is closed. The customer opens a new one by writing to the bot again.
        </Text>
      )}
      {sent ? (
        'error' in sent ? (
          <Alert color="red" icon={<IconX aria-hidden />} role="alert" p="xs" mt="sm" data-testid="ticket-send-error">
            {sent.error}
          </Alert>
        ) : (
          <Alert
            color={sent.delivered ? 'teal' : 'orange'}
            icon={sent.delivered ? <IconCheck aria-hidden /> : <IconAlertTriangle aria-hidden />}
            role="status"
            p="xs"
            mt="sm"
            withCloseButton
            closeButtonLabel="Dismiss"
            onClose={() => setSent(null)}
            data-testid="ticket-delivery"
            data-delivered={sent.delivered}
          >
            {sent.text}
          </Alert>
        )
      ) : null}
    </Paper>
  );
}
