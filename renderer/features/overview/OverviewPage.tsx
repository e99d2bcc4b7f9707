import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMemo, type ReactNode } from 'react';
import type { OverviewView, PnlFigures } from '../../../services/contract';
import { formatAgo, formatDateTime, formatUsd } from '../../components/format';
import { LoadError, Loading } from '../../components/LoadState';
import { PageTitle } from '../../components/PageTitle';
import { useNow } from '../../components/useNow';
import { hrefFor } from '../../router/routes';
import type { AppState } from '../../store/appStore';
import { liveRate } from '../../store/proxy-figures';
import { methodLabel } from '../invoices/amounts';
import { formatMargin, formatRate } from '../proxy/money';
import { useThrottledStore } from '../proxy/useThrottledStore';
import classes from './overview.module.css';
import { useOverview } from './useOverview';
import { EmptyRow } from '../../components/EmptyRow';

const PERIOD_LABEL: Record<OverviewView['periods'][number]['id'], string> = { today: 'Today', '7d': 'Last 7 days', '30d': 'Last 30 days' };

function Line({ label, micro, testId, strong }: { label: string; micro: number; testId: string; strong?: boolean }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size={strong ? 'lg' : 'sm'} fw={strong ? 700 : 500} className={classes.numeric} data-testid={testId} title={formatUsd(micro)} c={micro < 0 ? 'red' : undefined}>
        {formatUsd(micro, 'cents')}
      </Text>
    </Group>
  );
}

function PeriodCard({ id, from, to, figures: f }: { id: string; from: string; to: string; figures: PnlFigures }) {
  const label = PERIOD_LABEL[id as keyof typeof PERIOD_LABEL];
  return (
    <Paper withBorder p="md" radius="md" data-testid={`overview-${id}`} component="section" aria-label={label}>
      <Stack gap={6}>
        <Group justify="space-between" align="baseline">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {label}
          </Text>
          <Text size="xs" c="dimmed">
            {from === to ? `${from} UTC` : `${from} – ${to} UTC`}
          </Text>
        </Group>
        <Line label="Revenue" micro={f.revenueMicro} testId={`overview-${id}-revenue`} strong />
        <Line label="Upstream cost" micro={f.upstreamCostMicro} testId={`overview-${id}-cost`} />
        <Line label="Profit" micro={f.profitMicro} testId={`overview-${id}-profit`} strong />
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            Margin
          </Text>
          <Text size="sm" fw={500} className={classes.numeric} data-testid={`overview-${id}-margin`}>
            {formatMargin(f.profitMicro, f.revenueMicro)}
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          {f.requests} requests · {f.sales} package {f.sales === 1 ? 'sale' : 'sales'}
        </Text>
      </Stack>
    </Paper>
  );
}

function Stat({ label, value, caption, testId, href, tone }: { label: string; value: ReactNode; caption?: ReactNode; testId: string; href?: string; tone?: 'warn' }) {
  return (
    <Paper withBorder p="md" radius="md" className={tone === 'warn' ? classes.warn : undefined}>
      <Stack gap={4}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {label}
        </Text>
        <Text fz={26} fw={700} className={classes.numeric} data-testid={testId}>
          {href ? (
            <Anchor href={href} inherit underline="hover">
              {value}
            </Anchor>
          ) : (
            value
          )}
        </Text>
        {caption ? (
          <Text size="xs" c="dimmed">
            {caption}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

const selectProxy = (s: AppState) => s.proxy;

/** Requests per second over the last few seconds, from the live proxy slice (no host call). */
function RequestsNow() {
  const proxy = useThrottledStore(selectProxy, 500);
  const tick = useNow();
  const rate = useMemo(() => {
    void tick;
    return liveRate(proxy, Date.now());
  }, [proxy, tick]);
  return <Stat label="Requests / s now" value={formatRate(rate)} caption={<Anchor href={hrefFor('proxy')} size="xs">live, last 5 s · Proxy screen</Anchor>} testId="overview-rps" />;
}

function UpstreamCredit({ upstream }: { upstream: OverviewView['upstream'] }) {
  const credit = upstream.credit;
  const threshold = formatUsd(upstream.lowCreditThresholdMicro, 'cents');
  if (!upstream.configured) return <Stat label="Upstream credit" value="—" caption="No upstream API key set (Settings)." testId="overview-credit" />;
  if (!credit || credit.remainingMicro === null) {
    return <Stat label="Upstream credit" value="—" caption={credit?.error ? `Could not check: ${credit.error}` : 'Not checked yet.'} testId="overview-credit" />;
  }
  return (
    <Stat
      label="Upstream credit"
      value={formatUsd(credit.remainingMicro, 'cents')}
      caption={`${credit.low ? '⚠ Low — ' : ''}alert below ${threshold}${credit.checkedAt ? ` · checked ${formatDateTime(credit.checkedAt)}` : ''}`}
      testId="overview-credit"
      tone={credit.low ? 'warn' : undefined}
    />
  );
}

function RecentSales({ sales }: { sales: OverviewView['recentSales'] }) {
  const now = useNow();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="overview-sales-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="overview-sales-title">
          Recent sales
        </Title>
        <Anchor href={hrefFor('invoices')} size="sm">
          All invoices
        </Anchor>
      </Group>
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing={6} highlightOnHover withTableBorder tabularNums data-testid="overview-sales" aria-label="Recent sales">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Customer</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th className={classes.numeric}>Amount</Table.Th>
              <Table.Th>Method</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sales.length === 0 ? (
              <EmptyRow cols={5}>No sales yet. Package sales, top-ups and credits you add appear here.</EmptyRow>
            ) : (
              sales.map((s, i) => (
                <Table.Tr key={`${s.at}-${i}`} data-testid="overview-sale">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={s.at} title={formatDateTime(s.at)}>
                      {formatAgo(s.at, now) || formatDateTime(s.at)}
                    </time>
                  </Table.Td>
                  <Table.Td>
                    <Anchor href={hrefFor('customers', s.customerId)} size="sm">
                      {s.customerName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm">{s.what}</Text>
                      {s.kind === 'topup' ? <Badge size="xs" variant="light">top-up</Badge> : null}
                      {s.kind === 'credit' ? <Badge size="xs" variant="light" color="gray">credit</Badge> : null}
                      {s.refunded ? <Badge size="xs" color="red" variant="light">refunded</Badge> : null}
                    </Group>
                  </Table.Td>
                  <Table.Td className={classes.numeric} title={formatUsd(s.amountMicro)}>
                    {formatUsd(s.amountMicro, 'cents')}
                  </Table.Td>
                  <Table.Td>
                    {s.invoiceId ? (
                      <Anchor href={hrefFor('invoices', s.invoiceId)} size="sm">
                        {methodLabel(s.method)}
                      </Anchor>
                    ) : s.method === 'manual' ? (
                      'Added by you'
                    ) : (
                      methodLabel(s.method)
                    )}
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

/**
 * The owner's first screen: money of today / 7 / 30 UTC days, live requests per second, active
 * customers, what waits (invoices, tickets), the upstream credit and the latest sales. The
 * figures follow live events, re-read at most once per two seconds.
 */
export function OverviewPage() {
  const { overview, reload } = useOverview();
  return (
    <Stack gap="lg">
      <div>
        <PageTitle>Overview</PageTitle>
        <Text size="sm" c="dimmed" mt={4}>
          Live: updates within seconds of new requests, invoices and tickets. Days are UTC. Revenue is package sales plus per-request charges; allowance-paid requests count at the sale (see{' '}
          <Anchor href={hrefFor('reports')} inherit>
            Reports
          </Anchor>
          ).
        </Text>
      </div>
      {overview.state === 'loading' ? <Loading label="Loading the overview…" /> : null}
      {overview.state === 'error' ? <LoadError title="Could not load the overview" message={overview.message} retry={reload} testId="overview-error" /> : null}
      {overview.state === 'ready' ? <Ready view={overview.value} stale={overview.stale} /> : null}
    </Stack>
  );
}

function Ready({ view, stale }: { view: OverviewView; stale: string | null }) {
  const credit = view.upstream.credit;
  return (
    <>
      {stale ? (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Figures could not be refreshed" data-testid="overview-stale">
          {stale} — showing the figures from {formatDateTime(view.generatedAt)}.
        </Alert>
      ) : null}
      {credit?.low && credit.remainingMicro !== null ? (
        <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="Upstream credit is low" data-testid="overview-low-credit" role="alert">
          {formatUsd(credit.remainingMicro, 'cents')} left at the upstream (alert below {formatUsd(view.upstream.lowCreditThresholdMicro, 'cents')}). Top up with your upstream provider before requests start failing.
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        {view.periods.map((p) => (
          <PeriodCard key={p.id} id={p.id} from={p.from} to={p.to} figures={p.figures} />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md">
        <RequestsNow />
        <Stat
          label="Active customers"
          value={view.activeCustomers}
          caption={`of ${view.totalCustomers}: made a request, bought something or got credit in the last 30 UTC days`}
          testId="overview-active"
          href={hrefFor('customers')}
        />
        <Stat label="Pending invoices" value={view.pendingInvoices} caption="waiting for payment or confirmations" testId="overview-invoices" href={hrefFor('invoices')} />
        <Stat label="Open tickets" value={view.openTickets} caption="support conversations waiting" testId="overview-tickets" href={hrefFor('support')} tone={view.openTickets > 0 ? 'warn' : undefined} />
        <UpstreamCredit upstream={view.upstream} />
      </SimpleGrid>
      <RecentSales sales={view.recentSales} />
    </>
  );
}
