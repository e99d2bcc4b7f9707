/**
 * Runs one service with a live status and supervision: a service that fails to start, or
 * reports a failure while running, is marked `failed` with its reason and restarted with
 * exponential backoff (1 s doubling to 60 s; the delay resets once it has run for a minute).
 * A service that is not configured is `off` with a reason saying what is missing, and is not
 * retried until its settings change.
 */
import type { ServiceState, ServiceStatus } from '../contract.js';
import type { Settings } from '../config/schema.js';
import type { Logger } from '../log/logger.js';

export interface ServiceContext {
  readonly settings: Settings;
  readonly logger: Logger;
  /** Still serving, but something is wrong (e.g. Telegram unreachable, retrying). */
  degraded(reason: string): void;
  /** Back to normal after degraded. */
  recovered(reason: string): void;
  /** Cannot go on: the runner stops it and schedules a restart. */
  failed(error: unknown): void;
  setDetail(detail: Record<string, string>): void;
}

export interface ManagedService {
  readonly id: string;
  readonly name: string;
  /** Why it cannot run with these settings ("not configured: telegram.token is empty"), or null. */
  checkConfig(settings: Settings): string | null;
  /** Resolves once the service is serving, with the reason shown (degraded: serving, but not fully). */
  start(ctx: ServiceContext): Promise<{ reason: string; detail?: Record<string, string>; degraded?: boolean }>;
  stop(): Promise<void>;
}

export interface RunnerOptions {
  getSettings: () => Settings;
  logger: Logger;
  onStatus: (status: ServiceStatus) => void;
  /** Makes errors safe to show (strips secrets). */
  describeError: (error: unknown) => string;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** After running this long, the next failure starts the backoff from the beginning again. */
  stableAfterMs?: number;
  now?: () => number;
}

export class ServiceRunner {
  private current: ServiceStatus;
  private generation = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffMs: number;
  private runningSince: number | undefined;
  private stopping = false;
  private readonly log: Logger;

  constructor(
    readonly service: ManagedService,
    private readonly options: RunnerOptions,
  ) {
    this.backoffMs = options.initialBackoffMs ?? 1000;
    this.log = options.logger.child({ service: service.id });
    this.current = {
      id: service.id,
      name: service.name,
      state: 'off',
      reason: 'not started',
      since: new Date().toISOString(),
      restarts: 0,
      detail: {},
    };
  }

  get status(): ServiceStatus {
    return this.current;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.clearRestart();
    const generation = ++this.generation;
    const settings = this.options.getSettings();
    const missing = this.service.checkConfig(settings);
    if (missing) {
      this.set('off', missing, {});
      this.log.info({ event: 'service.not_configured', reason: missing }, `${this.service.name}: ${missing}`);
      return;
    }
    this.set('starting', 'starting', {});
    try {
      const started = await this.service.start(this.context(generation, settings));
      if (generation !== this.generation) return; // stopped or restarted meanwhile
      this.runningSince = this.now();
      this.set(started.degraded ? 'degraded' : 'running', started.reason, started.detail ?? this.current.detail);
      this.log.info({ event: 'service.started', reason: started.reason, degraded: Boolean(started.degraded) }, `${this.service.name} running: ${started.reason}`);
    } catch (error) {
      if (generation !== this.generation) return;
      await this.fail(generation, error);
    }
  }

  async stop(reason = 'stopped'): Promise<void> {
    this.stopping = true;
    this.generation++;
    this.clearRestart();
    if (this.current.state !== 'off' && this.current.state !== 'failed') {
      try {
        await this.service.stop();
      } catch (error) {
        this.log.warn({ event: 'service.stop_failed', err: this.options.describeError(error) }, 'stop failed');
      }
    }
    this.set('off', reason, {});
  }

  /** Restart now (settings changed): keeps the restart counter, resets the backoff. */
  async restart(why: string): Promise<void> {
    this.log.info({ event: 'service.restarting', reason: why }, `${this.service.name} restarting: ${why}`);
    this.backoffMs = this.options.initialBackoffMs ?? 1000;
    await this.stop(why);
    await this.start();
  }

  private context(generation: number, settings: Settings): ServiceContext {
    const live = () => generation === this.generation;
    return {
      settings,
      logger: this.log,
      degraded: (reason) => {
        if (!live() || this.current.state === 'degraded') return;
        this.set('degraded', reason, this.current.detail);
        this.log.warn({ event: 'service.degraded', reason }, `${this.service.name} degraded: ${reason}`);
      },
      recovered: (reason) => {
        if (!live() || this.current.state !== 'degraded') return;
        this.set('running', reason, this.current.detail);
        this.log.info({ event: 'service.recovered', reason }, `${this.service.name} recovered`);
      },
      failed: (error) => {
        if (live()) void this.fail(generation, error);
      },
      setDetail: (detail) => {
        if (live()) this.set(this.current.state, this.current.reason, detail);
      },
    };
  }

  private async fail(generation: number, error: unknown): Promise<void> {
    const reason = this.options.describeError(error);
    this.generation++;
    try {
      await this.service.stop();
    } catch {
      // already broken; the failure below is what matters
    }
    if (this.stopping || generation + 1 !== this.generation) return;
    if (this.runningSince !== undefined && this.now() - this.runningSince >= (this.options.stableAfterMs ?? 60_000)) {
      this.backoffMs = this.options.initialBackoffMs ?? 1000;
    }
    this.runningSince = undefined;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 60_000);
    this.set('failed', `${reason} — retrying in ${formatDelay(delay)}`, {});
    this.log.error({ event: 'service.failed', reason, retryInMs: delay }, `${this.service.name} failed: ${reason}`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.current = { ...this.current, restarts: this.current.restarts + 1 };
      void this.start();
    }, delay);
    this.restartTimer.unref?.();
  }

  private clearRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private set(state: ServiceState, reason: string, detail: Record<string, string>): void {
    this.current = { ...this.current, state, reason, detail, since: new Date().toISOString() };
    this.options.onStatus(this.current);
  }
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
