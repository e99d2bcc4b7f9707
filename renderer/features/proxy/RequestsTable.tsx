import { Button, Group, Select, Text, Title } from '@mantine/core';
import { IconFilterOff, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { ModelUsage, ProxyRequestEvent } from '../../../services/contract';
import { formatClock, formatDateTime } from '../../components/format';
import type { AppState } from '../../store/appStore';
import { RECENT_CAPACITY } from '../../store/proxy';
import { filterOptions, filterRequests, isFiltered, NO_FILTER, sameOptions, type RequestFilter } from './filters';
import { formatCount, formatMs, formatUsd } from './money';
import { outcomeColor } from './outcomes';
import classes from './ProxyPage.module.css';
import { customerLabel, type CustomerNames } from './top';
import { useThrottledStore } from './useThrottledStore';

/**
 * Rows drawn while live (nobody reads more than this scrolling by); when paused, every match
 * of the RECENT_CAPACITY kept is drawn. The filters always search all that are kept.
 */
export const ROWS_LIVE = 50;
/** From this many rows the table fills its 560 px frame (see .tableFrame[data-full]). */
const FULL_ROWS = 18;
/** The table re-renders at most this often under a flood. */
const TABLE_REFRESH_MS = 1000;

const selectRecent = (s: AppState) => s.proxy.recent;

const RequestRow = memo(function RequestRow({ e, customer }: { e: ProxyRequestEvent; customer: string }) {
  return (
    <tr data-testid="proxy-request-row" data-outcome={e.outcome} data-request-id={e.requestId}>
      <td>
        <time dateTime={e.at} title={formatDateTime(e.at)}>
          {formatClock(e.at, true)}
        </time>
      </td>
      <td title={`${customer} (${e.customerId})`}>{customer}</td>
      <td title={e.model || 'the body could not be read'}>{e.model || '—'}</td>
      <td className={classes.dim}>{e.stream ? 'stream' : '—'}</td>
      <td>
        <span className={classes.pill} data-color={outcomeColor(e.outcome)}>
          {e.status} {e.outcome}
        </span>
      </td>
      <td className={classes.num} title={`${formatCount(e.promptTokens)} prompt + ${formatCount(e.completionTokens)} completion tokens`}>
        {formatCount(e.promptTokens)} → {formatCount(e.completionTokens)}
      </td>
      <td className={classes.num}>{formatUsd(e.chargedMicro)}</td>
      <td className={classes.num} title={`upstream cost ${formatUsd(e.upstreamCostMicro)}`}>
        {formatUsd(e.profitMicro)}
      </td>
      <td className={classes.num}>{formatMs(e.latencyMs)}</td>
    </tr>
  );
});

type FilterChoices = ReturnType<typeof filterOptions>;

/**
 * The same option arrays as long as their content is the same: a Select whose `data` changes
 * every second under a flood would re-render its list and lose the keyboard's place in it.
 */
function useStableOptions(next: FilterChoices): FilterChoices {
  const kept = useRef(next);
  const prev = kept.current;
  const stable = {
    customers: sameOptions(prev.customers, next.customers) ? prev.customers : next.customers,
    models: sameOptions(prev.models, next.models) ? prev.models : next.models,
    outcomes: sameOptions(prev.outcomes, next.outcomes) ? prev.outcomes : next.outcomes,
  };
  const result = stable.customers === prev.customers && stable.models === prev.models && stable.outcomes === prev.outcomes ? prev : stable;
  useEffect(() => {
    kept.current = result;
  });
  return result;
}

/** The last requests, newest first: filterable, pausable, never showing a key (only its id). */
export function RequestsTable({ names, byModel }: { names: CustomerNames; byModel: readonly ModelUsage[] }) {
  const [paused, setPaused] = useState(false);
  const [filter, setFilter] = useState<RequestFilter>(NO_FILTER);
  const recent = useThrottledStore(selectRecent, TABLE_REFRESH_MS, paused);
  const options = useStableOptions(useMemo(() => filterOptions(recent, names, byModel, filter), [recent, names, byModel, filter]));
  const { rows, matched } = useMemo(() => filterRequests(recent, filter, paused ? RECENT_CAPACITY : ROWS_LIVE), [recent, filter, paused]);
  const set = (key: keyof RequestFilter) => (value: string | null) => setFilter((f) => ({ ...f, [key]: value }));

  const among = `the last ${formatCount(recent.length)} requests`;
  const shown = isFiltered(filter) ? `${formatCount(matched)} matching, among ${among}` : among;
  const summary =
    recent.length === 0
      ? 'No requests yet.'
      : paused
        ? `Paused: showing ${shown}.`
        : `Live: showing the newest ${formatCount(rows.length)} of ${isFiltered(filter) ? shown : among} · pause to see them all.`;

  return (
    <section aria-labelledby="proxy-requests-title">
      <Group justify="space-between" align="end" mb="xs" wrap="wrap" gap="sm">
        <Title order={2} size="h4" id="proxy-requests-title">
          Last requests
        </Title>
        <Group gap="xs" align="end" wrap="wrap">
          <Select
            size="xs"
            label="Customer"
            placeholder="All customers"
            data={options.customers}
            value={filter.customerId}
            onChange={set('customerId')}
            clearable
            searchable
            nothingFoundMessage="No such customer"
            w={200}
          />
          <Select
            size="xs"
            label="Model"
            placeholder="All models"
            data={options.models}
            value={filter.model}
            onChange={set('model')}
            clearable
            searchable
            nothingFoundMessage="No such model"
            w={220}
          />
          <Select
            size="xs"
            label="Outcome"
            placeholder="All outcomes"
            data={options.outcomes}
            value={filter.outcome}
            onChange={set('outcome')}
            clearable
            searchable
            w={180}
          />
          {isFiltered(filter) ? (
            <Button size="xs" variant="subtle" leftSection={<IconFilterOff size={14} aria-hidden />} onClick={() => setFilter(NO_FILTER)}>
              Clear filters
            </Button>
          ) : null}
          <Button
            size="xs"
            variant={paused ? 'filled' : 'default'}
            leftSection={paused ? <IconPlayerPlay size={14} aria-hidden /> : <IconPlayerPause size={14} aria-hidden />}
            onClick={() => setPaused((p) => !p)}
            aria-pressed={paused}
          >
            {paused ? 'Resume' : 'Pause'}
          </Button>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mb={4} data-testid="proxy-requests-summary">
        {summary}
      </Text>
      <div className={classes.tableFrame} data-full={rows.length >= FULL_ROWS || undefined} tabIndex={0} role="region" aria-label="Last requests (scrollable)">
        <table className={classes.requests} data-testid="proxy-requests" aria-labelledby="proxy-requests-title">
          <colgroup>
            <col style={{ width: '8.5em' }} />
            <col style={{ width: '9.5em' }} />
            <col />
            <col style={{ width: '6em' }} />
            <col style={{ width: '12.5em' }} />
            <col style={{ width: '7.5em' }} />
            <col style={{ width: '7.2em' }} />
            <col style={{ width: '7.2em' }} />
            <col style={{ width: '6em' }} />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Customer</th>
              <th scope="col">Model</th>
              <th scope="col">Stream</th>
              <th scope="col">Status</th>
              <th scope="col" className={classes.num} title="prompt tokens → completion tokens">
                Tokens
              </th>
              <th scope="col" className={classes.num}>
                Charged
              </th>
              <th scope="col" className={classes.num}>
                Profit
              </th>
              <th scope="col" className={classes.num}>
                Latency
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={9} className={classes.dim}>
                  {recent.length === 0 ? 'No requests yet.' : 'No requests match these filters.'}
                </td>
              </tr>
            ) : (
              // Keyed by position: under a flood every row changes each refresh, and updating the
              // text of existing rows is much cheaper than removing and creating 50 rows a second.
              rows.map((e, i) => <RequestRow key={i} e={e} customer={customerLabel(e.customerId, names)} />)
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
