/**
 * Long polling for the shop bot. telegraf's own polling loop retries network errors silently,
 * which would leave the owner's status screen saying "running" while no update arrives; this
 * loop does the same calls (getUpdates → bot.handleUpdate) but reports `degraded` with the
 * reason while Telegram is unreachable, honours 429 `retry_after`, and fails the service on
 * 401 (token revoked) or 409 (another instance polls with the same token).
 *
 * A batch of updates is handled side by side (one user's updates in order, by the update
 * queue) and finished before the next getUpdates confirms it to Telegram, so an update being
 * handled when the app dies is delivered again.
 */
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';

export interface PollingOptions {
  timeoutSeconds?: number;
  /** Update types to receive (Telegram remembers the last list given). */
  allowedUpdates?: string[];
  /** Handles one update; defaults to bot.handleUpdate. */
  handle?: (update: Update) => Promise<void>;
}

export interface PollingHooks {
  degraded(reason: string): void;
  recovered(reason: string): void;
  failed(error: Error): void;
  onUpdateError(error: unknown, update: Update): void;
}

interface TelegramLikeError {
  name?: string;
  code?: number | string;
  message?: string;
  parameters?: { retry_after?: number };
  description?: string;
}

export class PollingLoop {
  private readonly abort = new AbortController();
  private offset = 0;
  private done: Promise<void> | undefined;

  private readonly timeoutSeconds: number;
  private readonly allowedUpdates: string[];
  private readonly handle: (update: Update) => Promise<void>;

  constructor(
    private readonly bot: Telegraf,
    private readonly hooks: PollingHooks,
    options: PollingOptions | number = {},
  ) {
    const o = typeof options === 'number' ? { timeoutSeconds: options } : options;
    this.timeoutSeconds = o.timeoutSeconds ?? 50;
    this.allowedUpdates = o.allowedUpdates ?? [];
    this.handle = o.handle ?? ((update) => this.bot.handleUpdate(update));
  }

  start(): void {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done?.catch(() => undefined);
  }

  private async run(): Promise<void> {
    let failing = false;
    while (!this.abort.signal.aborted) {
      let updates: Update[];
      try {
        updates = await this.bot.telegram.callApi(
          'getUpdates',
          { timeout: this.timeoutSeconds, offset: this.offset, allowed_updates: this.allowedUpdates as never },
          { signal: this.abort.signal } as never,
        );
      } catch (error) {
        if (this.abort.signal.aborted) return;
        const err = error as TelegramLikeError;
        if (err.code === 401 || err.code === 404) {
          this.hooks.failed(new Error('Telegram rejected the bot token (401 Unauthorized): check telegram.token with @BotFather'));
          return;
        }
        if (err.code === 409) {
          this.hooks.failed(new Error('another program is polling with the same bot token (409 Conflict): stop it, or remove its webhook'));
          return;
        }
        const retryAfter = err.parameters?.retry_after;
        const wait = retryAfter ? retryAfter * 1000 : 5000;
        this.hooks.degraded(
          retryAfter
            ? `Telegram asked to slow down (429): retrying in ${retryAfter} s`
            : `cannot reach Telegram at the API root (${shortReason(err)}): retrying every ${wait / 1000} s`,
        );
        failing = true;
        await delay(wait, this.abort.signal);
        continue;
      }
      if (failing) {
        failing = false;
        this.hooks.recovered('Telegram reachable again');
      }
      if (updates.length) this.offset = Math.max(...updates.map((u) => u.update_id)) + 1;
      // One bad update must not stop the loop.
      await Promise.all(updates.map((update) => this.handle(update).catch((e: unknown) => this.hooks.onUpdateError(e, update))));
      // A real Bot API server holds an empty getUpdates for `timeout` seconds; a server that
      // answers at once (a local stand-in) would otherwise make this loop spin.
      if (updates.length === 0) await delay(200, this.abort.signal);
    }
  }
}

function shortReason(err: TelegramLikeError): string {
  return (err.description ?? err.message ?? String(err.code ?? 'unknown error')).split('\n')[0]!.slice(0, 160);
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
