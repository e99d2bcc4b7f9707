/**
 * `setup.check` and `system.attention` through the host's contract (allowlist, zod, handler):
 * a token typed into the checklist is tested against the Bot API stand-in, saved, then tested
 * again from the secret store — and neither the check's answer nor settings.get ever carries it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Host } from '../../services/host/host.js';
import { tempDir } from '../helpers/temp.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-bot-api.js';
import { startFakeUpstream } from '../fakes/upstream.js';
import type { EventBatch, OwnerAlert } from '../../services/contract.js';

const TOKEN = '777010:SETUP-integration-token';
let host: Host;
let telegram: FakeTelegram;
let cleanup: () => void;

beforeAll(async () => {
  telegram = await startFakeTelegram();
  const t = tempDir();
  cleanup = t.cleanup;
  host = new Host({ dataDir: t.dir, mode: 'headless', env: { TELEGRAM_API_ROOT: telegram.apiRoot }, flags: { 'proxy.port': 0, 'control.port': 0 }, services: () => [] });
  await host.start();
});

afterAll(async () => {
  await host?.stop();
  await telegram?.stop();
  cleanup?.();
});

describe('setup.check through the host', () => {
  it('tests a typed token, then the saved one, and never returns it', async () => {
    expect(await host.dispatch('setup.check', { item: 'telegram.token' })).toMatchObject({ ok: true, value: { state: 'todo', tested: 'saved' } });
    const typed = await host.dispatch('setup.check', { item: 'telegram.token', value: TOKEN });
    expect(typed).toEqual({ ok: true, value: { item: 'telegram.token', state: 'done', ok: true, message: 'token valid: @TestNameBot', tested: 'typed' } });
    expect((await host.dispatch('settings.update', { changes: { 'telegram.token': TOKEN } })).ok).toBe(true);
    const saved = await host.dispatch('setup.check', { item: 'telegram.token' });
    expect(saved).toMatchObject({ ok: true, value: { state: 'done', tested: 'saved' } });
    const settings = JSON.stringify(await host.dispatch('settings.get', undefined));
    expect(settings).not.toContain('SETUP-integration-token');
    const view = (await host.dispatch('settings.get', undefined)) as { ok: true; value: { settings: { key: string; isSet: boolean; value: unknown }[] } };
    expect(view.value.settings.find((s) => s.key === 'telegram.token')).toMatchObject({ isSet: true, value: null });
  });

  it('refuses an item that is not a checklist step', async () => {
    expect(await host.dispatch('setup.check', { item: 'log.level' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('system.attention', () => {
  it('counts what waits for the owner', async () => {
    expect(await host.dispatch('system.attention', undefined)).toEqual({
      ok: true,
      value: { pendingInvoices: 0, openTickets: 0, lowCredit: false, creditRemainingMicro: null, servicesDown: 0, notifications: true },
    });
    const customer = host.customers.add({ name: 'Alice', telegramId: 4242 });
    host.business.support.open(customer.id, 'my key does not work');
    expect(await host.dispatch('system.attention', undefined)).toMatchObject({ ok: true, value: { openTickets: 1 } });
  });
});

describe('low upstream credit through the real proxy service', () => {
  it('is counted for the tray and told once as an owner alert', async () => {
    const upstream = await startFakeUpstream({ creditsUsd: '3' });
    const t2 = tempDir();
    const host2 = new Host({ dataDir: t2.dir, mode: 'headless', env: { OPENROUTER_BASE_URL: upstream.baseUrl, OPENROUTER_API_KEY: upstream.apiKey, ARBDESK_UPSTREAM_LOW_CREDIT_USD: '10' }, flags: { 'proxy.port': 0, 'control.port': 0 } });
    const alerts: OwnerAlert[] = [];
    host2.subscribe((batch: EventBatch) => {
      if (batch.stream === 'owner.alert') alerts.push(...batch.events);
    });
    try {
      await host2.start();
      await vi.waitFor(async () => expect(await host2.dispatch('system.attention', undefined)).toMatchObject({ ok: true, value: { lowCredit: true, creditRemainingMicro: 3_000_000 } }), { timeout: 10_000, interval: 50 });
      host2.alerts.checkCredit();
      host2.alerts.checkCredit();
      await vi.waitFor(() => expect(alerts.map((a) => a.kind)).toEqual(['low-credit']), { timeout: 5_000, interval: 50 });
      expect(alerts[0]?.body).toMatch(/^\$3\.00 left\. Top up/);
    } finally {
      await host2.stop();
      await upstream.stop();
      t2.cleanup();
    }
  });
});
