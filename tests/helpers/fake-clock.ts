/**
 * A clock whose time and timers the test moves by hand (the renderer's Clock: throttles,
 * frame schedulers, live refresh). `advance` runs every timer due on the way, in order;
 * `advanceAsync` also lets promise callbacks run after each one (code that awaits in between).
 */
import type { Clock } from '../../renderer/features/proxy/throttle';

export function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
  };
  /** The next timer due by `until`, taken off the list with the clock moved to it. */
  const takeDue = (until: number): (() => void) | undefined => {
    const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
    if (!due) return undefined;
    timers.delete(due[0]);
    now = due[1].at;
    return due[1].fn;
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (let fn = takeDue(until); fn; fn = takeDue(until)) fn();
    now = until;
  };
  const advanceAsync = async (ms: number) => {
    const until = now + ms;
    for (let fn = takeDue(until); fn; fn = takeDue(until)) {
      fn();
      await Promise.resolve();
    }
    now = until;
  };
  return { clock, advance, advanceAsync, pending: () => timers.size };
}
