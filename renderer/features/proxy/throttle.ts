/**
 * The two small schedulers that keep a flood of events from flooding React or the DOM:
 *
 * - `createThrottle(run, ms)`: however often `notify()` is called, `run` happens at most once
 *   per `ms` — at once after a quiet period (leading edge), else at the end of the interval
 *   (trailing edge), so the last change is never lost.
 * - `createFrameScheduler(draw)`: coalesces requests into one `draw` per animation frame (and
 *   none while the window is hidden, where browsers pause animation frames).
 *
 * Timers are passed in, so both are unit-tested in Node without a DOM.
 */

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Throttle {
  notify(): void;
  dispose(): void;
}

export function createThrottle(run: () => void, intervalMs: number, clock: Clock = systemClock): Throttle {
  let last = -Infinity;
  let timer: unknown = null;
  let disposed = false;
  const fire = () => {
    timer = null;
    if (disposed) return;
    last = clock.now();
    run();
  };
  return {
    notify() {
      if (disposed || timer !== null) return;
      const wait = last + intervalMs - clock.now();
      if (wait <= 0) fire();
      else timer = clock.setTimeout(fire, wait);
    },
    dispose() {
      disposed = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}

export interface FrameApi {
  request(cb: () => void): unknown;
  cancel(handle: unknown): void;
}

export interface FrameScheduler {
  request(): void;
  dispose(): void;
}

export function createFrameScheduler(draw: () => void, frames: FrameApi): FrameScheduler {
  let handle: unknown = null;
  let disposed = false;
  return {
    request() {
      if (disposed || handle !== null) return;
      handle = frames.request(() => {
        handle = null;
        if (!disposed) draw();
      });
    },
    dispose() {
      disposed = true;
      if (handle !== null) frames.cancel(handle);
      handle = null;
    },
  };
}
