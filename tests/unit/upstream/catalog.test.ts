import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelCatalog, type ModelChange } from '../../../services/upstream/catalog.js';
import { UpstreamClient } from '../../../services/upstream/client.js';
import type { ModelsResult, UpstreamModel } from '../../../services/upstream/models.js';
import { DEFAULT_FAKE_MODELS, startFakeUpstream, type FakeUpstream } from '../../fakes/upstream.js';
import { tempDir } from '../../helpers/temp.js';
import { captureLogger } from './helpers.js';

let fake: FakeUpstream | undefined;
let client: UpstreamClient | undefined;
let catalog: ModelCatalog | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  vi.useRealTimers();
  catalog?.stop();
  await client?.destroy();
  await fake?.stop();
  cleanup?.();
  catalog = client = fake = cleanup = undefined;
});

async function withFake(persistPath?: string) {
  fake = await startFakeUpstream();
  client = new UpstreamClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey });
  const { logger, lines } = captureLogger();
  catalog = new ModelCatalog({ source: client, logger, ...(persistPath ? { persistPath } : {}) });
  return { fake, catalog, lines };
}

/** Default fake models minus openrouter/auto (variable pricing, skipped). */
const LISTED = DEFAULT_FAKE_MODELS.length - 1;

function priced(id: string, promptPico: number, completionPico: number): UpstreamModel {
  return { id, name: id, contextLength: null, maxCompletionTokens: null, priced: true, promptPico, completionPico, requestMicro: 0 };
}

describe('ModelCatalog', () => {
  it('keeps the last good catalog when a refresh fails, and reports the failure', async () => {
    const { fake, catalog } = await withFake();
    expect(await catalog.refresh()).toMatchObject({ ok: true, models: LISTED });
    const failures: string[] = [];
    catalog.onRefreshFailed((error, status) => failures.push(`${error.message} (${status.consecutiveFailures})`));
    fake.set({ modelsStatus: 500 });
    const outcome = await catalog.refresh();
    expect(outcome).toMatchObject({ ok: false, keptModels: LISTED });
    expect(catalog.get('openai/gpt-4o-mini')).toMatchObject({ promptPico: 150_000 });
    expect(catalog.status).toMatchObject({ source: 'upstream', lastError: 'listing models: upstream answered HTTP 500', consecutiveFailures: 1 });
    expect(failures).toEqual(['listing models: upstream answered HTTP 500 (1)']);
    fake.set({ modelsStatus: 200 });
    expect(await catalog.refresh()).toMatchObject({ ok: true });
    expect(catalog.status).toMatchObject({ lastError: null, consecutiveFailures: 0 });
  });

  it('reports added, removed and repriced models when the upstream changes prices', async () => {
    const { fake, catalog, lines } = await withFake();
    const seen: { changes: ModelChange[]; initial: boolean }[] = [];
    catalog.onChange((changes, info) => seen.push({ changes, initial: info.initial }));
    await catalog.refresh();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.initial).toBe(true);
    expect(seen[0]!.changes.every((c) => c.kind === 'added')).toBe(true);

    fake.setModels([
      ...DEFAULT_FAKE_MODELS.filter((m) => m.id !== 'anthropic/claude-3.5-sonnet' && m.id !== 'openai/gpt-4o-mini'),
      { id: 'openai/gpt-4o-mini', pricing: { prompt: '0.0000002', completion: '0.0000006' } },
      { id: 'new/model', pricing: { prompt: '0.000001', completion: '0.000001' } },
    ]);
    await catalog.refresh();
    expect(seen[1]).toEqual({
      initial: false,
      changes: [
        { id: 'anthropic/claude-3.5-sonnet', kind: 'removed', before: { promptPico: 3_000_000, completionPico: 15_000_000, requestMicro: 0 }, after: null },
        { id: 'new/model', kind: 'added', before: null, after: { promptPico: 1_000_000, completionPico: 1_000_000, requestMicro: 0 } },
        {
          id: 'openai/gpt-4o-mini',
          kind: 'repriced',
          before: { promptPico: 150_000, completionPico: 600_000, requestMicro: 0 },
          after: { promptPico: 200_000, completionPico: 600_000, requestMicro: 0 },
        },
      ],
    });
    await catalog.refresh(); // nothing changed: no event
    expect(seen).toHaveLength(2);
    expect(lines.filter((l) => l.event === 'upstream.catalog_refreshed').map((l) => l.changes)).toEqual([LISTED, 3, 0]);
  });

  it('persists the last good catalog and starts from it when the upstream is down', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = path.join(t.dir, 'cache', 'models.json');
    const first = await withFake(file);
    await first.catalog.refresh();
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, models: expect.arrayContaining([expect.objectContaining({ id: 'anthropic/claude-3.5-sonnet' })]) });
    first.fake.set({ modelsStatus: 502 });

    const restarted = new ModelCatalog({ source: client!, persistPath: file });
    const outcome = await restarted.start();
    restarted.stop();
    expect(outcome.ok).toBe(false);
    expect(restarted.status.source).toBe('file');
    expect(restarted.get('anthropic/claude-3.5-sonnet')).toMatchObject({ priced: true, completionPico: 15_000_000 });
    expect(restarted.size).toBe(LISTED);
  });

  it('ignores a corrupt saved catalog', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = path.join(t.dir, 'models.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '{"version":1,"models":[{"id":"x","priced":true,"promptPico":-5}]}');
    const { logger, lines } = captureLogger();
    const source = { fetchModels: () => Promise.reject(new Error('offline')) };
    const c = new ModelCatalog({ source, persistPath: file, logger });
    await c.start();
    c.stop();
    expect(c.size).toBe(0);
    expect(c.status.source).toBe('empty');
    expect(lines.some((l) => l.event === 'upstream.catalog_file_invalid')).toBe(true);
  });

  it('does not replace a known catalog with an empty model list', async () => {
    let answer: ModelsResult = { models: [priced('a', 1, 2)], skipped: [] };
    const c = new ModelCatalog({ source: { fetchModels: async () => answer } });
    await c.refresh();
    answer = { models: [], skipped: [] };
    expect(await c.refresh()).toMatchObject({ ok: false, keptModels: 1 });
    expect(c.has('a')).toBe(true);
  });

  it('shares one upstream request between concurrent refreshes', async () => {
    let calls = 0;
    let release!: () => void;
    const source = {
      fetchModels: () => {
        calls++;
        return new Promise<ModelsResult>((resolve) => {
          release = () => resolve({ models: [priced('a', 1, 2)], skipped: [] });
        });
      },
    };
    const c = new ModelCatalog({ source });
    const both = Promise.all([c.refresh(), c.refresh()]);
    release();
    const [a, b] = await both;
    expect(calls).toBe(1);
    expect(a).toBe(b);
  });

  it('refreshes on schedule (10 min ± jitter) and retries sooner after a failure', async () => {
    vi.useFakeTimers();
    const answers: (ModelsResult | Error)[] = [
      { models: [priced('a', 1, 2)], skipped: [] },
      new Error('upstream down'),
      { models: [priced('a', 5, 2)], skipped: [] },
    ];
    let calls = 0;
    const source = {
      fetchModels: async () => {
        const next = answers[Math.min(calls++, answers.length - 1)]!;
        if (next instanceof Error) throw next;
        return next;
      },
    };
    catalog = new ModelCatalog({ source, random: () => 1 }); // maximum jitter: +10 %
    const changes: ModelChange[][] = [];
    catalog.onChange((c) => changes.push(c));
    await catalog.start();
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(659_000);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000); // 660 s = 10 min + 10 %
    expect(calls).toBe(2);
    expect(catalog.status.lastError).toBe('upstream down');
    expect(catalog.get('a')).toMatchObject({ promptPico: 1 });
    await vi.advanceTimersByTimeAsync(30_000); // first retry after a failure: 30 s
    expect(calls).toBe(3);
    expect(catalog.get('a')).toMatchObject({ promptPico: 5 });
    expect(changes.at(-1)).toEqual([{ id: 'a', kind: 'repriced', before: { promptPico: 1, completionPico: 2, requestMicro: 0 }, after: { promptPico: 5, completionPico: 2, requestMicro: 0 } }]);
    catalog.stop();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(calls).toBe(3);
  });
});
