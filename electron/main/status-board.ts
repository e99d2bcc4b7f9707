/**
 * What the tray shows: the host's state and the last known state of each service, folded into
 * one overall level (icon colour), a tooltip and one menu line per service.
 *
 * Fed with the same event batches the windows get (plus the host's `ready` status), so the tray
 * and the Status screen never disagree. Pure (no electron import).
 */
import type { EventBatch, ServiceStatus, SystemStatus } from '../../services/contract.js';
import type { HostStatus } from './supervisor.js';

/** ok = everything configured is running; idle = nothing is configured yet. */
export type OverallLevel = 'ok' | 'warn' | 'error' | 'idle';

export interface TraySummary {
  level: OverallLevel;
  tooltip: string;
  /** One line per service, in the host's order, e.g. "Telegram bot: failed — token rejected". */
  lines: string[];
  /** What waits for the owner ("2 invoices pending", "1 open ticket"); absent when nothing does. */
  waiting?: string[];
}

const MAX_REASON = 60;

function shorten(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

export class StatusBoard {
  /** undefined until the supervisor reports anything: the host is on its first start. */
  private host: HostStatus | undefined;
  private readonly services = new Map<string, ServiceStatus>();
  private waiting: string[] = [];

  /** What waits for the owner, from `system.attention` (see attention.ts). */
  setWaiting(lines: readonly string[]): void {
    this.waiting = [...lines];
  }

  /** The host said `ready`: its list replaces what we knew (a restarted host starts afresh). */
  applyReady(status: SystemStatus): void {
    this.services.clear();
    for (const service of status.services) this.services.set(service.id, service);
  }

  apply(batch: EventBatch): void {
    if (batch.stream === 'host.status') {
      const last = batch.events.at(-1);
      if (last) this.host = last;
    } else if (batch.stream === 'service.status') {
      for (const service of batch.events) this.services.set(service.id, service);
    }
  }

  summary(): TraySummary {
    const base = this.serviceSummary();
    // While the host is down the counts are stale: show only that it is down.
    if (this.waiting.length === 0 || (this.host !== undefined && this.host.state !== 'up')) return base;
    return { ...base, tooltip: `${base.tooltip} · ${this.waiting.join(', ')}`, waiting: [...this.waiting] };
  }

  private serviceSummary(): TraySummary {
    const services = [...this.services.values()];
    const lines = services.map((s) => {
      const reason = s.state === 'running' || !s.reason ? '' : ` — ${shorten(s.reason)}`;
      return `${s.name}: ${s.state}${reason}`;
    });

    if (!this.host) return { level: 'warn', tooltip: 'ArbDesk — starting services…', lines };
    if (this.host.state !== 'up') {
      const what = this.host.state === 'restarting' ? 'restarting' : 'down';
      return {
        level: 'error',
        tooltip: `ArbDesk — services host ${what}: ${shorten(this.host.reason)}`,
        lines: lines.map((l) => `${l} (last known)`),
      };
    }

    const failed = services.filter((s) => s.state === 'failed');
    const shaky = services.filter((s) => s.state === 'degraded' || s.state === 'starting');
    const running = services.filter((s) => s.state === 'running');
    if (failed.length) {
      return { level: 'error', tooltip: `ArbDesk — ${failed.map((s) => s.name).join(', ')} failed`, lines };
    }
    if (shaky.length) {
      return { level: 'warn', tooltip: `ArbDesk — ${shaky.map((s) => `${s.name} ${s.state}`).join(', ')}`, lines };
    }
    if (running.length === 0) {
      return { level: 'idle', tooltip: 'ArbDesk — no service is configured yet', lines };
    }
    const off = services.length - running.length;
    const rest = off ? `, ${off} off` : '';
    return { level: 'ok', tooltip: `ArbDesk — ${running.length} running${rest}`, lines };
  }
}
