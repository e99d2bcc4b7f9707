/**
 * The services host end to end in one process: the proxy answers /health on a real port, and
 * the shop bot runs against telegram-test-api (a real Bot API server stand-in) and answers a
 * customer's /start and /help.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBatch, ProxyRequestEvent, ServiceStatus } from '../../services/contract.js';
import { Host } from '../../services/host/host.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-bot-api.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const BOT_TOKEN = '123456:TEST-token-for-the-shop-bot';
let host: Host | undefined;
let telegram: FakeTelegram | undefined;
let cleanup: (() => void) | undefined;

afterEach(async () => {
  await host?.stop();
  await telegram?.stop().catch(() => undefined);
  cleanup?.();
  host = telegram = cleanup = undefined;
});

function makeHost(env: Record<string, string>) {
  const t = tempDir();
  cleanup = t.cleanup;
  host = new Host({ dataDir: t.dir, mode: 'headless', env, flags: { 'proxy.port': 0, 'control.port': 0 }, initialBackoffMs: 50 });
  return host;
}

const statusOf = (h: Host, id: string) => h.serviceStatuses().find((s) => s.id === id)!;

describe('services host', () => {
  it('reports the bot "not configured" without a token; the proxy answers /health but says it is not selling yet', async () => {
    const h = makeHost({});
    await h.start();
    expect(statusOf(h, 'bot')).toMatchObject({ state: 'off', reason: expect.stringMatching(/^not configured: telegram\.token is empty/) });
    const proxy = statusOf(h, 'proxy');
    expect(proxy.state).toBe('degraded');
    expect(proxy.reason).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+; not selling yet: upstream\.apiKey is empty/);
    const res = await fetch(`${proxy.detail.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'arbdesk-proxy' });
    const prefixed = await fetch(`${proxy.detail.url}/ai-proxy/health`);
    expect(prefixed.status).toBe(200);
    const missing = await fetch(`${proxy.detail.url}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: 'not_found_error', code: 'not_found' } });
  });

  it('keeps live proxy events only while someone listens (a UI that connects later gets what happens from then on)', async () => {
    const h = makeHost({});
    const event = (requestId: string) => ({ requestId, at: new Date().toISOString(), model: 'm', status: 200, outcome: 'ok' }) as ProxyRequestEvent;
    h.publish('proxy.request', event('before anyone listened'));
    const batches: EventBatch[] = [];
    const unsubscribe = h.subscribe((b) => batches.push(b));
    h.publish('proxy.request', event('while listening'));
    const proxyEvents = () => batches.flatMap((b) => (b.stream === 'proxy.request' ? (b.events as ProxyRequestEvent[]) : []));
    await waitFor(proxyEvents, (events) => events.length > 0, { what: 'the proxy.request batch' });
    unsubscribe();
    h.publish('proxy.request', event('after the listener left'));
    h.subscribe((b) => batches.push(b));
    h.publish('proxy.request', event('listening again'));
    await waitFor(proxyEvents, (events) => events.length > 1, { what: 'the second proxy.request batch' });
    expect(proxyEvents().map((e) => e.requestId)).toEqual(['while listening', 'listening again']);
  });

  it('runs the bot as @username against a Bot API server and answers /start and /help', async () => {
    telegram = await startFakeTelegram();
    const h = makeHost({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, ADMIN_ID_LIST: '4242' });
    const batches: EventBatch[] = [];
    h.subscribe((b) => batches.push(b));
    await h.start();
    expect(statusOf(h, 'bot')).toMatchObject({ state: 'running', reason: 'running as @TestNameBot', detail: { username: '@TestNameBot' } });

    const client = telegram.client(BOT_TOKEN);
    await client.sendCommand(client.makeCommand('/start'));
    const start = await waitFor(() => client.getUpdates(), (u) => u.result.length > 0, { what: 'reply to /start' });
    expect(start.result[0]!.message.text).toMatch(/^Welcome, Alice!/);

    await client.sendCommand(client.makeCommand('/help'));
    const help = await waitFor(() => client.getUpdates(), (u) => u.result.length > 0, { what: 'reply to /help' });
    expect(help.result[0]!.message.text).toContain('/start');
    expect(help.result[0]!.message.text).toContain('You are an owner'); // 4242 is in ADMIN_ID_LIST

    // The bot's activity reaches the UI as batched `log` events, and its status as service.status.
    await waitFor(() => batches.flatMap((b) => (b.stream === 'log' ? b.events : [])), (lines) => lines.some((l) => l.event === 'bot.command'), { what: 'bot.command log event' });
    const states = batches.flatMap((b) => (b.stream === 'service.status' ? (b.events as ServiceStatus[]) : [])).filter((s) => s.id === 'bot').map((s) => s.state);
    expect(states).toEqual(['starting', 'running']);
  });

  it('fails with a clear reason when the Bot API is unreachable, and recovers by itself when it is back', async () => {
    telegram = await startFakeTelegram();
    const port = telegram.port;
    const apiRoot = telegram.apiRoot;
    await telegram.stop();
    telegram = undefined;
    const h = makeHost({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot });
    await h.start();
    const failed = statusOf(h, 'bot');
    expect(failed.state).toBe('failed');
    expect(failed.reason).toMatch(new RegExp(`^cannot reach the Telegram Bot API at ${apiRoot.replace(/[.:/]/g, '\\$&')}`));
    expect(failed.reason).not.toContain('TEST-token'); // the token is part of the request URL: it must be scrubbed

    telegram = await startFakeTelegram(port);
    const back = await waitFor(() => statusOf(h, 'bot'), (s) => s.state === 'running', { what: 'bot restarted by the supervisor' });
    expect(back.restarts).toBeGreaterThanOrEqual(1);
  });

  it('restarts the affected service when its settings change', async () => {
    telegram = await startFakeTelegram();
    const h = makeHost({ TELEGRAM_API_ROOT: telegram.apiRoot });
    await h.start();
    expect(statusOf(h, 'bot').state).toBe('off');
    const result = await h.dispatch('settings.update', { changes: { 'telegram.token': BOT_TOKEN } });
    expect(result.ok).toBe(true);
    await waitFor(() => statusOf(h, 'bot'), (s) => s.state === 'running', { what: 'bot started after the token was set' });
    const settings = await h.dispatch('settings.get', {});
    expect(JSON.stringify(settings)).not.toContain('TEST-token');
  });

  it('answers commands as data: unknown name, bad input, and a good call', async () => {
    const h = makeHost({});
    await h.start();
    expect(await h.dispatch('system.reboot', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(await h.dispatch('settings.update', { changes: { 'proxy.port': 'x' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('proxy.port') },
    });
    expect(await h.dispatch('settings.update', { changes: { 'proxy.prot': 1 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('did you mean "proxy.port"') },
    });
    const status = await h.dispatch('system.status', undefined);
    expect(status).toMatchObject({ ok: true, value: { mode: 'headless', services: [{ id: 'proxy' }, { id: 'bot' }, { id: 'payments' }] } });
  });
});
