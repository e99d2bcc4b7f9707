import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServiceStatus } from '../../services/contract.js';
import { defaultSettings, type Settings } from '../../services/config/schema.js';
import { ServiceRunner, type ManagedService, type ServiceContext } from '../../services/host/service-runner.js';

const silent = pino({ level: 'silent' });

class FlakyService implements ManagedService {
  readonly id = 'flaky';
  readonly name = 'Flaky';
  startsLeftToFail = 0;
  ctx: ServiceContext | undefined;
  starts = 0;
  stops = 0;
  missing: string | null = null;
  checkConfig(_s: Settings) {
    return this.missing;
  }
  async start(ctx: ServiceContext) {
    this.starts++;
    this.ctx = ctx;
    if (this.startsLeftToFail > 0) {
      this.startsLeftToFail--;
      throw new Error('port 1 in use');
    }
    return { reason: 'serving', detail: { url: 'http://x' } };
  }
  async stop() {
    this.stops++;
  }
}

function runner(service: ManagedService, statuses: ServiceStatus[], now = () => Date.now()) {
  return new ServiceRunner(service, {
    getSettings: defaultSettings,
    logger: silent,
    onStatus: (s) => statuses.push(s),
    describeError: (e) => (e as Error).message,
    initialBackoffMs: 1000,
    maxBackoffMs: 4000,
    stableAfterMs: 60_000,
    now,
  });
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ServiceRunner', () => {
  it('leaves an unconfigured service off, with the reason, and does not retry it', async () => {
    const svc = new FlakyService();
    svc.missing = 'not configured: telegram.token is empty';
    const statuses: ServiceStatus[] = [];
    const r = runner(svc, statuses);
    await r.start();
    expect(r.status).toMatchObject({ state: 'off', reason: 'not configured: telegram.token is empty' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(svc.starts).toBe(0);
  });

  it('goes starting → running with the reason and detail the service gives', async () => {
    const svc = new FlakyService();
    const statuses: ServiceStatus[] = [];
    const r = runner(svc, statuses);
    await r.start();
    expect(statuses.map((s) => s.state)).toEqual(['starting', 'running']);
    expect(r.status).toMatchObject({ reason: 'serving', detail: { url: 'http://x' }, restarts: 0 });
  });

  it('marks a failed start with its reason and restarts with doubling backoff, capped', async () => {
    const svc = new FlakyService();
    svc.startsLeftToFail = 4;
    const statuses: ServiceStatus[] = [];
    const r = runner(svc, statuses);
    await r.start();
    expect(r.status.state).toBe('failed');
    expect(r.status.reason).toBe('port 1 in use — retrying in 1 s');
    await vi.advanceTimersByTimeAsync(999);
    expect(svc.starts).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(svc.starts).toBe(2);
    expect(r.status.reason).toMatch(/retrying in 2 s/);
    await vi.advanceTimersByTimeAsync(2000);
    expect(r.status.reason).toMatch(/retrying in 4 s/);
    await vi.advanceTimersByTimeAsync(4000);
    expect(r.status.reason).toMatch(/retrying in 4 s/); // capped at maxBackoffMs
    await vi.advanceTimersByTimeAsync(4000);
    expect(r.status).toMatchObject({ state: 'running', restarts: 4 });
  });

  it('reports degraded and recovered while running, and restarts after a runtime failure', async () => {
    const svc = new FlakyService();
    const statuses: ServiceStatus[] = [];
    const r = runner(svc, statuses);
    await r.start();
    svc.ctx!.degraded('cannot reach Telegram');
    expect(r.status).toMatchObject({ state: 'degraded', reason: 'cannot reach Telegram' });
    svc.ctx!.recovered('reachable again');
    expect(r.status).toMatchObject({ state: 'running', reason: 'reachable again' });
    svc.ctx!.failed(new Error('token revoked'));
    await vi.advanceTimersByTimeAsync(0);
    expect(r.status.state).toBe('failed');
    expect(svc.stops).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.status).toMatchObject({ state: 'running', restarts: 1 });
  });

  it('ignores reports from a run that was already stopped', async () => {
    const svc = new FlakyService();
    const r = runner(svc, []);
    await r.start();
    const oldCtx = svc.ctx!;
    await r.stop('owner stopped it');
    oldCtx.failed(new Error('late error'));
    oldCtx.degraded('late');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.status).toMatchObject({ state: 'off', reason: 'owner stopped it' });
    expect(svc.starts).toBe(1);
  });

  it('starts the backoff over once a service has run stably', async () => {
    let clock = 0;
    const svc = new FlakyService();
    svc.startsLeftToFail = 2;
    const r = runner(svc, [], () => clock);
    await r.start();
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(r.status.state).toBe('running');
    clock += 120_000;
    svc.ctx!.failed(new Error('dropped'));
    await vi.advanceTimersByTimeAsync(0);
    expect(r.status.reason).toBe('dropped — retrying in 1 s');
  });
});
