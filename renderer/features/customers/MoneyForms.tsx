import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { CustomerView } from '../../../services/contract';
import { api } from '../../api';
import { formatSignedUsd, formatUsd } from '../../components/format';
import { ConfirmDialog } from './ConfirmDialog';
import { adjustText, creditText, type ConfirmText } from './texts';
import { parseUsdInput } from './inputs';

type Outcome = { kind: 'ok'; message: string } | { kind: 'error'; message: string } | null;

function idemKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function OutcomeAlert({ outcome, onClose, testId }: { outcome: Outcome; onClose: () => void; testId: string }) {
  if (!outcome) return null;
  return outcome.kind === 'ok' ? (
    <Alert color="teal" icon={<IconCheck aria-hidden />} role="status" withCloseButton closeButtonLabel="Dismiss" onClose={onClose} data-testid={`${testId}-done`} p="xs">
      {outcome.message}
    </Alert>
  ) : (
    <Alert color="red" icon={<IconX aria-hidden />} role="alert" withCloseButton closeButtonLabel="Dismiss" onClose={onClose} data-testid={`${testId}-error`} p="xs">
      {outcome.message}
    </Alert>
  );
}

/**
 * One money form: amount and memo, then a confirmation that says exactly what will happen,
 * then the command. The host's error, if any, is shown under this form as it came.
 */
function MoneyForm({
  kind,
  customer,
  onChanged,
}: {
  kind: 'credit' | 'adjust';
  customer: CustomerView;
  onChanged: (customer: CustomerView) => void;
}) {
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; memo?: string }>({});
  const [confirm, setConfirm] = useState<{ text: ConfirmText; usd: string; micro: bigint; memo: string; idemKey: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const credit = kind === 'credit';

  const review = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseUsdInput(amount, { signed: !credit });
    const memoError = !credit && memo.trim() === '' ? 'An adjustment needs a memo saying why.' : undefined;
    setErrors({ amount: parsed.ok ? undefined : parsed.message, memo: memoError });
    if (!parsed.ok || memoError) return;
    setOutcome(null);
    const text = credit
      ? creditText(customer.name, parsed.micro, memo, customer.availableMicro)
      : adjustText(customer.name, parsed.micro, memo, customer.availableMicro);
    setConfirm({ text, usd: parsed.usd, micro: parsed.micro, memo: memo.trim(), idemKey: idemKey() });
  };

  const send = async () => {
    if (!confirm) return;
    setBusy(true);
    const result = credit
      ? await api.invoke('customers.credit', { customerId: customer.id, usd: confirm.usd, memo: confirm.memo, idemKey: confirm.idemKey })
      : await api.invoke('customers.adjust', { customerId: customer.id, usd: confirm.usd, memo: confirm.memo });
    setBusy(false);
    setConfirm(null);
    if (!result.ok) {
      setOutcome({ kind: 'error', message: result.error.message });
      return;
    }
    const duplicate = 'duplicate' in result.value && result.value.duplicate;
    setOutcome({
      kind: 'ok',
      message: duplicate
        ? `Already recorded as transaction #${result.value.txId}; nothing was added twice.`
        : `${credit ? 'Recorded' : 'Adjusted'} ${formatSignedUsd(confirm.micro)} (transaction #${result.value.txId}). Balance now ${formatUsd(result.value.customer.availableMicro)}.`,
    });
    setAmount('');
    setMemo('');
    onChanged(result.value.customer);
  };

  const id = `${kind}-form-title`;
  return (
    <Paper withBorder p="md" radius="md" component="form" noValidate onSubmit={review} aria-labelledby={id} data-testid={`${kind}-form`}>
      <Stack gap="sm">
        <div>
          <Title order={3} size="h5" id={id}>
            {credit ? 'Money received' : 'Adjust balance'}
          </Title>
          <Text size="xs" c="dimmed">
            {credit
              ? 'Cash, bank transfer or anything paid outside the app. Adds to the balance.'
              : 'A correction or goodwill, either sign (−5 takes $5 away). Needs a memo.'}
          </Text>
        </div>
        <Group align="flex-start" gap="sm" grow wrap="nowrap">
          <TextInput
            label={credit ? 'Amount (USD)' : 'Change (USD, + or −)'}
            placeholder={credit ? '25.00' : '-2.50'}
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            error={errors.amount}
            inputMode="decimal"
            data-testid={`${kind}-amount`}
          />
          <TextInput
            label="Memo"
            placeholder={credit ? 'bank transfer' : 'why'}
            value={memo}
            onChange={(e) => setMemo(e.currentTarget.value)}
            error={errors.memo}
            required={!credit}
            maxLength={500}
            data-testid={`${kind}-memo`}
          />
        </Group>
        <Group>
          <Button type="submit" variant={credit ? 'filled' : 'outline'} data-testid={`${kind}-button`}>
            {credit ? 'Add money received…' : 'Adjust…'}
          </Button>
        </Group>
        <OutcomeAlert outcome={outcome} onClose={() => setOutcome(null)} testId={kind} />
      </Stack>
      <ConfirmDialog text={confirm?.text ?? null} busy={busy} onConfirm={() => void send()} onCancel={() => setConfirm(null)} />
    </Paper>
  );
}

export function MoneyForms({ customer, onChanged }: { customer: CustomerView; onChanged: (customer: CustomerView) => void }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <MoneyForm kind="credit" customer={customer} onChanged={onChanged} />
      <MoneyForm kind="adjust" customer={customer} onChanged={onChanged} />
    </SimpleGrid>
  );
}
