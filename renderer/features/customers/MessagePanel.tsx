import { Alert, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconCheck, IconSend, IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { CustomerView } from '../../../services/contract';
import { api } from '../../api';

type Outcome = { kind: 'ok'; message: string } | { kind: 'error'; message: string } | null;

const MAX = 3500;

/** Write to the customer in Telegram through the shop bot (`customers.message`). */
export function MessagePanel({ customer }: { customer: CustomerView }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const noChat = customer.telegramId === null;

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) {
      setError('Write a message.');
      return;
    }
    setError(null);
    setOutcome(null);
    setBusy(true);
    const result = await api.invoke('customers.message', { customerId: customer.id, text: text.trim() });
    setBusy(false);
    if (!result.ok) {
      setOutcome({ kind: 'error', message: `Not sent: ${result.error.message}` });
      return;
    }
    if (!result.value.delivered) {
      setOutcome({ kind: 'error', message: `Not delivered: ${result.value.reason ?? 'Telegram did not take it'}.` });
      return;
    }
    setOutcome({ kind: 'ok', message: `Delivered to ${customer.name} in Telegram.` });
    setText('');
  };

  return (
    <Paper withBorder p="md" radius="md" component="form" noValidate onSubmit={(e: FormEvent) => void send(e)} aria-labelledby="message-title" data-testid="message-form">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h5" id="message-title">
            Message in Telegram
          </Title>
          <Text size="xs" c="dimmed">
            {noChat ? `${customer.name} has no Telegram id, so the shop bot cannot write to them.` : `Sent by the shop bot to ${customer.name}'s chat, headed “Message from the shop”.`}
          </Text>
        </div>
        <Textarea
          label="Message"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={error}
          autosize
          minRows={2}
          maxRows={8}
          maxLength={MAX}
          disabled={noChat}
          data-testid="message-text"
        />
        <Group justify="space-between">
          <Button type="submit" leftSection={<IconSend size={16} aria-hidden />} loading={busy} disabled={noChat} data-testid="message-send">
            Send
          </Button>
          <Text size="xs" c="dimmed">
            {text.length} / {MAX}
          </Text>
        </Group>
        {outcome ? (
          <Alert
            color={outcome.kind === 'ok' ? 'teal' : 'red'}
            icon={outcome.kind === 'ok' ? <IconCheck aria-hidden /> : <IconX aria-hidden />}
            role={outcome.kind === 'ok' ? 'status' : 'alert'}
            withCloseButton
            closeButtonLabel="Dismiss"
            onClose={() => setOutcome(null)}
            p="xs"
            data-testid={outcome.kind === 'ok' ? 'message-done' : 'message-error'}
          >
            {outcome.message}
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}
