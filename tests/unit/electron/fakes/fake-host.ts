/**
 * A stand-in for the services host process, for supervisor and dispatch tests: records what
 * main posts to it and lets the test make it answer, crash or ignore kill signals.
 */
import type { EventBatch, SystemStatus } from '../../../../services/contract.js';
import type { ParentToHost } from '../../../../services/host/parent-protocol.js';
import {
  HostSupervisor,
  type HostChild,
  type HostChildHandlers,
  type SupervisorOptions,
  type Timers,
} from '../../../../electron/main/supervisor.js';

export class FakeChild implements HostChild {
  readonly posted: ParentToHost[] = [];
  kills = 0;
  forceKills = 0;
  exited = false;
  /** When true, kill() makes the child exit (as a well-behaved process would). */
  exitOnKill = true;

  constructor(private readonly handlers: HostChildHandlers) {}

  postMessage(message: ParentToHost): void {
    if (this.exited) throw new Error('child is gone');
    this.posted.push(structuredClone(message));
  }

  kill(): void {
    this.kills += 1;
    if (this.exitOnKill) this.exit(143);
  }

  forceKill(): void {
    this.forceKills += 1;
    this.exit(137);
  }

  /** The host speaks (raw: the supervisor must validate it). */
  send(message: unknown): void {
    this.handlers.onMessage(message);
  }

  ready(services: SystemStatus['services'] = []): void {
    this.send({ type: 'ready', status: fakeStatus(services) });
  }

  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.handlers.onExit(code);
  }

  /** The invoke messages posted so far. */
  invokes(): Extract<ParentToHost, { type: 'invoke' }>[] {
    return this.posted.filter((m): m is Extract<ParentToHost, { type: 'invoke' }> => m.type === 'invoke');
  }
}

export function fakeStatus(services: SystemStatus['services'] = []): SystemStatus {
  return {
    version: '0.0.0-test',
    mode: 'desktop',
    pid: 4242,
    startedAt: '2030-01-01T00:00:00.000Z',
    uptimeSeconds: 0,
    dataDir: '/tmp/arbdesk-test',
    services,
  };
}

export const fakeTimers: Timers = {
  // Resolved at call time, so vitest's fake timers (installed per test) are the ones used.
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Harness {
  supervisor: HostSupervisor;
  children: FakeChild[];
  /** The latest child. */
  child(): FakeChild;
  batches: EventBatch[];
  hostStatuses(): Extract<EventBatch, { stream: 'host.status' }>['events'];
  persisted: [string, string | null][];
  logs: { level: string; msg: string; fields?: Record<string, unknown> }[];
  secrets: Record<string, string>;
}

export function harness(overrides: Partial<SupervisorOptions> = {}): Harness {
  const children: FakeChild[] = [];
  const batches: EventBatch[] = [];
  const persisted: [string, string | null][] = [];
  const logs: Harness['logs'] = [];
  const h: Harness = {
    children,
    batches,
    persisted,
    logs,
    secrets: { 'telegram.token': '123:abc' },
    child: () => {
      const last = children.at(-1);
      if (!last) throw new Error('no child was spawned');
      return last;
    },
    hostStatuses: () => batches.flatMap((b) => (b.stream === 'host.status' ? b.events : [])),
    supervisor: undefined as unknown as HostSupervisor,
  };
  h.supervisor = new HostSupervisor({
    spawn: (handlers) => {
      const child = new FakeChild(handlers);
      children.push(child);
      return child;
    },
    secrets: () => ({ ...h.secrets }),
    onEvents: (batch) => batches.push(batch),
    onSecretPersist: (key, value) => persisted.push([key, value]),
    log: (level, msg, fields) => logs.push({ level, msg, fields }),
    timers: fakeTimers,
    ...overrides,
  });
  return h;
}
