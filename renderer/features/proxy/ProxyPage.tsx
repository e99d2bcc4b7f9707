import { Alert, Paper, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { PageTitle } from '../../components/PageTitle';
import { useAppStore } from '../../store';
import { EmptyState } from './EmptyState';
import { LiveChart } from './LiveChart';
import classes from './ProxyPage.module.css';
import { RequestsTable } from './RequestsTable';
import { StatCards } from './StatCards';
import { TopLists } from './TopLists';
import { useProxyData } from './useProxyData';

/**
 * The Proxy screen: requests per second, latency percentiles, errors and profit, live.
 *
 * The page itself subscribes only to two booleans; the parts that follow the event stream
 * (cards, chart, lists, table) read the store throttled or transiently, so a flood of 1,000
 * requests a second costs a few small renders a second, not one per batch.
 */
export function ProxyPage() {
  const { byModel, names, statsError, ready } = useProxyData();
  const noRecent = useAppStore((s) => s.proxy.recent.length === 0);
  const noStats = useAppStore((s) => (s.proxy.stats?.value.requests ?? 0) === 0);
  const empty = ready && noRecent && noStats && byModel.length === 0;

  return (
    <Stack gap="lg">
      <PageTitle>Proxy</PageTitle>
      {statsError ? (
        <Alert variant="light" color="orange" icon={<IconAlertTriangle aria-hidden />} title="Live figures from the host are unavailable" data-testid="proxy-stats-error">
          {statsError}
        </Alert>
      ) : null}
      <StatCards />
      {empty ? (
        <EmptyState />
      ) : (
        <>
          <Paper withBorder p="md" radius="md" className={classes.live}>
            <LiveChart />
          </Paper>
          <TopLists names={names} byModel={byModel} />
          <RequestsTable names={names} byModel={byModel} />
        </>
      )}
    </Stack>
  );
}
