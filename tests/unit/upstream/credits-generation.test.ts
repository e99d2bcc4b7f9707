import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../services/upstream/client.js';
import { creditStatusFrom } from '../../../services/upstream/credits.js';
import { usdToMicroFloor } from '../../../services/upstream/decimal.js';
import { startFakeUpstream, type FakeUpstream, type FakeUpstreamOptions } from '../../fakes/upstream.js';
import { readAll } from './helpers.js';

let fake: FakeUpstream | undefined;
let client: UpstreamClient | undefined;
afterEach(async () => {
  await client?.destroy();
  await fake?.stop();
  client = fake = undefined;
});

async function setup(options: FakeUpstreamOptions = {}, apiKey?: string): Promise<UpstreamClient> {
  fake = await startFakeUpstream(options);
  client = new UpstreamClient({ baseUrl: fake.baseUrl, apiKey: apiKey ?? fake.apiKey });
  return client;
}

describe('fetchCredits', () => {
  it('takes the tighter of account balance and key limit, balances rounded down and usage up', async () => {
    const c = await setup({ creditsUsd: '25.5', initialUsageUsd: '10.123456789', keyLimitUsd: '12' });
    const credits = await c.fetchCredits();
    expect(credits.totalCreditsMicro).toBe(25_500_000);
    expect(credits.totalUsageMicro).toBe(10_123_457); // rounded up
    expect(credits.keyLimitRemainingMicro).toBe(1_876_543); // 1.876543211 rounded down
    expect(credits.remainingMicro).toBe(1_876_543);
    expect(credits.sources).toEqual(['credits', 'key']);
    expect(credits.isLow(2_000_000)).toBe(true);
    expect(credits.isLow(1_000_000)).toBe(false);
  });

  it('follows usage as requests are served', async () => {
    const c = await setup({ creditsUsd: '1' });
    const before = await c.fetchCredits();
    expect(before.remainingMicro).toBe(1_000_000);
    const res = await c.forwardChat('{"model":"anthropic/claude-3.5-sonnet","messages":[{"role":"user","content":"one two three"}],"max_tokens":4}', {
      stream: false,
      signal: new AbortController().signal,
    });
    const usage = (JSON.parse(await readAll(res.body)) as { usage: { cost: number } }).usage;
    expect(usage.cost).toBe(0.000075); // 5 prompt × $0.000003 + 4 completion × $0.000015
    expect((await c.fetchCredits()).remainingMicro).toBe(1_000_000 - 75);
  });

  it('reports unknown (never low) on a plain OpenAI-compatible upstream', async () => {
    const c = await setup({ flavor: 'openai' });
    const credits = await c.fetchCredits();
    expect(credits.remainingMicro).toBeNull();
    expect(credits.sources).toEqual([]);
    expect(credits.isLow(10_000_000)).toBe(false);
  });

  it('throws for an invalid upstream key instead of reporting unknown', async () => {
    const c = await setup({}, 'sk-or-v1-wrong');
    await expect(c.fetchCredits()).rejects.toMatchObject({ kind: 'upstream_status', status: 401 });
  });

  it('handles an overspent key limit and a key-only answer', () => {
    const status = creditStatusFrom(undefined, { data: { label: 'x', usage: 10.5, limit: 10, limit_remaining: -0.5, is_free_tier: false } });
    expect(status.remainingMicro).toBe(-500_000);
    expect(status.isLow(1)).toBe(true);
    expect(creditStatusFrom(undefined, { data: { usage: 3, limit: null, limit_remaining: null } }).remainingMicro).toBeNull();
    expect(creditStatusFrom({ data: { total_credits: 5, total_usage: 1.2e-7 } }, undefined).remainingMicro).toBe(4_999_999);
  });

  it('rounds balances down exactly', () => {
    expect(usdToMicroFloor(4.8984355238)).toBe(4_898_435);
    expect(usdToMicroFloor('0.0000009')).toBe(0);
    expect(usdToMicroFloor(1.2e-7)).toBe(0);
    expect(usdToMicroFloor(-1.2e-7)).toBe(-1);
    expect(usdToMicroFloor(-0.5)).toBe(-500_000);
  });
});

describe('lookupGeneration', () => {
  async function streamedGenerationId(c: UpstreamClient): Promise<string> {
    const res = await c.forwardChat('{"model":"fake/no-usage","messages":[{"role":"user","content":"a b c"}],"stream":true,"max_tokens":6}', {
      stream: true,
      signal: new AbortController().signal,
    });
    const text = await readAll(res.body);
    expect(text).not.toContain('"usage"'); // the case lookups exist for
    return /"id":"(gen-\d+)"/.exec(text)![1]!;
  }

  it('waits out the not-ready 404s and returns the exact cost', async () => {
    const c = await setup({ generationReadyAfterLookups: 2 });
    const id = await streamedGenerationId(c);
    const gen = await c.lookupGeneration(id, { initialDelayMs: 1, maxDelayMs: 5 });
    // 5 prompt tokens × $0.000001 + 6 completion × $0.000002 = $0.000017
    expect(gen).toEqual({ id, costMicro: 17, costPico: 17_000_000, promptTokens: 5, completionTokens: 6, model: 'fake/no-usage', cancelled: false });
    expect(fake!.requests.filter((r) => r.url.startsWith('/api/v1/generation?id=')).length).toBe(3);
  });

  it('gives up with null when the generation never appears within maxWaitMs', async () => {
    const c = await setup();
    expect(await c.lookupGeneration('gen-unknown', { initialDelayMs: 1, maxDelayMs: 5, maxWaitMs: 60 })).toBeNull();
    expect(fake!.requests.filter((r) => r.url === '/api/v1/generation?id=gen-unknown').length).toBeGreaterThan(1);
  });

  it('throws at once for an invalid key (a status is an answer, not something to wait out)', async () => {
    const c = await setup({}, 'sk-or-v1-wrong');
    await expect(c.lookupGeneration('gen-1', { initialDelayMs: 1 })).rejects.toMatchObject({ kind: 'upstream_status', status: 401 });
    expect(fake!.requests).toHaveLength(1);
  });
});

describe('CreditMonitor', () => {
  it('raises the low-credit alert once when credit drops under the threshold, and clears it after a top-up', async () => {
    const c = await setup({ creditsUsd: '10', initialUsageUsd: '1' });
    const { CreditMonitor } = await import('../../../services/upstream/credit-monitor.js');
    const events: string[] = [];
    const monitor = new CreditMonitor({
      source: c,
      thresholdMicro: 5_000_000,
      onLow: (s) => events.push(`low ${s.remainingMicro}`),
      onRecovered: (s) => events.push(`ok ${s.remainingMicro}`),
    });
    await monitor.check();
    expect(monitor.last?.remainingMicro).toBe(9_000_000);
    expect(events).toEqual([]);
    fake!.set({ initialUsageUsd: '6' });
    await monitor.check();
    await monitor.check();
    expect(events).toEqual(['low 4000000']);
    expect(monitor.low).toBe(true);
    fake!.set({ creditsUsd: '50' });
    await monitor.check();
    expect(events).toEqual(['low 4000000', 'ok 44000000']);
    await fake!.stop();
    expect(await monitor.check()).toBeNull();
    expect(monitor.lastError).toMatch(/refused|failed/);
    expect(monitor.last?.remainingMicro).toBe(44_000_000);
    fake = undefined;
  });

  it('drops a reading that was on its way when the monitor stopped (the proxy, and maybe the log, are gone by then)', async () => {
    const { CreditMonitor } = await import('../../../services/upstream/credit-monitor.js');
    const { captureLogger } = await import('./helpers.js');
    const { logger, lines } = captureLogger();
    let answer!: (v: never) => void;
    let refuse!: (e: Error) => void;
    const pending = () => new Promise<never>((resolve, reject) => ((answer = resolve), (refuse = reject)));
    const checked: unknown[] = [];
    const monitor = new CreditMonitor({ source: { fetchCredits: pending }, thresholdMicro: 5_000_000, logger, onChecked: (s) => checked.push(s) });
    const started = monitor.start();
    monitor.stop();
    refuse(new Error('connection refused'));
    expect(await started).toBeNull();
    expect(lines).toEqual([]);
    expect(monitor.lastError).toBeNull();
    const again = monitor.check();
    monitor.stop();
    answer({ remainingMicro: 1, isLow: () => true } as never);
    expect(await again).toBeNull();
    expect(checked).toEqual([]);
    expect(lines).toEqual([]);
  });
});
