/**
 * Every call the bot makes to the Bot API goes through here, so Telegram's limits hold for all
 * of them together:
 *  - 429 Too Many Requests: the whole outbox pauses for `retry_after` seconds and the call is
 *    retried (up to `maxAttempts`); 5xx answers are retried after a short backoff.
 *  - At most `perSecond` messages start in any one-second window (Telegram: ~30/s per bot);
 *    bulk messages (announcements) may use only `bulkPerSecond` of it, so customers' replies
 *    stay fast during a broadcast.
 *  - Messages to one chat go out in order, one at a time; bulk messages to a chat are at least
 *    `perChatIntervalMs` apart (Telegram: ~1 message per second per chat).
 *  - `urgent` calls (answers to callback and pre-checkout queries, which have deadlines) jump
 *    the queue and are not counted as messages.
 * Other errors (403 blocked, 400 bad request) reject at once: they would fail again.
 */

export type Lane = 'urgent' | 'chat' | 'bulk';

export interface ApiErrorLike {
  code?: number | string;
  description?: string;
  parameters?: { retry_after?: number };
}

export interface OutboxOptions {
  call: (method: string, payload: Record<string, unknown>) => Promise<unknown>;
  perSecond?: number;
  bulkPerSecond?: number;
  perChatIntervalMs?: number;
  maxAttempts?: number;
  maxInFlight?: number;
  /** Longest retry_after honoured before giving up on a call, seconds. */
  maxRetryAfterSeconds?: number;
  now?: () => number;
  onRetry?: (info: { method: string; attempt: number; waitMs: number; reason: string }) => void;
}

interface Item {
  method: string;
  payload: Record<string, unknown>;
  lane: Lane;
  chat: string | null;
  attempts: number;
  notBefore: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class OutboxStoppedError extends Error {
  override name = 'OutboxStoppedError';
  constructor() {
    super('the bot stopped before this message was sent');
  }
}

export class Outbox {
  private readonly queues: Record<Lane, Item[]> = { urgent: [], chat: [], bulk: [] };
  private readonly busyChats = new Set<string>();
  private readonly lastBulkTo = new Map<string, number>();
  private readonly window: number[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private stopped = false;
  private readonly o: Required<Omit<OutboxOptions, 'onRetry'>> & Pick<OutboxOptions, 'onRetry'>;

  constructor(options: OutboxOptions) {
    this.o = {
      perSecond: 30,
      bulkPerSecond: 25,
      perChatIntervalMs: 1000,
      maxAttempts: 5,
      maxInFlight: 16,
      maxRetryAfterSeconds: 600,
      now: Date.now,
      ...options,
    };
  }

  /** Queues a Bot API call; resolves with its result or rejects with Telegram's error. */
  send<T = unknown>(method: string, payload: Record<string, unknown>, lane: Lane = 'chat'): Promise<T> {
    if (this.stopped) return Promise.reject(new OutboxStoppedError());
    return new Promise<T>((resolve, reject) => {
      const chat = lane === 'urgent' || payload.chat_id === undefined ? null : String(payload.chat_id);
      this.queues[lane].push({ method, payload, lane, chat, attempts: 0, notBefore: 0, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Calls waiting (not yet started). */
  get pending(): number {
    return this.queues.urgent.length + this.queues.chat.length + this.queues.bulk.length;
  }

  /** Rejects everything still queued; calls in flight finish. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
    for (const lane of ['urgent', 'chat', 'bulk'] as const) {
      for (const item of this.queues[lane].splice(0)) item.reject(new OutboxStoppedError());
    }
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.o.now();
    while (this.window.length && this.window[0]! <= now - 1000) this.window.shift();
    let wake = Infinity;
    if (now < this.pausedUntil) {
      this.schedule(this.pausedUntil);
      return;
    }
    for (const lane of ['urgent', 'chat', 'bulk'] as const) {
      const queue = this.queues[lane];
      const seen = new Set<string>();
      for (let i = 0; i < queue.length; i++) {
        if (this.inFlight >= this.o.maxInFlight) return; // a completion pumps again
        const item = queue[i]!;
        if (item.chat !== null) {
          if (seen.has(item.chat) || this.busyChats.has(item.chat)) {
            seen.add(item.chat);
            continue; // keeps one chat's messages in order
          }
          seen.add(item.chat);
        }
        if (item.notBefore > now) {
          wake = Math.min(wake, item.notBefore);
          continue;
        }
        if (lane !== 'urgent') {
          const limit = lane === 'bulk' ? this.o.bulkPerSecond : this.o.perSecond;
          if (this.window.length >= limit) {
            wake = Math.min(wake, this.window[this.window.length - limit]! + 1000);
            continue;
          }
          if (lane === 'bulk' && item.chat !== null) {
            const ready = (this.lastBulkTo.get(item.chat) ?? -Infinity) + this.o.perChatIntervalMs;
            if (ready > now) {
              wake = Math.min(wake, ready);
              continue;
            }
          }
        }
        queue.splice(i, 1);
        i--;
        this.start(item, now);
      }
    }
    if (wake !== Infinity) this.schedule(wake);
  }

  private start(item: Item, now: number): void {
    item.attempts++;
    this.inFlight++;
    if (item.chat !== null) this.busyChats.add(item.chat);
    if (item.lane !== 'urgent') this.window.push(now);
    if (item.lane === 'bulk' && item.chat !== null) this.lastBulkTo.set(item.chat, now);
    this.o.call(item.method, item.payload).then(
      (result) => {
        this.finish(item);
        item.resolve(result);
      },
      (error: unknown) => {
        this.finish(item);
        this.failed(item, error);
      },
    );
  }

  private finish(item: Item): void {
    this.inFlight--;
    if (item.chat !== null) this.busyChats.delete(item.chat);
    // Let the settling promise run first, then look at the queue again.
    queueMicrotask(() => this.pump());
  }

  private failed(item: Item, error: unknown): void {
    const err = (error ?? {}) as ApiErrorLike;
    const code = Number(err.code);
    const retryAfter = err.parameters?.retry_after;
    const canRetry = !this.stopped && item.attempts < this.o.maxAttempts;
    if (code === 429 && canRetry && (retryAfter ?? 1) <= this.o.maxRetryAfterSeconds) {
      const waitMs = Math.max(1, retryAfter ?? 1) * 1000;
      this.pausedUntil = Math.max(this.pausedUntil, this.o.now() + waitMs);
      this.requeue(item, 0);
      this.o.onRetry?.({ method: item.method, attempt: item.attempts, waitMs, reason: '429 Too Many Requests' });
      return;
    }
    if (code >= 500 && code < 600 && canRetry) {
      const waitMs = 1000 * 2 ** (item.attempts - 1);
      this.requeue(item, this.o.now() + waitMs);
      this.o.onRetry?.({ method: item.method, attempt: item.attempts, waitMs, reason: `${code} from the Bot API` });
      return;
    }
    item.reject(error);
  }

  private requeue(item: Item, notBefore: number): void {
    item.notBefore = notBefore;
    this.queues[item.lane].unshift(item);
    queueMicrotask(() => this.pump());
  }

  private schedule(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - this.o.now()));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}

/** True for Telegram's "the user blocked the bot / deleted the account / never started it". */
export function isUnreachableChat(error: unknown): boolean {
  const err = (error ?? {}) as ApiErrorLike;
  if (Number(err.code) === 403) return true;
  return Number(err.code) === 400 && /chat not found|user is deactivated/i.test(err.description ?? '');
}
