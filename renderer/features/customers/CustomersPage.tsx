import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconPlus, IconSearch, IconX } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { CustomerView } from '../../../services/contract';
import { api } from '../../api';
import { formatAgo, formatCount, formatDateTime, formatUsd } from '../../components/format';
import { useNow } from '../../components/useNow';
import { PageTitle } from '../../components/PageTitle';
import { hrefFor } from '../../router/routes';
import classes from './customers.module.css';
import { useInterval, useOnlineGeneration, type Loaded } from './live';
import { DEFAULT_SORT, nextSort, parseTelegramId, searchCustomers, sortCustomers, type CustomerSort, type CustomerSortKey } from './table';
import { LoadError, Loading } from '../../components/LoadState';
import { EmptyRow } from '../../components/EmptyRow';

/** Balances move with every metered request; the list is re-read this often while open. */
const REFRESH_MS = 15_000;

const COLUMNS: { key: CustomerSortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'telegramId', label: 'Telegram id' },
  { key: 'availableMicro', label: 'Balance', numeric: true },
  { key: 'heldMicro', label: 'Held', numeric: true },
  { key: 'activeKeys', label: 'Active keys', numeric: true },
  { key: 'lastActivityAt', label: 'Last activity', numeric: true },
];

function SortHeader({ column, sort, onSort }: { column: (typeof COLUMNS)[number]; sort: CustomerSort; onSort: (key: CustomerSortKey) => void }) {
  const active = sort.key === column.key;
  const Icon = !active ? IconArrowsSort : sort.direction === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <Table.Th aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'} className={column.numeric ? classes.numeric : undefined}>
      <UnstyledButton onClick={() => onSort(column.key)} className={classes.sortButton} data-active={active || undefined}>
        {column.label}
        <Icon size={14} stroke={1.8} aria-hidden className={classes.sortIcon} />
      </UnstyledButton>
    </Table.Th>
  );
}

/** Its own component: the relative time re-renders it every second, not the whole table. */
function LastActivity({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <Text size="sm" component="time" dateTime={iso} title={formatDateTime(iso)}>
      {formatAgo(iso, now)}
    </Text>
  );
}

function AddCustomerForm({ onAdded, onCancel }: { onAdded: (c: CustomerView) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [telegram, setTelegram] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<{ name?: string; telegram?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const tg = parseTelegramId(telegram);
    const errors = { name: name.trim() ? undefined : 'Enter a name.', telegram: tg.ok ? undefined : tg.message };
    setFieldError(errors);
    if (errors.name || !tg.ok) return;
    setBusy(true);
    setError(null);
    const result = await api.invoke('customers.add', { name: name.trim(), telegramId: tg.value });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setName('');
    setTelegram('');
    onAdded(result.value);
  };

  return (
    <Paper withBorder p="md" radius="md" component="form" noValidate onSubmit={(e: FormEvent) => void submit(e)} aria-labelledby="add-customer-title" data-testid="add-customer-form">
      <Title order={2} size="h4" id="add-customer-title" mb="sm">
        Add customer
      </Title>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError.name} required w={260} data-autofocus autoFocus maxLength={200} />
        <TextInput
          label="Telegram id"
          description="Optional; links the customer to the shop bot"
          value={telegram}
          onChange={(e) => setTelegram(e.currentTarget.value)}
          error={fieldError.telegram}
          inputMode="numeric"
          w={260}
        />
        <Group gap="xs" mt={25}>
          <Button type="submit" loading={busy}>
            Add customer
          </Button>
          <Button variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        </Group>
      </Group>
      {error ? (
        <Alert color="red" mt="sm" icon={<IconX aria-hidden />} role="alert" data-testid="add-customer-error">
          {error}
        </Alert>
      ) : null}
    </Paper>
  );
}

/** The customers table: searchable, sortable by every column, each name a link to the customer page. */
export function CustomersPage() {
  const [load, setLoad] = useState<Loaded<CustomerView[]>>({ state: 'loading' });
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<CustomerSort>(DEFAULT_SORT);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<CustomerView | null>(null);
  const online = useOnlineGeneration();

  const reload = useCallback(async () => {
    const result = await api.invoke('customers.list');
    if (result.ok) setLoad({ state: 'ready', value: result.value.customers });
    else setLoad((current) => (current.state === 'ready' ? current : { state: 'error', message: result.error.message, code: result.error.code }));
  }, []);

  useEffect(() => {
    void reload();
  }, [reload, online]);
  useInterval(() => void reload(), REFRESH_MS);

  const all = useMemo(() => (load.state === 'ready' ? load.value : []), [load]);
  const rows = useMemo(() => sortCustomers(searchCustomers(all, query), sort), [all, query, sort]);
  const totalMicro = useMemo(() => all.reduce((sum, c) => sum + BigInt(c.availableMicro), 0n), [all]);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <PageTitle>Customers</PageTitle>
          {load.state === 'ready' ? (
            <Text size="sm" c="dimmed" mt={4} data-testid="customers-summary">
              {formatCount(all.length)} customer{all.length === 1 ? '' : 's'} · {formatUsd(totalMicro)} in balances
            </Text>
          ) : null}
        </div>
        {!adding ? (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)} data-testid="add-customer-button">
            Add customer
          </Button>
        ) : null}
      </Group>

      {adding ? (
        <AddCustomerForm
          onCancel={() => setAdding(false)}
          onAdded={(c) => {
            setAdding(false);
            setAdded(c);
            void reload();
          }}
        />
      ) : null}
      {added ? (
        <Alert color="teal" withCloseButton closeButtonLabel="Dismiss" onClose={() => setAdded(null)} role="status" data-testid="customer-added">
          Added <Anchor href={hrefFor('customers', added.id)}>{added.name}</Anchor> ({added.id}). Open their page to credit money or issue a key.
        </Alert>
      ) : null}

      <TextInput
        label="Search customers"
        placeholder="Name, customer id or Telegram id"
        leftSection={<IconSearch size={16} aria-hidden />}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        maw={420}
        data-testid="customers-search"
      />

      {load.state === 'loading' ? <Loading label="Loading customers…" /> : null}
      {load.state === 'error' ? <LoadError title="Could not load customers" message={load.message} retry={() => void reload()} /> : null}

      {load.state === 'ready' ? (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" highlightOnHover withTableBorder data-testid="customers-table" aria-label="Customers" tabularNums>
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((column) => (
                  <SortHeader key={column.key} column={column} sort={sort} onSort={(key) => setSort((s) => nextSort(s, key))} />
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length === 0 ? (
                <EmptyRow cols={COLUMNS.length}>{all.length === 0 ? 'No customers yet. Add the first one above, or they appear when someone starts the shop bot.' : `No customer matches “${query.trim()}”.`}</EmptyRow>
              ) : (
                rows.map((c) => (
                  <Table.Tr key={c.id} data-testid="customer-row" data-customer-id={c.id}>
                    <Table.Td>
                      <Anchor href={hrefFor('customers', c.id)} fw={600} size="sm">
                        {c.name}
                      </Anchor>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {c.id}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff={c.telegramId === null ? undefined : 'monospace'} c={c.telegramId === null ? 'dimmed' : undefined}>
                        {c.telegramId ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td className={classes.numeric} data-testid="customer-row-balance">
                      {formatUsd(c.availableMicro)}
                    </Table.Td>
                    <Table.Td className={classes.numeric}>
                      <Text size="sm" c={c.heldMicro === 0 ? 'dimmed' : undefined} title="Reserved for requests in flight">
                        {formatUsd(c.heldMicro)}
                      </Text>
                    </Table.Td>
                    <Table.Td className={classes.numeric}>{formatCount(c.activeKeys)}</Table.Td>
                    <Table.Td className={classes.numeric} data-testid="customer-row-activity">
                      <LastActivity iso={c.lastActivityAt ?? c.createdAt} />
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
}
