/**
 * What the UI bench measures inside the page, installed with `page.addInitScript` before the app
 * loads. Playwright serialises the function, so it must be self-contained (no imports, no
 * closures over module scope).
 *
 *  - long tasks: PerformanceObserver('longtask') — main-thread tasks over 50 ms;
 *  - frames: a requestAnimationFrame loop; a gap over 2 × 16.7 ms means at least one dropped frame;
 *  - clicks: from the input event's timestamp (a trusted click from Playwright) to the next paint
 *    (the first task after the next animation frame), for any click on the page.
 */
export interface ProbeReading {
  longTasks: number[];
  frameGaps: number[];
  clicks: number[];
  elapsedMs: number;
}

export function installProbe(): void {
  const w = globalThis as unknown as {
    __uiBench: { reset(): void; read(): ProbeReading };
    requestAnimationFrame(cb: (t: number) => void): number;
    addEventListener(type: string, cb: (e: { timeStamp: number }) => void, capture: boolean): void;
    PerformanceObserver: new (cb: (list: { getEntries(): { duration: number }[] }) => void) => { observe(o: unknown): void };
    MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(v: unknown): void } };
    performance: { now(): number };
  };
  let longTasks: number[] = [];
  let frameGaps: number[] = [];
  let clicks: number[] = [];
  let since = w.performance.now();
  try {
    new w.PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no longtask support: the bench reports 0 and says so in its notes
  }
  let last = 0;
  const frame = (t: number) => {
    if (last) frameGaps.push(t - last);
    last = t;
    w.requestAnimationFrame(frame);
  };
  w.requestAnimationFrame(frame);
  w.addEventListener(
    'click',
    (e) => {
      const t0 = e.timeStamp;
      w.requestAnimationFrame(() => {
        const ch = new w.MessageChannel();
        ch.port1.onmessage = () => clicks.push(w.performance.now() - t0);
        ch.port2.postMessage(0);
      });
    },
    true,
  );
  w.__uiBench = {
    reset() {
      longTasks = [];
      frameGaps = [];
      clicks = [];
      since = w.performance.now();
    },
    read() {
      return { longTasks: [...longTasks], frameGaps: [...frameGaps], clicks: [...clicks], elapsedMs: w.performance.now() - since };
    },
  };
}
