/**
 * What the bot waits for from a user (the next message is a support text, a top-up amount, an
 * announcement, an owner's reply to a ticket), plus announcement drafts. Conversation state
 * only — nothing here is business state — so it lives in memory and expires after a while.
 */
import { randomBytes } from 'node:crypto';

export type Pending =
  | { kind: 'support' }
  | { kind: 'topup' }
  | { kind: 'announce' }
  | { kind: 'ticketReply'; ticketId: string };

export interface AnnouncementDraft {
  id: string;
  ownerId: number;
  text: string;
  state: 'draft' | 'sending' | 'done' | 'cancelled';
}

export class Sessions {
  private readonly pending = new Map<number, { value: Pending; at: number }>();
  private readonly drafts = new Map<string, AnnouncementDraft & { at: number }>();
  /** Owner chat message id → ticket id, so a Telegram "reply" to a forwarded ticket finds it. */
  private readonly ticketMessages = new Map<string, { ticketId: string; at: number }>();
  private readonly charges = new Set<string>();

  constructor(
    private readonly ttlMs = 30 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  set(userId: number, value: Pending): void {
    this.sweep();
    this.pending.set(userId, { value, at: this.now() });
  }

  /** Takes (and clears) what the user's next message is for. */
  take(userId: number): Pending | undefined {
    const entry = this.pending.get(userId);
    this.pending.delete(userId);
    if (!entry || this.now() - entry.at > this.ttlMs) return undefined;
    return entry.value;
  }

  clear(userId: number): boolean {
    return this.pending.delete(userId);
  }

  draft(ownerId: number, text: string): AnnouncementDraft {
    this.sweep();
    const draft = { id: randomBytes(6).toString('base64url'), ownerId, text, state: 'draft' as const, at: this.now() };
    this.drafts.set(draft.id, draft);
    return draft;
  }

  getDraft(id: string): AnnouncementDraft | undefined {
    return this.drafts.get(id);
  }

  rememberTicketMessage(chatId: number, messageId: number, ticketId: string): void {
    this.sweep();
    this.ticketMessages.set(`${chatId}:${messageId}`, { ticketId, at: this.now() });
  }

  ticketForMessage(chatId: number, messageId: number): string | undefined {
    return this.ticketMessages.get(`${chatId}:${messageId}`)?.ticketId;
  }

  /** True the first time a Telegram charge id is seen by this run (the last 10,000 kept). */
  firstSightOfCharge(chargeId: string): boolean {
    if (this.charges.has(chargeId)) return false;
    this.charges.add(chargeId);
    if (this.charges.size > 10_000) this.charges.delete(this.charges.values().next().value as string);
    return true;
  }

  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [k, v] of this.pending) if (v.at < cutoff) this.pending.delete(k);
    for (const [k, v] of this.drafts) if (v.at < cutoff && v.state !== 'sending') this.drafts.delete(k);
    // Ticket messages are kept longer: owners answer hours later. The text of the forwarded
    // message also carries the ticket id, which works after a restart.
    for (const [k, v] of this.ticketMessages) if (v.at < cutoff - 7 * 24 * 3_600_000) this.ticketMessages.delete(k);
  }
}
