import { Alert, Button, Group, List, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PnlReport } from '../../../services/contract';
import { formatUsd } from '../../components/format';
import { LoadError, Loading } from '../../components/LoadState';
import { PageTitle } from '../../components/PageTitle';
import { hrefFor } from '../../router/routes';
import { api } from '../../api';
import { formatMargin } from '../proxy/money';
import { breakdownCsv, periodsCsv } from '../../../shared/report-csv';
import { PnlChart } from './PnlChart';
import { PnlTable } from './PnlTable';
import { PRESETS, presetRange, rangeProblem, suggestedGranularity, type Granularity, type PresetId, type Range } from './range';

type State = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; report: PnlReport };

const PERIOD_HEADER: Record<Granularity, string> = { day: 'Day (UTC)', week: 'ISO week (Mon–Sun, UTC)', month: 'Month (UTC)' };
const PERIOD_TITLE: Record<Granularity, string> = { day: 'By day', week: 'By ISO week', month: 'By month' };

function Total({ label, micro, testId, caption }: { label: string; micro?: number; testId: string; caption?: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={700} data-testid={testId} title={micro === undefined ? undefined : formatUsd(micro)} c={micro !== undefined && micro < 0 ? 'red' : undefined}>
        {micro === undefined ? caption : formatUsd(micro, 'cents')}
      </Text>
      {micro !== undefined && caption ? (
        <Text size="xs" c="dimmed">
          {caption}
        </Text>
      ) : null}
    </Paper>
  );
}

/** What the figures mean — the same definitions as docs/reports.md. */
function Definitions() {
  return (
    <Alert variant="light" color="gray" icon={<IconInfoCircle aria-hidden />} title="Where the money comes from" data-testid="reports-definitions">
      <List size="sm" spacing={4}>
        <List.Item>
          <b>Revenue</b> = what customers paid: package sales (booked when the package is delivered; a Stars refund books it back on the day of the refund) plus per-request charges taken from prepaid balances.
        </List.Item>
        <List.Item>
          Requests paid from a package's token allowance are charged $0 here: their revenue was booked when the package sold, so nothing is counted twice. Top-ups and credits are not revenue until they are spent on requests.
        </List.Item>
        <List.Item>
          <b>Upstream cost</b> = what the upstream charged for every request, however it was paid. <b>Profit</b> = revenue − upstream cost; <b>margin</b> = profit ÷ revenue.
        </List.Item>
        <List.Item>Days are UTC days (00:00–24:00 UTC); weeks are ISO weeks, Monday to Sunday. Both ends of the range are included.</List.Item>
      </List>
    </Alert>
  );
}

export function ReportsPage() {
  const [range, setRange] = useState<Range>(() => presetRange('30d', Date.now()));
  const [granularity, setGranularity] = useState<Granularity>('day');
  const [state, setState] = useState<State>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const problem = rangeProblem(range);

  const load = useCallback(async (r: Range, g: Granularity, alive: () => boolean) => {
    setState((s) => (s.state === 'ready' ? s : { state: 'loading' }));
    const result = await api.invoke('reports.pnl', { from: r.from, to: r.to, granularity: g });
    if (!alive()) return;
    setState(result.ok ? { state: 'ready', report: result.value } : { state: 'error', message: result.error.message });
  }, []);

  useEffect(() => {
    if (problem) return undefined;
    let alive = true;
    void load(range, granularity, () => alive);
    return () => {
      alive = false;
    };
  }, [range, granularity, generation, problem, load]);

  const choosePreset = (id: PresetId) => {
    const r = presetRange(id, Date.now());
    setRange(r);
    setGranularity(suggestedGranularity(r));
  };

  const report = state.state === 'ready' ? state.report : null;
  const stem = report ? `arbdesk-pnl-${report.from}_${report.to}` : 'arbdesk-pnl';
  const tables = useMemo(() => {
    if (!report) return null;
    return {
      periods: periodsCsv(report.periods, report.totals, report.from, report.to),
      model: breakdownCsv('model', report.byModel, report.totals),
      customer: breakdownCsv('customer_id', report.byCustomer, report.totals),
      method: breakdownCsv('method', report.byMethod, report.totals),
    };
  }, [report]);

  return (
    <Stack gap="lg">
      <div>
        <PageTitle>Reports</PageTitle>
        <Text size="sm" c="dimmed" mt={4}>
          Profit and loss over UTC days, by period, model, customer and payment method. Every table exports to CSV (amounts in USD with six decimals).
        </Text>
      </div>
      <Definitions />
      <Paper withBorder p="md" radius="md" component="section" aria-label="Range">
        <Group align="flex-end" wrap="wrap" gap="md">
          <TextInput type="date" label="From (UTC day)" value={range.from} onChange={(e) => setRange({ ...range, from: e.currentTarget.value })} data-testid="reports-from" />
          <TextInput type="date" label="To (UTC day, included)" value={range.to} onChange={(e) => setRange({ ...range, to: e.currentTarget.value })} data-testid="reports-to" />
          <div>
            <Text size="sm" fw={500} mb={4} id="reports-granularity-label">
              Periods
            </Text>
            <SegmentedControl
              value={granularity}
              onChange={(v) => setGranularity(v as Granularity)}
              data={[
                { value: 'day', label: 'Days' },
                { value: 'week', label: 'Weeks' },
                { value: 'month', label: 'Months' },
              ]}
              aria-labelledby="reports-granularity-label"
              data-testid="reports-granularity"
            />
          </div>
          <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => setGeneration((g) => g + 1)} disabled={problem !== null} data-testid="reports-refresh">
            Refresh
          </Button>
        </Group>
        <Group gap="xs" mt="sm">
          {PRESETS.map((p) => (
            <Button key={p.id} size="compact-sm" variant="subtle" onClick={() => choosePreset(p.id)}>
              {p.label}
            </Button>
          ))}
        </Group>
        {problem ? (
          <Text size="sm" c="red" mt="sm" role="alert">
            {problem}
          </Text>
        ) : null}
      </Paper>

      {state.state === 'loading' ? <Loading label="Loading the report…" /> : null}
      {state.state === 'error' ? <LoadError title="Could not make the report" message={state.message} retry={() => setGeneration((g) => g + 1)} testId="reports-error" /> : null}

      {report && tables ? (
        <>
          <section aria-label="Totals for the range">
            <Text size="sm" c="dimmed" mb="xs" data-testid="reports-range">
              {report.from} to {report.to} (UTC), both days included
            </Text>
            <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
              <Total label="Revenue" micro={report.totals.revenueMicro} testId="reports-revenue" caption={`${formatUsd(report.totals.packageRevenueMicro, 'cents')} packages · ${formatUsd(report.totals.usageRevenueMicro, 'cents')} per-request`} />
              <Total label="Upstream cost" micro={report.totals.upstreamCostMicro} testId="reports-cost" caption={`${report.totals.requests} requests`} />
              <Total label="Profit" micro={report.totals.profitMicro} testId="reports-profit" caption="revenue − upstream cost" />
              <Total label="Margin" testId="reports-margin" caption={formatMargin(report.totals.profitMicro, report.totals.revenueMicro)} />
            </SimpleGrid>
          </section>
          <Paper withBorder p="md" radius="md" component="section" aria-label="Chart">
            <Title order={2} size="h4" mb="sm">
              {PERIOD_TITLE[report.granularity]}: revenue, upstream cost and profit
            </Title>
            <PnlChart periods={report.periods} />
          </Paper>
          <PnlTable
            title={PERIOD_TITLE[report.granularity]}
            description={report.granularity === 'day' ? 'Revenue = packages + per-request charges.' : 'Revenue = packages + per-request charges. Weeks and months at either end are cut to the range.'}
            keyHeader={PERIOD_HEADER[report.granularity]}
            rows={report.periods.map((p) => ({ ...p, label: p.key, title: p.from === p.to ? p.from : `${p.from} to ${p.to}` }))}
            totals={report.totals}
            csv={tables.periods}
            fileName={`${stem}-by-${report.granularity}.csv`}
            testId="reports-periods"
            empty="No days in the range."
          />
          <PnlTable
            title="By model"
            description="Package sales count under the model of their token package."
            keyHeader="Model"
            rows={report.byModel}
            totals={report.totals}
            csv={tables.model}
            fileName={`${stem}-by-model.csv`}
            testId="reports-by-model"
            empty="No sales or requests in the range."
          />
          <PnlTable
            title="By customer"
            keyHeader="Customer"
            rows={report.byCustomer.map((c) => ({ ...c, title: c.key, href: c.key.startsWith('cus_') ? hrefFor('customers', c.key) : undefined }))}
            totals={report.totals}
            csv={tables.customer}
            fileName={`${stem}-by-customer.csv`}
            testId="reports-by-customer"
            empty="No sales or requests in the range."
          />
          <PnlTable
            title="By payment method"
            description="Package sales by how their invoice was paid. Per-request charges come out of prepaid balances, whatever topped them up; allowance-paid requests carry only their upstream cost (their revenue is in the package sale)."
            keyHeader="Method"
            rows={report.byMethod}
            totals={report.totals}
            csv={tables.method}
            fileName={`${stem}-by-method.csv`}
            testId="reports-by-method"
            empty="No sales or requests in the range."
          />
        </>
      ) : null}
    </Stack>
  );
}
