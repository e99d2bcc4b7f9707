/**
 * Announcements: /announce → the text → a confirmation showing how many customers get it →
 * a broadcast paced by the outbox's bulk lane → the owner gets the count of delivered and
 * failed (customers who blocked the bot count as failed; they are not errors).
 */
import type { User } from 'telegraf/types';
import { button, say, sayPlain, type BotCore } from '../core.js';
import { cut } from '../format.js';
import { t } from '../i18n/index.js';
import { isUnreachableChat } from '../outbox.js';
import { languageFor } from './onboarding.js';
import { ownerOnly } from './owner.js';

export interface BroadcastResult {
  delivered: number;
  failed: number;
  blocked: number;
}

export async function startAnnounce(core: BotCore, from: User, inline: string): Promise<void> {
  if (!(await ownerOnly(core, from))) return;
  if (inline) return draftAnnouncement(core, from, inline);
  core.sessions.set(from.id, { kind: 'announce' });
  await say(core, from.id, t(languageFor(core, from)).announceAsk(core.limits.maxAnnouncement));
}

export async function draftAnnouncement(core: BotCore, from: User, text: string): Promise<void> {
  if (!(await ownerOnly(core, from))) return;
  const texts = t(languageFor(core, from));
  const c = cut(text, core.limits.maxAnnouncement);
  const recipients = core.shop.announcementRecipients().length;
  if (recipients === 0) {
    await say(core, from.id, texts.announceNone);
    return;
  }
  const draft = core.sessions.draft(from.id, c.text);
  await say(core, from.id, texts.announceConfirm(recipients, c.text), [
    [button(texts.btnAnnounceSend(recipients), { action: 'ann', op: 'go', draftId: draft.id }), button(texts.btnCancel, { action: 'ann', op: 'no', draftId: draft.id })],
  ]);
}

export async function onAnnounceButton(core: BotCore, from: User, op: 'go' | 'no', draftId: string): Promise<void> {
  if (!(await ownerOnly(core, from))) return;
  const texts = t(languageFor(core, from));
  const draft = core.sessions.getDraft(draftId);
  if (!draft || draft.ownerId !== from.id || draft.state !== 'draft') {
    await say(core, from.id, texts.announceGone);
    return;
  }
  if (op === 'no') {
    draft.state = 'cancelled';
    await say(core, from.id, texts.cancelled);
    return;
  }
  draft.state = 'sending';
  const recipients = [...new Set(core.shop.announcementRecipients())];
  core.log.info({ event: 'bot.announcement_started', recipients: recipients.length, ownerId: from.id }, 'announcement started');
  await say(core, from.id, texts.announceSending(recipients.length));
  // In the background: a broadcast to thousands takes minutes and must not hold the update loop.
  void broadcast(core, recipients, draft.text).then(async (result) => {
    draft.state = 'done';
    core.log.info({ event: 'bot.announcement_done', ...result }, `announcement delivered to ${result.delivered}, failed ${result.failed}`);
    await say(core, from.id, texts.announceDone(result.delivered, result.failed, result.blocked)).catch(() => undefined);
  });
}

export async function broadcast(core: BotCore, recipients: number[], text: string): Promise<BroadcastResult> {
  const results = await Promise.allSettled(recipients.map((id) => sayPlain(core, id, text, 'bulk')));
  const result: BroadcastResult = { delivered: 0, failed: 0, blocked: 0 };
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') result.delivered++;
    else {
      result.failed++;
      if (isUnreachableChat(r.reason)) {
        result.blocked++;
        core.shop.customerBlocked(recipients[i]!); // left out of the next announcement
      }
    }
  });
  return result;
}
