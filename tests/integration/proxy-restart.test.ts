/**
 * The proxy after a restart of the host on the same data dir: the model catalog it saved last
 * time is loaded at start, and it must sell from it — whether the upstream then reports no
 * change (the usual case), is unreachable (saved prices), or the owner changed the pricing
 * settings while it was stopped (packages follow). The official `openai` SDK is the client.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Host } from '../../services/host/host.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

let upstream: FakeUpstream;
let dataDir: string;
let cleanup: () => void;
let host: Host | undefined;

async function startHost(env: Record<string, string> = {}): Promise<Host> {
  const h = new Host({
    dataDir,
    mode: 'headless',
    env: { OPENROUTER_BASE_URL: upstream.baseUrl, OPENROUTER_API_KEY: upstream.apiKey, ...env },
    flags: { 'proxy.port': 0, 'control.port': 0 },
  });
  await h.start();
  host = h;
  return h;
}

async function stopHost(): Promise<void> {
  await host?.stop();
  host = undefined;
}

async function call<T>(h: Host, method: string, input: unknown): Promise<T> {
  const r = await h.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

const proxyOf = (h: Host) => h.serviceStatuses().find((s) => s.id === 'proxy')!;
const sdk = (h: Host, key: string) => new OpenAI({ apiKey: key, baseURL: `${proxyOf(h).detail.url}/v1`, maxRetries: 0, timeout: 20_000 });
const ask = (h: Host, key: string) => sdk(h, key).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
const packagePrice = async (h: Host, id: string) => (await call<{ packages: { id: string; priceMicro: number | null }[] }>(h, 'packages.list', {})).packages.find((p) => p.id === id)!.priceMicro;

let key: string;
let packageId: string;

beforeAll(async () => {
  upstream = await startFakeUpstream({ completionWords: 4 });
  const t = tempDir();
  cleanup = t.cleanup;
  dataDir = t.dir;
  // First start: the catalog comes from the upstream (and is saved); a customer, a key, a package.
  const first = await startHost();
  const customer = await call<{ id: string }>(first, 'customers.add', { name: 'Returning Rita' });
  await call(first, 'customers.credit', { customerId: customer.id, usd: '1', memo: 'test top-up' });
  key = (await call<{ key: string }>(first, 'keys.issue', { customerId: customer.id })).key;
  const imported = await call<{ imported: { id: string }[] }>(first, 'packages.import', {
    packages: [{ model: 'openai/gpt-4o-mini', tokens: 1_000_000, description: 'GPT-4o mini - 1M tokens' }],
  });
  packageId = imported.imported[0]!.id;
  expect((await ask(first, key)).choices[0]!.message.content).toBeTruthy();
  await stopHost();
});

afterAll(async () => {
  await stopHost();
  await upstream?.stop();
  cleanup?.();
});

it('sells again after a restart when the upstream reports no change from the saved catalog', async () => {
  const h = await startHost();
  try {
    const proxy = proxyOf(h);
    expect(proxy.state).toBe('running');
    expect(Number(proxy.detail.models)).toBeGreaterThan(2);
    expect(proxy.reason).toMatch(/\d+ models for sale/);
    expect((await sdk(h, key).models.list()).data.map((m) => m.id)).toContain('openai/gpt-4o-mini');
    expect((await ask(h, key)).choices[0]!.message.content).toBeTruthy();
  } finally {
    await stopHost();
  }
});

it('follows pricing settings changed while stopped: models and packages are repriced at start', async () => {
  const h = await startHost();
  const before = await packagePrice(h, packageId);
  const beforeModel = (await sdk(h, key).models.list()).data.find((m) => m.id === 'openai/gpt-4o-mini') as unknown as { pricing: { prompt: string } };
  await stopHost();

  const after = await startHost({ TOKEN_MARKUP_PERCENTAGE: '150' });
  try {
    const model = (await sdk(after, key).models.list()).data.find((m) => m.id === 'openai/gpt-4o-mini') as unknown as { pricing: { prompt: string } };
    expect(Number(model.pricing.prompt)).toBeGreaterThan(Number(beforeModel.pricing.prompt) * 1.9);
    expect(await packagePrice(after, packageId)).toBeGreaterThan(before!);
    const lines = (await call<{ lines: { event?: string; fields: Record<string, unknown> }[] }>(after, 'logs.tail', { limit: 1000 })).lines;
    expect(lines.some((l) => l.event === 'pricing.package_repriced' && l.fields.packageId === packageId && l.fields.why === 'the proxy started')).toBe(true);
  } finally {
    await stopHost();
  }
});

it('sells at the saved prices when the upstream cannot be reached at start', async () => {
  const h = await startHost({ OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1' });
  try {
    const proxy = proxyOf(h);
    expect(proxy.state).toBe('degraded');
    expect(proxy.reason).toMatch(/selling \d+ models at saved prices/);
    expect((await sdk(h, key).models.list()).data.map((m) => m.id)).toContain('openai/gpt-4o-mini');
  } finally {
    await stopHost();
  }
});

it('prices from the saved catalog with no host running (the CLI on the data dir): models listed, a package imported then is for sale', async () => {
  // What `arbdesk pricing list` / `packages import` do when no host runs: a Host that is never started.
  const offline = new Host({ dataDir, mode: 'headless', stdoutLogs: false });
  try {
    const pricing = await call<{ catalog: { models: number; source: string }; models: { id: string; forSale: boolean }[] }>(offline, 'pricing.list', {});
    expect(pricing.catalog).toMatchObject({ source: 'file' });
    expect(pricing.catalog.models).toBeGreaterThan(2);
    expect(pricing.models.find((m) => m.id === 'openai/gpt-4o-mini')).toMatchObject({ forSale: true });
    const imported = await call<{ imported: { id: string; forSale: boolean; priceMicro: number | null }[] }>(offline, 'packages.import', {
      packages: [{ model: 'openai/gpt-4o-mini', tokens: 2_000_000, description: 'GPT-4o mini - 2M tokens' }],
    });
    expect(imported.imported[0]).toMatchObject({ forSale: true });
    expect(imported.imported[0]!.priceMicro).toBeGreaterThan(0);
  } finally {
    await offline.stop('test done');
  }
});

it('deletes refused-request records older than proxy.refusedRetentionDays when it starts, and keeps newer ones', async () => {
  // A refusal now (an unknown model), and one recorded long ago, written while no host runs.
  const now = await startHost();
  let customerId: string;
  try {
    customerId = (await call<{ keys: { customerId: string }[] }>(now, 'keys.list', {})).keys[0]!.customerId;
    await expect(sdk(now, key).chat.completions.create({ model: 'no/such-model', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 404 });
  } finally {
    await stopHost();
  }
  const file = new Database(path.join(dataDir, 'arbdesk.db'));
  file
    .prepare("INSERT INTO refused_requests (id, at, key_id, customer_id, model, stream, status, code) VALUES ('req_old', ?, 'key_gone', ?, 'm', 0, 429, 'rate_limited')")
    .run(new Date(Date.now() - 40 * 86_400_000).toISOString(), customerId);
  file.close();

  const h = await startHost({ ARBDESK_PROXY_REFUSED_RETENTION_DAYS: '30' });
  try {
    const usage = await call<{ refused: { status: number; code: string; requests: number }[] }>(h, 'usage.list', { customerId });
    expect(usage.refused).toEqual([{ status: 404, code: 'model_not_found', requests: 1 }]);
  } finally {
    await stopHost();
  }
});

type UsageRow = { id: string; model: string; promptTokens: number; completionTokens: number; upstreamCostMicro: number; chargeMicro: number; latencyMs: number };

it('settles an answer without usage from the upstream\'s generation record even when a setting restarts the proxy meanwhile; its latency is the customer\'s', async () => {
  const h = await startHost();
  try {
    const customerId = (await call<{ keys: { customerId: string }[] }>(h, 'keys.list', {})).keys[0]!.customerId;
    const sentAt = performance.now();
    // The stand-in sends no usage for this model; its /generation answers 404 once first (the
    // proxy waits 500 ms and asks again), as OpenRouter does for a few seconds after a request.
    const answer = await sdk(h, key).chat.completions.create({ model: 'fake/no-usage', messages: [{ role: 'user', content: 'a b c' }], max_tokens: 5 });
    const customerWaitedMs = performance.now() - sentAt;
    expect(answer.usage).toBeUndefined();
    const restarted = await h.dispatch('settings.update', { changes: { 'upstream.timeoutSeconds': 45 } });
    expect(restarted.ok).toBe(true);

    const gen = upstream.generations.get(answer.id)!;
    const row = await waitFor(
      async () => (await call<{ recent: UsageRow[] }>(h, 'usage.list', { customerId })).recent.find((r) => r.model === 'fake/no-usage'),
      (r) => r !== undefined,
      { what: 'the request to settle', timeoutMs: 20_000 },
    );
    // What the upstream recorded, not the prompt estimate.
    const costMicro = Number((gen.costPico + 999_999n) / 1_000_000n);
    expect(row).toMatchObject({ promptTokens: gen.promptTokens, completionTokens: gen.completionTokens, upstreamCostMicro: costMicro });
    expect(row!.chargeMicro).toBeGreaterThan(costMicro);
    // Recorded as long as the customer waited, not as long as the look-up took (≥ 500 ms more).
    expect(row!.latencyMs).toBeLessThanOrEqual(Math.ceil(customerWaitedMs));
    expect((await call<{ customer: { heldMicro: number } }>(h, 'customers.get', { customerId })).customer.heldMicro).toBe(0);
  } finally {
    await stopHost();
  }
});

it('a host stopped while the upstream still has not said what a request cost settles it from the estimate, leaving nothing held', async () => {
  const h = await startHost();
  let customerId: string;
  try {
    customerId = (await call<{ keys: { customerId: string }[] }>(h, 'keys.list', {})).keys[0]!.customerId;
    const answer = await sdk(h, key).chat.completions.create({ model: 'fake/no-usage', messages: [{ role: 'user', content: 'x y' }], max_tokens: 5 });
    upstream.generations.delete(answer.id); // its cost never becomes known: the look-up keeps waiting
  } finally {
    await stopHost(); // gives the look-up a short grace, then settles without it
  }
  const again = await startHost();
  try {
    const view = await call<{ customer: { heldMicro: number }; recent: (UsageRow & { generationId?: string; outcome: string })[] }>(again, 'customers.get', { customerId });
    expect(view.customer.heldMicro).toBe(0);
    const rows = view.recent.filter((r) => r.model === 'fake/no-usage' && r.completionTokens === 0);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.outcome).toBe('ok');
    expect(rows[0]!.promptTokens).toBeGreaterThan(0); // the prompt estimate
    expect((await call<{ problems: unknown[] }>(again, 'ledger.verify', {})).problems).toEqual([]);
  } finally {
    await stopHost();
  }
});
