import { Group, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { appStore } from '../../store';
import { SERIES_SECONDS } from '../../store/proxy';
import { secondSeries } from '../../store/proxy-figures';
import { buildChartModel, scaleLabelMs } from './chart-model';
import { formatMs, formatRate } from './money';
import classes from './ProxyPage.module.css';
import { createFrameScheduler, createThrottle, type FrameApi } from './throttle';

const WIDTH = 600;
const HEIGHT = 160;
/** At most one redraw per this many ms from store changes (the data is per second anyway). */
const REDRAW_MS = 250;

const animationFrames: FrameApi = {
  request: (cb) => window.requestAnimationFrame(() => cb()),
  cancel: (handle) => window.cancelAnimationFrame(handle as number),
};

/**
 * Requests per second (area, left scale) and p99 latency (line, right scale) over the last
 * five minutes, one point per second.
 *
 * It never re-renders through React after mounting: it subscribes to the store transiently,
 * and a throttled animation frame rebuilds the paths and writes them into the SVG. A 1 s timer
 * slides the window when no events arrive. So a flood of events costs a few path updates a
 * second, not a page render per batch.
 */
export function LiveChart() {
  const svg = useRef<SVGSVGElement>(null);
  const area = useRef<SVGPathElement>(null);
  const rpsLine = useRef<SVGPathElement>(null);
  const p99Line = useRef<SVGPathElement>(null);
  const rpsTop = useRef<HTMLSpanElement>(null);
  const p99Top = useRef<HTMLSpanElement>(null);
  const latest = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    let drawnBuckets: unknown = null;
    let drawnSecond = Number.NaN;
    let drawnSummary = '';
    const draw = () => {
      const state = appStore.getState().proxy;
      const now = Date.now();
      const second = Math.floor(now / 1000);
      if (state.buckets === drawnBuckets && second === drawnSecond) return;
      drawnBuckets = state.buckets;
      drawnSecond = second;
      const model = buildChartModel(secondSeries(state, now, SERIES_SECONDS), WIDTH, HEIGHT);
      area.current?.setAttribute('d', model.rpsArea);
      rpsLine.current?.setAttribute('d', model.rpsLine);
      p99Line.current?.setAttribute('d', model.p99Line);
      if (rpsTop.current) rpsTop.current.textContent = `${formatRate(model.rpsTop)}/s`;
      if (p99Top.current) p99Top.current.textContent = scaleLabelMs(model.p99Top);
      if (latest.current) {
        latest.current.textContent =
          model.peakRps === 0
            ? 'No requests in the last 5 minutes.'
            : `Last second: ${formatRate(model.latestRps ?? 0)} requests/s, p99 ${formatMs(model.latestP99)} · peak ${formatRate(model.peakRps)}/s`;
      }
      if (model.summary !== drawnSummary) {
        drawnSummary = model.summary;
        svg.current?.setAttribute('aria-label', model.summary);
      }
    };
    const frames = createFrameScheduler(draw, animationFrames);
    const throttle = createThrottle(() => frames.request(), REDRAW_MS);
    const off = appStore.subscribe((state, previous) => {
      if (state.proxy.buckets !== previous.proxy.buckets) throttle.notify();
    });
    const tick = setInterval(() => throttle.notify(), 1000);
    frames.request();
    return () => {
      off();
      clearInterval(tick);
      throttle.dispose();
      frames.dispose();
    };
  }, []);

  return (
    <section aria-labelledby="proxy-chart-title">
      <Group justify="space-between" align="baseline" mb="xs" wrap="wrap" gap="sm">
        <Title order={2} size="h4" id="proxy-chart-title">
          Last 5 minutes
        </Title>
        <Group gap="md" wrap="wrap">
          <Text size="sm">
            <span className={`${classes.swatch} ${classes.swatchRps}`} aria-hidden />
            Requests/s (left)
          </Text>
          <Text size="sm">
            <span className={`${classes.swatch} ${classes.swatchP99}`} aria-hidden />
            p99 latency (right)
          </Text>
        </Group>
      </Group>
      <div className={classes.chart}>
        <div className={`${classes.scale} ${classes.scaleLeft}`} aria-hidden>
          <span ref={rpsTop}>1/s</span>
          <span>0</span>
        </div>
        <svg
          ref={svg}
          className={classes.plot}
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label="Requests per second and p99 latency over the last 5 minutes: no requests."
          data-testid="proxy-chart"
        >
          <line className={classes.grid} x1={0} x2={WIDTH} y1={0.5} y2={0.5} />
          <line className={classes.grid} x1={0} x2={WIDTH} y1={HEIGHT / 2} y2={HEIGHT / 2} />
          <path ref={area} className={classes.area} />
          <path ref={rpsLine} className={classes.rpsLine} />
          <path ref={p99Line} className={classes.p99Line} />
        </svg>
        <div className={classes.scale} aria-hidden>
          <span ref={p99Top}>1 ms</span>
          <span>0 ms</span>
        </div>
      </div>
      <Group justify="space-between" mt={4} px="3.8em" aria-hidden>
        <Text size="xs" c="dimmed">
          −5 min
        </Text>
        <Text size="xs" c="dimmed">
          now
        </Text>
      </Group>
      <Text size="sm" c="dimmed" mt={4} ref={latest} data-testid="proxy-chart-latest">
        No requests in the last 5 minutes.
      </Text>
    </section>
  );
}
