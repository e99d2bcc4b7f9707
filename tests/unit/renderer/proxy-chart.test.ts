import { describe, expect, it } from 'vitest';
import { buildChartModel, niceCeil, scaleLabelMs } from '../../../renderer/features/proxy/chart-model';
import { createFrameScheduler, createThrottle } from '../../../renderer/features/proxy/throttle';
import { fakeClock } from '../../helpers/fake-clock';
import type { SecondPoint } from '../../../renderer/store/proxy-figures';

describe('throttle (how store changes reach the page)', () => {
  it('runs at once after a quiet period, then at most once per interval, and never loses the last change', () => {
    const { clock, advance } = fakeClock();
    let runs = 0;
    const t = createThrottle(() => (runs += 1), 500, clock);
    t.notify();
    expect(runs).toBe(1); // leading edge
    // A flood: 10 batches a second for 3 seconds.
    for (let i = 0; i < 30; i++) {
      t.notify();
      advance(100);
    }
    expect(runs).toBeGreaterThanOrEqual(6);
    expect(runs).toBeLessThanOrEqual(7);
    const before = runs;
    t.notify();
    advance(1000);
    expect(runs).toBe(before + 1); // the trailing change was delivered
  });

  it('does nothing after dispose', () => {
    const { clock, advance, pending } = fakeClock();
    let runs = 0;
    const t = createThrottle(() => (runs += 1), 500, clock);
    t.notify();
    t.notify();
    t.dispose();
    advance(1000);
    t.notify();
    expect(runs).toBe(1);
    expect(pending()).toBe(0);
  });
});

describe('frame scheduler (how the chart redraws)', () => {
  it('coalesces any number of requests into one draw per frame and none after dispose', () => {
    const frames: (() => void)[] = [];
    let draws = 0;
    const s = createFrameScheduler(() => (draws += 1), {
      request: (cb) => frames.push(cb),
      cancel: () => frames.splice(0),
    });
    for (let i = 0; i < 100; i++) s.request();
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(draws).toBe(1);
    s.request();
    s.dispose();
    expect(frames).toHaveLength(0);
    expect(draws).toBe(1);
  });
});

describe('chart model', () => {
  const pts = (values: [number | null, number | null][]): SecondPoint[] => values.map(([requests, p99Ms], i) => ({ sec: 1000 + i, requests, p99Ms }));

  it('scale labels', () => {
    expect(scaleLabelMs(500)).toBe('500 ms');
    expect(scaleLabelMs(1250)).toBe('1.25 s');
    expect(scaleLabelMs(5000)).toBe('5 s');
  });

  it('nice scale tops', () => {
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(0.35)).toBeCloseTo(0.4);
    expect(niceCeil(1000)).toBe(1000);
    expect(niceCeil(1001)).toBe(1250);
    expect(niceCeil(1087)).toBe(1250);
    expect(niceCeil(2100)).toBe(2500);
    expect(niceCeil(7)).toBe(8);
    expect(niceCeil(9.5)).toBe(10);
  });

  it('draws requests/s as an area from the first known second and p99 as a broken line', () => {
    const m = buildChartModel(
      pts([
        [null, null],
        [0, null],
        [100, 200],
        [200, null],
        [100, 400],
      ]),
      400,
      100,
    );
    expect(m.rpsTop).toBe(250);
    expect(m.p99Top).toBe(500);
    expect(m.rpsLine).toBe('M100,100L200,60L300,20L400,60');
    expect(m.rpsArea).toBe('M100,100L200,60L300,20L400,60L400,100L100,100Z');
    // Two separate p99 segments (no line across the second without requests).
    expect(m.p99Line).toBe('M200,60h0.01M400,20h0.01');
    expect(m).toMatchObject({ latestRps: 100, latestP99: 400, peakRps: 200 });
    expect(m.summary).toBe(
      'Requests per second and p99 latency over the last 5 seconds. Last second: 100 requests/s, p99 400 ms. Peak 200 requests/s.',
    );
  });

  it('says so when there is nothing to draw', () => {
    const m = buildChartModel(pts(Array.from({ length: 300 }, () => [0, null] as [number, null])), 600, 160);
    expect(m.summary).toBe('Requests per second and p99 latency over the last 5 minutes: no requests.');
    expect(m.p99Line).toBe('');
    const unknown = buildChartModel(pts([[null, null]]), 600, 160);
    expect(unknown.rpsArea).toBe('');
  });
});
