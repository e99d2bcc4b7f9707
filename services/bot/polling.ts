/**
 * Long polling for the shop bot. telegraf's own polling loop retries network errors silently,
 * which would leave the owner's status screen saying "running" while no update arrives; this
 * loop does the same calls (getUpdates → bot.handleUpdate) but reports `degraded` with the
 * reason while Telegram is unreachable, honours 429 `retry_after`, and fails the service on
 * 401 (token revoked) or 409 (another instance polls with the same token).
 */
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';

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

  constructor(
    private readonly bot: Telegraf,
    private readonly hooks: PollingHooks,
    private readonly timeoutSeconds = 50,
  ) {}

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
          { timeout: this.timeoutSeconds, offset: this.offset, allowed_updates: [] },
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
      for (const update of updates) {
        this.offset = update.update_id + 1;
        // Handled in order; one bad update must not stop the loop.
        await this.bot.handleUpdate(update).catch((e: unknown) => this.hooks.onUpdateError(e, update));
      }
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
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
