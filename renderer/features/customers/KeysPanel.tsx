import { Alert, Badge, Button, Code, Collapse, Group, Paper, Stack, Table, TagsInput, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { IconKey, IconRefresh, IconTrash, IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { CustomerView, KeyView } from '../../../services/contract';
import { api } from '../../api';
import { formatDate, formatDateTime } from '../../components/format';
import { parseWholeNumber } from './inputs';
import { ConfirmDialog } from './ConfirmDialog';
import { NewKeyModal, type NewKey } from './NewKeyModal';
import { describeLimits, revokeText, rotateText, type ConfirmText } from './texts';
import { EmptyRow } from '../../components/EmptyRow';

const STATUS_COLOR: Record<KeyView['status'], string> = { active: 'teal', revoked: 'red', expired: 'gray' };

function IssueForm({ customer, models, onIssued }: { customer: CustomerView; models: string[]; onIssued: (key: NewKey) => void }) {
  const [allowed, setAllowed] = useState<string[]>([]);
  const [rpm, setRpm] = useState('');
  const [days, setDays] = useState('');
  const [label, setLabel] = useState('');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = rpm.trim() === '' ? null : parseWholeNumber(rpm, 'requests per minute', 1_000_000);
    const d = days.trim() === '' ? null : parseWholeNumber(days, 'the days', 3650);
    const next = { rpm: r && !r.ok ? r.message : undefined, days: d && !d.ok ? d.message : undefined };
    setErrors(next);
    if (next.rpm || next.days) return;
    setBusy(true);
    setError(null);
    const result = await api.invoke('keys.issue', {
      customerId: customer.id,
      ...(allowed.length ? { models: allowed } : {}),
      ...(r?.ok ? { rpm: r.value } : {}),
      ...(d?.ok ? { expiresDays: d.value } : {}),
      ...(label.trim() ? { label: label.trim() } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setAllowed([]);
    setRpm('');
    setDays('');
    setLabel('');
    onIssued({ key: result.value.key, hint: result.value.record.hint, customerName: customer.name, replacedHint: null });
  };

  return (
    <form noValidate onSubmit={(e) => void submit(e)} aria-label="Issue a key" data-testid="issue-key-form">
      <Stack gap="sm">
        <Group align="flex-start" gap="sm" grow>
          <TagsInput label="Models" description="Empty: every model" placeholder="Pick or type a model" data={models} value={allowed} onChange={setAllowed} clearable data-testid="issue-models" />
          <TextInput label="Label" description="Where the customer uses it" placeholder="trading bot" value={label} onChange={(e) => setLabel(e.currentTarget.value)} maxLength={100} data-testid="issue-label" />
        </Group>
        <Group align="flex-start" gap="sm" grow>
          <TextInput label="Requests per minute" description="Empty: no limit" value={rpm} onChange={(e) => setRpm(e.currentTarget.value)} error={errors.rpm} inputMode="numeric" data-testid="issue-rpm" />
          <TextInput label="Expires after (days)" description="Empty: never" value={days} onChange={(e) => setDays(e.currentTarget.value)} error={errors.days} inputMode="numeric" data-testid="issue-days" />
        </Group>
        <Group>
          <Button type="submit" loading={busy} leftSection={<IconKey size={16} aria-hidden />} data-testid="issue-key-button">
            Issue key
          </Button>
        </Group>
        {error ? (
          <Alert color="red" icon={<IconX aria-hidden />} role="alert" p="xs" data-testid="issue-key-error">
            {error}
          </Alert>
        ) : null}
      </Stack>
    </form>
  );
}

type KeyAction = { kind: 'revoke' | 'rotate'; key: KeyView; text: ConfirmText };

function KeyRow({ k, onAction }: { k: KeyView; onAction: (kind: 'revoke' | 'rotate', key: KeyView) => void }) {
  return (
    <Table.Tr data-testid="key-row" data-key-id={k.id} data-status={k.status}>
      <Table.Td>
        <Code>{k.hint}</Code>
        <Text size="xs" c="dimmed" ff="monospace">
          {k.id}
        </Text>
      </Table.Td>
      <Table.Td>{k.label || <Text span size="sm" c="dimmed">—</Text>}</Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[k.status]} variant="light">
          {k.status}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{describeLimits(k)}</Text>
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {k.allowedModels === null ? 'all models' : k.allowedModels.join(', ')}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm" title={formatDateTime(k.createdAt)}>
          {formatDate(k.createdAt)}
        </Text>
        <Text size="xs" c="dimmed">
          {k.revokedAt ? `revoked ${formatDate(k.revokedAt)}` : k.expiresAt ? `expires ${formatDate(k.expiresAt)}` : 'no expiry'}
        </Text>
      </Table.Td>
      <Table.Td>
        {k.status === 'active' ? (
          <Group gap={6} wrap="nowrap" justify="flex-end">
            <Button size="compact-sm" variant="light" leftSection={<IconRefresh size={14} aria-hidden />} onClick={() => onAction('rotate', k)} aria-label={`Rotate key ${k.hint}`} data-testid="key-rotate">
              Rotate
            </Button>
            <Button size="compact-sm" variant="light" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => onAction('revoke', k)} aria-label={`Revoke key ${k.hint}`} data-testid="key-revoke">
              Revoke
            </Button>
          </Group>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

/** API keys (never the keys themselves: only their hints), with issue, rotate and revoke. */
export function KeysPanel({ customer, keys, models, onChanged }: { customer: CustomerView; keys: readonly KeyView[]; models: string[]; onChanged: () => void }) {
  const [issuing, setIssuing] = useState(false);
  const [action, setAction] = useState<KeyAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [newKey, setNewKey] = useState<NewKey | null>(null);
  const sorted = [...keys].sort((a, b) => Number(a.status !== 'active') - Number(b.status !== 'active') || b.createdAt.localeCompare(a.createdAt));

  const ask = (kind: 'revoke' | 'rotate', key: KeyView) => {
    setError(null);
    setAction({ kind, key, text: kind === 'revoke' ? revokeText(key, customer.name) : rotateText(key, customer.name) });
  };

  const run = async () => {
    if (!action) return;
    setBusy(true);
    if (action.kind === 'revoke') {
      const result = await api.invoke('keys.revoke', { keyId: action.key.id });
      setBusy(false);
      setAction(null);
      if (!result.ok) setError(result.error.message);
    } else {
      const result = await api.invoke('keys.rotate', { keyId: action.key.id });
      setBusy(false);
      setAction(null);
      if (!result.ok) setError(result.error.message);
      else setNewKey({ key: result.value.key, hint: result.value.record.hint, customerName: customer.name, replacedHint: result.value.replaced.hint });
    }
    onChanged();
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="keys-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="keys-title">
          API keys
        </Title>
        <Button size="xs" variant={issuing ? 'subtle' : 'light'} leftSection={<IconKey size={14} aria-hidden />} onClick={() => setIssuing((o) => !o)} aria-expanded={issuing} data-testid="issue-key-toggle">
          {issuing ? 'Hide issue form' : 'Issue key'}
        </Button>
      </Group>
      <Collapse expanded={issuing}>
        <Paper p="sm" mb="sm" radius="md" bg="var(--mantine-color-default-hover)">
          {issuing ? (
            <IssueForm
              customer={customer}
              models={models}
              onIssued={(k) => {
                setIssuing(false);
                setNewKey(k);
                onChanged();
              }}
            />
          ) : null}
        </Paper>
      </Collapse>
      {error ? (
        <Alert color="red" icon={<IconX aria-hidden />} role="alert" p="xs" mb="sm" withCloseButton closeButtonLabel="Dismiss" onClose={() => setError(null)} data-testid="key-action-error">
          {error}
        </Alert>
      ) : null}
      <Table.ScrollContainer minWidth={760} type="native">
        <Table verticalSpacing={6} data-testid="keys-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Key</Table.Th>
              <Table.Th>Label</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Limits</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.length === 0 ? (
              <EmptyRow cols={6}>No keys yet. Issue one so the customer can call the proxy.</EmptyRow>
            ) : (
              sorted.map((k) => <KeyRow key={k.id} k={k} onAction={ask} />)
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmDialog text={action?.text ?? null} busy={busy} onConfirm={() => void run()} onCancel={() => setAction(null)} />
      <NewKeyModal newKey={newKey} onClose={() => setNewKey(null)} />
    </Paper>
  );
}
