/**
 * Runs the services host (bot, proxy, scanners, SQLite) in a child process and keeps it running.
 *
 * Why a child at all: a busy proxy or a hung scanner must never freeze a window, and a crash in
 * a service must not take the desktop down with it. Why this class is pure: the restart policy
 * is the part worth testing, so the process (`spawn`) and time (`timers`) are injected; the
 * Electron `utilityProcess` adapter lives in host-process.ts.
 *
 * Life of the host, as main sees it:
 *   starting ──ready──▶ up ──exit──▶ down (backoff) ──timer──▶ starting (restarting) ...
 *   any ──stop()──▶ stopping ──exit──▶ stopped
 * - Restart delay doubles from `initialDelayMs` to `maxDelayMs`; after the host has stayed up for
 *   `stableAfterMs`, the next crash starts again from the initial delay.
 * - Every change is told to the windows as a `host.status` event, with the reason (exit code or
 *   the host's own `fatal` message) and the number of restarts so far.
 * - Invokes while the host is down are answered at once with `host_unavailable`; invokes while
 *   it is starting wait (bounded) for `ready`, so the first screen does not flash an error.
 */
import {
  fail,
  type CommandName,
  type EventBatch,
  type EventPayload,
  type Result,
  type SystemStatus,
} from '../../services/contract.js';
import type { ParentToHost } from '../../services/host/parent-protocol.js';
import { parseHostMessage } from './host-messages.js';

/** The handle the supervisor needs on a running host. */
export interface HostChild {
  postMessage(message: ParentToHost): void;
  /** Polite stop (SIGTERM). */
  kill(): void;
  /** Last resort for a host that ignores kill() (SIGKILL). */
  forceKill(): void;
}

export interface HostChildHandlers {
  onMessage(raw: unknown): void;
  onExit(code: number): void;
}

/** Starts a host process wired to the handlers; may throw if it cannot even be started. */
export type SpawnHost = (handlers: HostChildHandlers) => HostChild;

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type HostStatus = EventPayload<'host.status'>;
export type SupervisorPhase = 'idle' | 'starting' | 'up' | 'down' | 'stopping' | 'stopped';
type LogFn = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export interface SupervisorOptions {
  spawn: SpawnHost;
  /** Decrypted secrets for `init`; read afresh on every start. */
  secrets(): Record<string, string>;
  /** Event batches for the windows: the host's own, and `host.status` from here. */
  onEvents(batch: EventBatch): void;
  onReady?(status: SystemStatus): void;
  /** The host asks main to store (value) or delete (null) a secret. */
  onSecretPersist(key: string, value: string | null): void;
  log?: LogFn;
  timers?: Timers;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Up this long ⇒ the next crash is treated as a first crash again. */
  stableAfterMs?: number;
  /** A host that does not say `ready` in this time is killed and restarted. */
  readyTimeoutMs?: number;
  /** An invoke without an answer in this time fails with host_unavailable. */
  requestTimeoutMs?: number;
  /** How long `shutdown` may take before the host is killed. */
  shutdownTimeoutMs?: number;
  /** Between kill() and forceKill(), and between `fatal` and kill(). */
  killGraceMs?: number;
  /** Invokes held while starting, at most. */
  maxQueued?: number;
}

/** Restart delay after `failures` consecutive crashes (1 ⇒ initial). */
export function backoffDelay(failures: number, initialMs: number, maxMs: number): number {
  return Math.min(initialMs * 2 ** Math.max(0, failures - 1), maxMs);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Waiting {
  method: CommandName;
  input: unknown;
  resolve(result: Result<unknown>): void;
  timer: unknown;
}

export class HostSupervisor {
  private phase: SupervisorPhase = 'idle';
  private child: HostChild | undefined;
  /** Bumped on every spawn so late events from a previous child are ignored. */
  private generation = 0;
  private failures = 0;
  private restarts = 0;
  private readyAt: number | undefined;
  /** Why the current child is going away, if main or the host already said so. */
  private exitReason: string | undefined;
  private lastReason = '';
  private current: HostStatus = { state: 'down', reason: 'not started', restarts: 0 };
  private nextId = 1;
  private readonly inFlight = new Map<number, Waiting>();
  private queued: Waiting[] = [];
  private readonly timerHandles = new Set<unknown>();
  private restartTimer: unknown;
  private readyTimer: unknown;
  private stopWaiters: (() => void)[] = [];

  private readonly t: Timers;
  private readonly o: {
    initialDelayMs: number;
    maxDelayMs: number;
    stableAfterMs: number;
    readyTimeoutMs: number;
    requestTimeoutMs: number;
    shutdownTimeoutMs: number;
    killGraceMs: number;
    maxQueued: number;
  };

  constructor(private readonly options: SupervisorOptions) {
    this.t = options.timers ?? realTimers;
    this.o = {
      initialDelayMs: options.initialDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      stableAfterMs: options.stableAfterMs ?? 60_000,
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5_000,
      killGraceMs: options.killGraceMs ?? 2_000,
      maxQueued: options.maxQueued ?? 100,
    };
  }

  get state(): SupervisorPhase {
    return this.phase;
  }

  /** The last host.status sent to windows (for the tray and for windows opened later). */
  get status(): HostStatus {
    return this.current;
  }

  start(): void {
    if (this.phase !== 'idle') return;
    this.spawnNow();
  }

  invoke(method: CommandName, input: unknown): Promise<Result<unknown>> {
    switch (this.phase) {
      case 'up':
        return this.send(method, input);
      case 'idle':
      case 'starting':
        if (this.queued.length >= this.o.maxQueued) {
          return Promise.resolve(fail('host_unavailable', 'The services host is starting and too many requests are waiting; try again shortly.'));
        }
        return new Promise((resolve) => {
          const waiting: Waiting = { method, input, resolve, timer: undefined };
          waiting.timer = this.later(this.o.requestTimeoutMs, () => {
            this.queued = this.queued.filter((w) => w !== waiting);
            resolve(fail('host_unavailable', `${method}: the services host did not start within ${seconds(this.o.requestTimeoutMs)}.`));
          });
          this.queued.push(waiting);
        });
      case 'down':
        return Promise.resolve(fail('host_unavailable', `The services host is down (${this.current.reason}).`));
      case 'stopping':
      case 'stopped':
        return Promise.resolve(fail('host_unavailable', 'ArbDesk is shutting down.'));
    }
  }

  /** Asks the host to shut down, kills it if it takes too long; resolves once it has exited. */
  stop(): Promise<void> {
    if (this.phase === 'stopped') return Promise.resolve();
    this.cancel(this.restartTimer);
    this.failQueued('ArbDesk is shutting down.');
    if (!this.child) {
      this.phase = 'stopped';
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve) => this.stopWaiters.push(resolve));
    if (this.phase !== 'stopping') {
      this.phase = 'stopping';
      this.exitReason = 'stopped by ArbDesk';
      this.post({ type: 'shutdown' });
      const child = this.child;
      this.later(this.o.shutdownTimeoutMs, () => {
        if (this.child !== child) return;
        this.log('warn', `services host did not stop within ${seconds(this.o.shutdownTimeoutMs)}; killing it`);
        this.terminate(child);
      });
      // Never keep the app from quitting, even if the process somehow outlives SIGKILL.
      this.later(this.o.shutdownTimeoutMs + 2 * this.o.killGraceMs, () => this.finishStop());
    }
    return done;
  }

  // -------------------------------------------------------------------------------------------

  private spawnNow(): void {
    this.generation += 1;
    const generation = this.generation;
    this.phase = 'starting';
    this.readyAt = undefined;
    this.exitReason = undefined;
    let secrets: Record<string, string> = {};
    try {
      secrets = this.options.secrets();
    } catch (err) {
      this.log('error', 'could not read the stored secrets; starting the host without them', { error: (err as Error).message });
    }
    try {
      this.child = this.options.spawn({
        onMessage: (raw) => {
          if (generation === this.generation) this.handleMessage(raw);
        },
        onExit: (code) => {
          if (generation === this.generation) this.handleExit(code);
        },
      });
    } catch (err) {
      this.child = undefined;
      this.afterExit(`could not start the services host: ${(err as Error).message}`);
      return;
    }
    this.post({ type: 'init', secrets });
    const child = this.child;
    this.readyTimer = this.later(this.o.readyTimeoutMs, () => {
      if (this.child !== child || this.phase !== 'starting') return;
      this.exitReason = `the services host did not become ready within ${seconds(this.o.readyTimeoutMs)}`;
      this.log('error', this.exitReason);
      this.terminate(child);
    });
  }

  private handleMessage(raw: unknown): void {
    const message = parseHostMessage(raw);
    if (!message) {
      const type = typeof raw === 'object' && raw !== null ? String((raw as { type?: unknown }).type) : typeof raw;
      this.log('warn', 'dropped a malformed message from the services host', { type });
      return;
    }
    switch (message.type) {
      case 'ready':
        if (this.phase !== 'starting') return;
        this.cancel(this.readyTimer);
        this.phase = 'up';
        this.readyAt = this.t.now();
        this.setStatus({
          state: 'up',
          reason: this.restarts === 0 ? 'services host is running' : `services host is running again (after: ${this.lastReason})`,
          restarts: this.restarts,
        });
        this.options.onReady?.(message.status);
        this.flushQueued();
        return;
      case 'result': {
        const waiting = this.inFlight.get(message.id);
        if (!waiting) return; // timed out already
        this.inFlight.delete(message.id);
        this.cancel(waiting.timer);
        waiting.resolve(message.result);
        return;
      }
      case 'events':
        this.options.onEvents(message.batch);
        return;
      case 'secret.persist':
        try {
          this.options.onSecretPersist(message.key, message.value);
        } catch (err) {
          this.log('error', 'could not store a secret', { key: message.key, error: (err as Error).message });
        }
        return;
      case 'fatal': {
        this.exitReason = message.message;
        this.log('error', 'services host reported a fatal error', { message: message.message });
        const child = this.child;
        // It normally exits by itself right after; make sure it does.
        this.later(this.o.killGraceMs, () => {
          if (child && this.child === child) this.terminate(child);
        });
        return;
      }
    }
  }

  private handleExit(code: number): void {
    this.child = undefined;
    this.cancel(this.readyTimer);
    const reason = this.exitReason ?? `the services host exited with code ${code}`;
    this.failInFlight();
    if (this.phase === 'stopping' || this.phase === 'stopped') {
      this.finishStop();
      return;
    }
    this.afterExit(reason);
  }

  /** The host is gone without being asked to stop: report it and schedule the restart. */
  private afterExit(reason: string): void {
    const wasStable = this.readyAt !== undefined && this.t.now() - this.readyAt >= this.o.stableAfterMs;
    if (wasStable) this.failures = 0;
    this.failures += 1;
    this.lastReason = reason;
    const delay = backoffDelay(this.failures, this.o.initialDelayMs, this.o.maxDelayMs);
    this.phase = 'down';
    this.failQueued(`The services host is down (${reason}).`);
    this.log('error', 'services host stopped unexpectedly', { reason, restartInMs: delay, failures: this.failures });
    this.setStatus({ state: 'down', reason: `${reason}; restarting in ${seconds(delay)}`, restarts: this.restarts });
    this.restartTimer = this.later(delay, () => {
      if (this.phase !== 'down') return;
      this.restarts += 1;
      this.setStatus({ state: 'restarting', reason: `restart ${this.restarts} after: ${reason}`, restarts: this.restarts });
      this.spawnNow();
    });
  }

  private finishStop(): void {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    for (const handle of this.timerHandles) this.t.clearTimeout(handle);
    this.timerHandles.clear();
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private send(method: CommandName, input: unknown): Promise<Result<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const waiting: Waiting = { method, input, resolve, timer: undefined };
      waiting.timer = this.later(this.o.requestTimeoutMs, () => {
        if (!this.inFlight.delete(id)) return;
        resolve(fail('host_unavailable', `${method}: the services host did not answer within ${seconds(this.o.requestTimeoutMs)}.`));
      });
      this.inFlight.set(id, waiting);
      if (!this.post({ type: 'invoke', id, method, input })) {
        this.inFlight.delete(id);
        this.cancel(waiting.timer);
        resolve(fail('host_unavailable', `${method}: could not reach the services host.`));
      }
    });
  }

  private flushQueued(): void {
    const queued = this.queued;
    this.queued = [];
    for (const waiting of queued) {
      this.cancel(waiting.timer);
      void this.send(waiting.method, waiting.input).then(waiting.resolve);
    }
  }

  private failQueued(message: string): void {
    const queued = this.queued;
    this.queued = [];
    for (const waiting of queued) {
      this.cancel(waiting.timer);
      waiting.resolve(fail('host_unavailable', message));
    }
  }

  /** A request the host received but never answered may or may not have taken effect: say so. */
  private failInFlight(): void {
    const inFlight = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const waiting of inFlight) {
      this.cancel(waiting.timer);
      waiting.resolve(
        fail(
          'host_unavailable',
          `${waiting.method}: the services host stopped before answering, so it is not known whether it took effect. Check before retrying.`,
        ),
      );
    }
  }

  private terminate(child: HostChild): void {
    try {
      child.kill();
    } catch (err) {
      this.log('warn', 'kill() failed', { error: (err as Error).message });
    }
    this.later(this.o.killGraceMs, () => {
      if (this.child !== child) return;
      this.log('warn', 'services host ignored SIGTERM; forcing it');
      try {
        child.forceKill();
      } catch (err) {
        this.log('warn', 'forceKill() failed', { error: (err as Error).message });
      }
    });
  }

  private post(message: ParentToHost): boolean {
    if (!this.child) return false;
    try {
      this.child.postMessage(message);
      return true;
    } catch (err) {
      this.log('warn', 'could not post to the services host', { type: message.type, error: (err as Error).message });
      return false;
    }
  }

  private setStatus(status: HostStatus): void {
    this.current = status;
    this.options.onEvents({ stream: 'host.status', events: [status] });
  }

  private later(ms: number, fn: () => void): unknown {
    const handle = this.t.setTimeout(() => {
      this.timerHandles.delete(handle);
      fn();
    }, ms);
    this.timerHandles.add(handle);
    return handle;
  }

  private cancel(handle: unknown): void {
    if (handle === undefined) return;
    this.timerHandles.delete(handle);
    this.t.clearTimeout(handle);
  }

  private log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void {
    this.options.log?.(level, msg, fields);
  }
}
