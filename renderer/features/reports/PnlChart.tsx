import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { useMemo } from 'react';
import type { PnlPeriodRow } from '../../../services/contract';
import { formatUsd } from '../../components/format';

/**
 * Revenue, upstream cost and profit per period. The bars are drawn from the integer µUSD
 * amounts themselves (the axis and tooltips format them exactly), so no amount is turned into
 * a float dollar value on the way.
 */
export function PnlChart({ periods }: { periods: readonly PnlPeriodRow[] }) {
  const data = useMemo(
    () => periods.map((p) => ({ period: p.key, revenue: p.revenueMicro, cost: p.upstreamCostMicro, profit: p.profitMicro })),
    [periods],
  );
  return (
    <BarChart
      h={260}
      data={data}
      dataKey="period"
      series={[
        { name: 'revenue', label: 'Revenue', color: 'teal.6' },
        { name: 'cost', label: 'Upstream cost', color: 'orange.6' },
        { name: 'profit', label: 'Profit', color: 'blue.6' },
      ]}
      valueFormatter={(v) => formatUsd(v, 'cents')}
      withLegend
      legendProps={{ verticalAlign: 'top', height: 36 }}
      tickLine="y"
      gridAxis="y"
      yAxisProps={{ width: 90 }}
      tooltipAnimationDuration={0}
      data-testid="reports-chart"
    />
  );
}
