import { Alert, Autocomplete, Badge, Button, Collapse, Group, Paper, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconCheck, IconGift, IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { AllowanceView, CustomerView } from '../../../services/contract';
import { api } from '../../api';
import { formatCount, formatDate, formatDateTime } from '../../components/format';
import classes from './customers.module.css';
import { ConfirmDialog } from './ConfirmDialog';
import { parseWholeNumber } from './inputs';
import { grantText, type ConfirmText } from './texts';
import { EmptyRow } from '../../components/EmptyRow';

function GrantForm({ customer, models, onGranted }: { customer: CustomerView; models: string[]; onGranted: (allowances: AllowanceView[]) => void }) {
  const [model, setModel] = useState('');
  const [tokens, setTokens] = useState('');
  const [days, setDays] = useState('');
  const [memo, setMemo] = useState('');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [confirm, setConfirm] = useState<{ text: ConfirmText; tokens: number; days: number | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);

  const review = (e: FormEvent) => {
    e.preventDefault();
    const t = parseWholeNumber(tokens, 'the tokens', 1_000_000_000_000);
    const d = days.trim() === '' ? ({ ok: true, value: null } as const) : parseWholeNumber(days, 'the days', 3650);
    const next = {
      model: model.trim() ? undefined : 'Choose the model the tokens are for.',
      tokens: t.ok ? undefined : t.message,
      days: d.ok ? undefined : d.message,
      memo: memo.trim() ? undefined : 'A grant needs a memo saying why.',
    };
    setErrors(next);
    if (!t.ok || !d.ok || next.model || next.memo) return;
    setOutcome(null);
    setConfirm({ text: grantText(customer.name, model.trim(), t.value, d.value, memo), tokens: t.value, days: d.value });
  };

  const send = async () => {
    if (!confirm) return;
    setBusy(true);
    const result = await api.invoke('allowances.grant', { customerId: customer.id, model: model.trim(), tokens: confirm.tokens, validityDays: confirm.days, memo: memo.trim() });
    setBusy(false);
    setConfirm(null);
    if (!result.ok) {
      setOutcome({ ok: false, message: result.error.message });
      return;
    }
    setOutcome({ ok: true, message: `Granted ${formatCount(confirm.tokens)} tokens of ${model.trim()}.` });
    setTokens('');
    setMemo('');
    onGranted(result.value.allowances);
  };

  return (
    <form noValidate onSubmit={review} aria-label="Grant tokens" data-testid="grant-form">
      <Stack gap="sm">
        <Group align="flex-start" gap="sm" grow>
          <Autocomplete label="Model" placeholder="openai/gpt-4o-mini" data={models} value={model} onChange={setModel} error={errors.model} data-testid="grant-model" />
          <TextInput label="Tokens" placeholder="1,000,000" value={tokens} onChange={(e) => setTokens(e.currentTarget.value)} error={errors.tokens} inputMode="numeric" data-testid="grant-tokens" />
        </Group>
        <Group align="flex-start" gap="sm" grow>
          <TextInput label="Valid for (days)" description="Empty: no expiry" value={days} onChange={(e) => setDays(e.currentTarget.value)} error={errors.days} inputMode="numeric" />
          <TextInput label="Memo" description="Why (audit trail)" value={memo} onChange={(e) => setMemo(e.currentTarget.value)} error={errors.memo} required maxLength={500} data-testid="grant-memo" />
        </Group>
        <Group>
          <Button type="submit" variant="light" data-testid="grant-button">
            Grant…
          </Button>
        </Group>
        {outcome ? (
          <Alert color={outcome.ok ? 'teal' : 'red'} icon={outcome.ok ? <IconCheck aria-hidden /> : <IconX aria-hidden />} role={outcome.ok ? 'status' : 'alert'} p="xs" withCloseButton closeButtonLabel="Dismiss" onClose={() => setOutcome(null)} data-testid={outcome.ok ? 'grant-done' : 'grant-error'}>
            {outcome.message}
          </Alert>
        ) : null}
      </Stack>
      <ConfirmDialog text={confirm?.text ?? null} busy={busy} onConfirm={() => void send()} onCancel={() => setConfirm(null)} />
    </form>
  );
}

function AllowanceRow({ a }: { a: AllowanceView }) {
  const share = a.grantedTokens > 0 ? Math.min(100, (a.remainingTokens / a.grantedTokens) * 100) : 0;
  return (
    <Table.Tr data-testid="allowance-row" data-expired={a.expired || undefined} style={a.expired ? { opacity: 0.6 } : undefined}>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>{a.model}</Table.Td>
      <Table.Td miw={170}>
        <Text size="sm" className={classes.numeric} ta="left">
          {formatCount(a.remainingTokens)} / {formatCount(a.grantedTokens)}
        </Text>
        <Progress value={share} size="sm" mt={4} aria-label={`${Math.floor(share)} % left`} color={a.expired ? 'gray' : undefined} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {a.expired ? (
          <Badge color="gray" variant="light">
            expired
          </Badge>
        ) : a.expiresAt ? (
          <Text size="sm" title={formatDateTime(a.expiresAt)}>
            {formatDate(a.expiresAt)}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            no expiry
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Token allowances (from packages or the owner's grants): remaining of granted, expiry; and the grant form. */
export function AllowancesPanel({ customer, allowances, models, onGranted }: { customer: CustomerView; allowances: readonly AllowanceView[]; models: string[]; onGranted: (a: AllowanceView[]) => void }) {
  const [open, setOpen] = useState(false);
  const sorted = [...allowances].sort((a, b) => Number(a.expired) - Number(b.expired) || a.model.localeCompare(b.model));
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="allowances-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="allowances-title">
          Allowances
        </Title>
        <Button size="xs" variant="subtle" leftSection={<IconGift size={14} aria-hidden />} onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="grant-toggle">
          {open ? 'Hide grant form' : 'Grant tokens'}
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={420} type="native">
        <Table verticalSpacing={6} data-testid="allowances-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Model</Table.Th>
              <Table.Th>Remaining / granted</Table.Th>
              <Table.Th>Expires</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.length === 0 ? (
              <EmptyRow cols={3}>No allowances. A token package or a grant adds one.</EmptyRow>
            ) : (
              sorted.map((a) => <AllowanceRow key={a.lotId} a={a} />)
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Collapse expanded={open}>
        <Paper p="sm" mt="sm" radius="md" bg="var(--mantine-color-default-hover)">
          {open ? <GrantForm customer={customer} models={models} onGranted={onGranted} /> : null}
        </Paper>
      </Collapse>
    </Paper>
  );
}
