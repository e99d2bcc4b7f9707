/**
 * What waits for the owner, for the tray, and the desktop notifications. Pure (no electron
 * import): main passes `invoke` (the supervisor's), `notify` (electron's Notification) and
 * `onCounts` (the tray), and feeds it the same event batches the windows get.
 *
 * - Counts (`system.attention`: pending invoices, open tickets, low credit, services down) are
 *   re-read when a batch that can change them arrives — throttled to one read per
 *   `minIntervalMs` (2 s), however fast events come — and every `refreshMs` (60 s) anyway.
 * - Notifications: each `owner.alert` the host tells (a sale, a new ticket, low credit, a
 *   service down; the host already tells each once) is shown once per key; the services host
 *   itself going down is told once per outage by main, which is the only one who can see it.
 *   `notifications.enabled = false` (read with the counts) silences both.
 */
import type { AttentionCounts, EventBatch, OwnerAlert, Result } from '../../services/contract.js';

export interface DesktopNotice {
  title: string;
  body: string;
  /** Route hash to open when clicked (`#/invoices/inv_…`). */
  href: string;
}

export interface AttentionDeps {
  invoke(method: 'system.attention', input: undefined): Promise<Result<unknown>>;
  notify(notice: DesktopNotice): void;
  onCounts(counts: AttentionCounts): void;
  minIntervalMs?: number;
  refreshMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
}

/** A screen of the app (`#/status`, `#/invoices/inv_…`), or null for anything else. */
export function routeHash(href: string): string | null {
  return /^#\/[a-z]+(\/[A-Za-z0-9_-]{1,60})?$/.test(href) ? href : null;
}

/** Streams whose events can change the counts. */
const COUNTED = new Set(['invoice.changed', 'support.changed', 'service.status', 'owner.alert', 'host.status']);
const MAX_KEYS = 500;

/** "2 invoices pending", "1 open ticket", "low upstream credit", "1 service down". */
export function attentionLines(c: AttentionCounts): string[] {
  const lines: string[] = [];
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  if (c.pendingInvoices) lines.push(n(c.pendingInvoices, 'invoice pending', 'invoices pending'));
  if (c.openTickets) lines.push(n(c.openTickets, 'open ticket', 'open tickets'));
  if (c.lowCredit) lines.push('low upstream credit');
  if (c.servicesDown) lines.push(n(c.servicesDown, 'service down', 'services down'));
  return lines;
}

export class AttentionWatcher {
  private counts: AttentionCounts | null = null;
  private readonly shown: string[] = [];
  private hostDownTold = false;
  private lastRead = Number.NEGATIVE_INFINITY;
  private pending: unknown = null;
  private periodic: unknown = null;
  private reading = false;
  private again = false;
  private stopped = false;

  constructor(private readonly d: AttentionDeps) {}

  private get minInterval(): number {
    return this.d.minIntervalMs ?? 2000;
  }

  private now(): number {
    return (this.d.now ?? Date.now)();
  }

  private setTimer(fn: () => void, ms: number): unknown {
    const handle = (this.d.setTimer ?? ((f, t) => setTimeout(f, t)))(fn, ms);
    (handle as { unref?: () => void })?.unref?.();
    return handle;
  }

  private clearTimer(handle: unknown): void {
    if (handle !== null) (this.d.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(handle);
  }

  /** Whether the owner wants notifications (true until the first read says otherwise). */
  get notificationsOn(): boolean {
    return this.counts?.notifications ?? true;
  }

  get latest(): AttentionCounts | null {
    return this.counts;
  }

  start(): void {
    this.schedule();
    const tick = () => {
      if (this.stopped) return;
      this.schedule();
      this.periodic = this.setTimer(tick, this.d.refreshMs ?? 60_000);
    };
    this.periodic = this.setTimer(tick, this.d.refreshMs ?? 60_000);
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer(this.pending);
    this.clearTimer(this.periodic);
    this.pending = null;
    this.periodic = null;
  }

  apply(batch: EventBatch): void {
    if (batch.stream === 'owner.alert') {
      for (const alert of batch.events) this.alert(alert);
    } else if (batch.stream === 'host.status') {
      const last = batch.events.at(-1);
      if (last?.state === 'down' && !this.hostDownTold) {
        this.hostDownTold = true;
        if (this.notificationsOn) this.d.notify({ title: 'ArbDesk services are down', body: `${last.reason || 'The services host stopped'}. ArbDesk restarts it; the bot and proxy are offline meanwhile.`, href: '#/status' });
      } else if (last?.state === 'up') {
        this.hostDownTold = false;
      }
    }
    if (COUNTED.has(batch.stream) && !(batch.stream === 'host.status' && batch.events.at(-1)?.state !== 'up')) this.schedule();
  }

  private alert(alert: OwnerAlert): void {
    if (this.shown.includes(alert.key)) return;
    this.shown.push(alert.key);
    if (this.shown.length > MAX_KEYS) this.shown.shift();
    if (this.notificationsOn) this.d.notify({ title: alert.title, body: alert.body, href: alert.href });
  }

  /** Reads the counts now if the last read is old enough, else once the interval has passed. */
  schedule(): void {
    if (this.stopped || this.pending !== null) return;
    const wait = this.lastRead + this.minInterval - this.now();
    if (wait <= 0) {
      void this.read();
      return;
    }
    this.pending = this.setTimer(() => {
      this.pending = null;
      void this.read();
    }, wait);
  }

  private async read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    this.lastRead = this.now();
    try {
      const result = await this.d.invoke('system.attention', undefined);
      if (result.ok && !this.stopped) {
        this.counts = result.value as AttentionCounts;
        this.d.onCounts(this.counts);
      }
    } finally {
      this.reading = false;
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    }
  }
}
