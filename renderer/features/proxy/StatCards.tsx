import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useNow } from '../../components/useNow';
import type { AppState } from '../../store/appStore';
import { liveRate, windowFigures } from '../../store/proxy-figures';
import { formatCount, formatMargin, formatMs, formatPercent, formatRate, formatUsd } from './money';
import classes from './ProxyPage.module.css';
import { orderedErrorKinds, outcomeColor } from './outcomes';
import { useThrottledStore } from './useThrottledStore';

const selectProxy = (s: AppState) => s.proxy;

function Stat({ label, value, testId, caption, title }: { label: string; value: string; testId: string; caption?: ReactNode; title?: string }) {
  return (
    <Paper withBorder p="md" radius="md" className={classes.live}>
      <Stack gap={4}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {label}
        </Text>
        <Text fz={26} fw={700} className={classes.value} data-testid={testId} title={title}>
          {value}
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

/**
 * The live figures. Re-render at most twice a second from the store (throttled) and once a
 * second from the clock (so "now" figures fall back to zero when traffic stops).
 */
export function StatCards() {
  const proxy = useThrottledStore(selectProxy, 500);
  const tick = useNow();
  // Figures are computed at the real current time: `tick` only says when to recompute, and
  // can be up to a second older than the store, which would count events "from the future".
  const { rate, w } = useMemo(() => {
    void tick;
    const now = Date.now();
    return { rate: liveRate(proxy, now), w: windowFigures(proxy, now) };
  }, [proxy, tick]);
  const span = `last ${w.windowSeconds} s`;
  const kinds = orderedErrorKinds(w.errorKinds);

  return (
    <section aria-label="Live figures">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
        <Stat label="Requests / s now" value={formatRate(rate)} testId="proxy-rps" caption={`avg ${formatRate(w.requestsPerSecond)}/s over the ${span}`} />
        <Stat label="p50 latency" value={formatMs(w.p50Ms)} testId="proxy-p50" caption={`median, ${span}`} />
        <Stat label="p99 latency" value={formatMs(w.p99Ms)} testId="proxy-p99" caption={`slowest 1 %, ${span}`} />
        <Stat label="Error rate" value={formatPercent(w.errorRate)} testId="proxy-errors" caption={`${formatCount(w.errors)} of ${formatCount(w.requests)} requests, ${span}`} />
        <Stat label="Charged" value={formatUsd(w.chargedMicro, 'cents')} title={formatUsd(w.chargedMicro)} testId="proxy-charged" caption={span} />
        <Stat label="Upstream cost" value={formatUsd(w.upstreamCostMicro, 'cents')} title={formatUsd(w.upstreamCostMicro)} testId="proxy-cost" caption={span} />
        <Stat label="Profit" value={formatUsd(w.profitMicro, 'cents')} title={formatUsd(w.profitMicro)} testId="proxy-profit" caption={span} />
        <Stat label="Margin" value={formatMargin(w.profitMicro, w.chargedMicro)} testId="proxy-margin" caption={`profit ÷ charged, ${span}`} />
      </SimpleGrid>
      <Group gap={6} mt="sm" data-testid="proxy-error-kinds" aria-label={`Errors by kind, ${span}`} role="group">
        <Text size="sm" c="dimmed">
          Errors by kind, {span}:
        </Text>
        {kinds.length === 0 ? (
          <Text size="sm">none</Text>
        ) : (
          kinds.map(([kind, n]) => (
            <Badge key={kind} size="md" variant="light" color={outcomeColor(kind)} tt="none" data-kind={kind}>
              {kind} {formatCount(n)}
            </Badge>
          ))
        )}
      </Group>
    </section>
  );
}
