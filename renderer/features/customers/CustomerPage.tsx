import { Anchor, Code, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import type { AllowanceView, CustomerView } from '../../../services/contract';
import { formatCount, formatDate, formatDateTime, formatUsd } from '../../components/format';
import { PageTitle } from '../../components/PageTitle';
import { hrefFor } from '../../router/routes';
import { AllowancesPanel } from './AllowancesPanel';
import { CustomerInvoices } from './CustomerInvoices';
import { KeysPanel } from './KeysPanel';
import { LedgerPanel } from './LedgerPanel';
import { MessagePanel } from './MessagePanel';
import { MoneyForms } from './MoneyForms';
import { useCustomer, type CustomerProfile } from './useCustomer';
import { RecentRequests, UsagePanel } from './UsagePanel';
import { LoadError, Loading } from '../../components/LoadState';

function Figure({ label, value, testId, caption }: { label: string; value: ReactNode; testId?: string; caption?: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={700} data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {caption ? (
        <Text size="xs" c="dimmed">
          {caption}
        </Text>
      ) : null}
    </Paper>
  );
}

function BackLink() {
  return (
    <Anchor href={hrefFor('customers')} size="sm">
      <Group gap={4} component="span" wrap="nowrap">
        <IconArrowLeft size={14} aria-hidden />
        All customers
      </Group>
    </Anchor>
  );
}

/** Models worth suggesting in the key and grant forms: the ones this customer used or holds tokens of. */
function knownModels(profile: CustomerProfile): string[] {
  const set = new Set<string>();
  for (const u of profile.usage) set.add(u.model);
  for (const a of profile.allowances) set.add(a.model);
  for (const k of profile.keys) for (const m of k.allowedModels ?? []) set.add(m);
  return [...set].sort();
}

function Profile({ profile, reload }: { profile: CustomerProfile; reload: () => Promise<void> }) {
  // Answers of the money and grant commands show at once; the full profile follows with reload().
  const [customer, setCustomer] = useState<CustomerView>(profile.customer);
  const [allowances, setAllowances] = useState<readonly AllowanceView[]>(profile.allowances);
  const [seen, setSeen] = useState(profile);
  if (seen !== profile) {
    setSeen(profile);
    setCustomer(profile.customer);
    setAllowances(profile.allowances);
  }
  const models = useMemo(() => knownModels(profile), [profile]);
  const activeKeys = profile.keys.filter((k) => k.status === 'active').length;

  return (
    <>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
        <Figure label="Available balance" value={formatUsd(customer.availableMicro)} testId="customer-balance" caption="what requests can spend" />
        <Figure label="Held" value={formatUsd(customer.heldMicro)} testId="customer-held" caption="reserved for requests in flight" />
        <Figure label="Active keys" value={formatCount(activeKeys)} caption={`${formatCount(profile.keys.length)} issued in all`} />
        <Figure
          label="Telegram"
          value={customer.telegramId === null ? <Text span c="dimmed" fz={24}>none</Text> : <Code fz={18}>{customer.telegramId}</Code>}
          caption={
            <>
              customer since <time dateTime={customer.createdAt} title={formatDateTime(customer.createdAt)}>{formatDate(customer.createdAt)}</time>
            </>
          }
        />
      </SimpleGrid>

      <MoneyForms
        customer={customer}
        onChanged={(c) => {
          setCustomer(c);
          void reload();
        }}
      />

      <KeysPanel customer={customer} keys={profile.keys} models={models} onChanged={() => void reload()} />

      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
        <AllowancesPanel
          customer={customer}
          allowances={allowances}
          models={models}
          onGranted={(a) => {
            setAllowances(a);
            void reload();
          }}
        />
        <CustomerInvoices customerId={customer.id} />
      </SimpleGrid>

      <MessagePanel customer={customer} />

      <UsagePanel usage={profile.usage} />

      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
        <RecentRequests recent={profile.recent} />
        <LedgerPanel ledger={profile.ledger} />
      </SimpleGrid>
    </>
  );
}

/** One customer (`#/customers/<id>`): balance, money, keys, allowances, invoices, usage, ledger. */
export function CustomerPage({ customerId }: { customerId: string }) {
  const { load, reload } = useCustomer(customerId);
  const name = load.state === 'ready' ? load.value.customer.name : customerId;
  return (
    <Stack gap="lg">
      <div>
        <BackLink />
        <PageTitle>{name}</PageTitle>
        {load.state === 'ready' ? (
          <Text size="sm" c="dimmed" ff="monospace">
            {customerId}
          </Text>
        ) : null}
      </div>
      {load.state === 'loading' ? <Loading label="Loading the customer…" /> : null}
      {load.state === 'error' ? (
        <LoadError
          title={load.code === 'not_found' ? 'No such customer' : 'Could not load the customer'}
          message={load.message}
          retry={load.code === 'not_found' ? undefined : () => void reload()}
          testId="customer-error"
        />
      ) : null}
      {load.state === 'ready' ? <Profile profile={load.value} reload={reload} /> : null}
    </Stack>
  );
}
