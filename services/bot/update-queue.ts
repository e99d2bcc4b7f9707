/**
 * Runs updates one at a time per user (a customer's clicks are handled in the order made) and
 * different users side by side, so one slow conversation never holds up another customer's
 * pre-checkout answer. Pre-checkout queries get their own lane: they only read, and Telegram
 * allows 10 seconds for the answer.
 */
import type { Update } from 'telegraf/types';
import { updateUser } from './router.js';

export class UpdateQueue {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly handle: (update: Update) => Promise<void>) {}

  /** Resolves when this update has been handled (errors are the handler's to report). */
  run(update: Update): Promise<void> {
    const key = 'pre_checkout_query' in update ? `pcq:${update.update_id}` : `user:${updateUser(update)?.id ?? 'none'}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.handle(update));
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** Waits for everything queued so far. */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
