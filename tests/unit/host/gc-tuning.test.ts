import { describe, expect, it } from 'vitest';
import { tuneGarbageCollector } from '../../../services/host/gc-tuning.js';

// What the tuning does to the collector is measured by `npm run bench:proxy` (docs/benchmarks.md,
// "Full garbage collections"): counting full collections is a matter of timing, not a unit test.
describe('the services host’s heap growth', () => {
  it('lets the old generation grow to twice its live size before a full collection', () => {
    expect(tuneGarbageCollector([])).toBe('--heap-growing-percent=100');
    expect(tuneGarbageCollector(['--enable-source-maps'])).toBe('--heap-growing-percent=100');
  });

  it('leaves the choice to whoever started node with their own growth', () => {
    expect(tuneGarbageCollector(['--heap-growing-percent=30'])).toBe("node's own --heap-growing-percent=30");
    expect(tuneGarbageCollector(['--heap_growing_percent=50'])).toBe("node's own --heap_growing_percent=50");
    expect(tuneGarbageCollector(['--heap-growing-percentage=5'])).toBe('--heap-growing-percent=100');
  });
});
