/**
 * How the services host's garbage collector grows its heap.
 *
 * V8 starts a full (mark-compact) collection when the old generation reaches a limit it sets
 * after each one: the live size times a growing factor it picks from its own speed. For the
 * host's ~25 MB of live heap it picked about 1.3, so under steady proxy traffic a full
 * collection came every 4–5 s — each a train of marking steps and a 2–11 ms pause during which
 * no customer's request moves, plus ~110 ms of marking on helper threads that compete with the
 * proxy for the CPU. Growing the heap to twice the live size before the next one makes them
 * about three times rarer, for at most one live heap more memory (~25 MB here); see
 * docs/benchmarks.md, "Where ArbDesk's time goes", item 16.
 *
 * A `--heap-growing-percent` given to node on the command line wins (e.g. to trade the other
 * way on a small machine).
 */
import { setFlagsFromString } from 'node:v8';

/** The old generation grows to (1 + this / 100) × its live size before the next full collection. */
export const HEAP_GROWING_PERCENT = 100;

/** Applies the host's heap growth unless node was started with its own; says which applies. */
export function tuneGarbageCollector(execArgv: readonly string[] = process.execArgv): string {
  const own = execArgv.find((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg));
  if (own) return `node's own ${own}`;
  // A V8 flag V8 reads each time it sets the next limit, so it takes effect when set at run time.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}
