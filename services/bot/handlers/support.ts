/**
 * Support: the customer's next message becomes a ticket for the owners (with a Reply button);
 * the owner answers by pressing Reply, by replying to the ticket message in Telegram, or with
 * /reply <ticket> <text>; the desktop answers through StorefrontEvents.ticketReply.
 */
import type { Message, User } from 'telegraf/types';
import { button, isOwner, say, sayShopError, textsFor, type BotCore } from '../core.js';
import { cut, displayName } from '../format.js';
import { joinHtml } from '../html.js';
import { t } from '../i18n/index.js';
import type { Ticket } from '../shop-port.js';
import { callbackSchema } from '../callback-data.js';
import { languageFor } from './onboarding.js';
import { ownerOnly } from './owner.js';

const MAX_REPLY = 3500;

export async function startSupport(core: BotCore, from: User, inline: string): Promise<void> {
  if (!core.shop.customer(from.id)) core.shop.register(from.id, displayName(from), languageFor(core, from));
  if (inline) return onSupportText(core, from, inline);
  core.sessions.set(from.id, { kind: 'support' });
  await say(core, from.id, textsFor(core, from.id).supportAsk(core.limits.maxSupportText));
}

export async function onSupportText(core: BotCore, from: User, text: string): Promise<void> {
  const texts = textsFor(core, from.id);
  const c = cut(text, core.limits.maxSupportText);
  let ticket: Ticket;
  try {
    ticket = core.shop.openTicket(from.id, c.text);
  } catch (error) {
    await sayShopError(core, from.id, error);
    return;
  }
  core.log.info({ event: 'bot.ticket_opened', ticketId: ticket.id, userId: from.id, cut: c.cut }, 'support ticket opened');
  const sent = texts.supportSent(ticket.id);
  await say(core, from.id, c.cut ? joinHtml([sent, texts.inputCut(core.limits.maxSupportText)]) : sent);
  const canButton = callbackSchema.safeParse({ action: 'tkt', ticketId: ticket.id }).success;
  for (const owner of core.ownerIds) {
    const ownerTexts = t(core.shop.customer(owner)?.language);
    try {
      const sent = await say(
        core,
        owner,
        ownerTexts.ownerTicket({ ticketId: ticket.id, name: displayName(from), telegramId: from.id, username: from.username ?? null, text: c.text }),
        canButton ? [[button(ownerTexts.btnReply, { action: 'tkt', ticketId: ticket.id })]] : undefined,
      );
      if (sent) core.sessions.rememberTicketMessage(owner, sent.message_id, ticket.id);
    } catch (error) {
      core.log.warn({ event: 'bot.owner_unreachable', ownerId: owner, err: String(error) }, 'could not tell an owner about a ticket (has the owner started the bot?)');
    }
  }
}

export async function showPaySupport(core: BotCore, from: User): Promise<void> {
  await say(core, from.id, t(languageFor(core, from)).paysupport);
}

/** Owner pressed Reply under a ticket. */
export async function askTicketReply(core: BotCore, from: User, ticketId: string): Promise<void> {
  if (!(await ownerOnly(core, from))) return;
  const texts = t(languageFor(core, from));
  if (!core.shop.ticketForReply(ticketId)) {
    await say(core, from.id, texts.ticketNotFound(ticketId));
    return;
  }
  core.sessions.set(from.id, { kind: 'ticketReply', ticketId });
  await say(core, from.id, texts.ownerReplyAsk(ticketId));
}

/** /reply <ticket> <text> */
export async function onReplyCommand(core: BotCore, from: User, rest: string): Promise<void> {
  if (!(await ownerOnly(core, from))) return;
  const texts = t(languageFor(core, from));
  const m = /^(\S+)\s+([\s\S]+)$/.exec(rest.trim());
  if (!m) {
    await say(core, from.id, texts.replyUsage);
    return;
  }
  await deliverOwnerReply(core, from, m[1]!.replace(/^#/, ''), m[2]!);
}

/** An owner's Telegram reply to a forwarded ticket; false when the message is not one. */
export async function onOwnerReplyToTicket(core: BotCore, from: User, message: Message.TextMessage): Promise<boolean> {
  const original = message.reply_to_message;
  if (!original || !isOwner(core, from.id)) return false;
  const originalText = 'text' in original ? original.text : '';
  const ticketId = core.sessions.ticketForMessage(from.id, original.message_id) ?? /^🆘 #([A-Za-z0-9_-]{1,40})\s/.exec(originalText ?? '')?.[1];
  if (!ticketId) return false;
  await deliverOwnerReply(core, from, ticketId, message.text);
  return true;
}

export async function deliverOwnerReply(core: BotCore, from: User, ticketId: string, text: string): Promise<void> {
  const texts = t(languageFor(core, from));
  const ticket = core.shop.ticketForReply(ticketId);
  if (!ticket) {
    await say(core, from.id, texts.ticketNotFound(ticketId));
    return;
  }
  const delivered = await sendTicketReply(core, ticket, text);
  core.shop.ticketOwnerReply(ticketId, text);
  core.log.info({ event: 'bot.ticket_replied', ticketId, ownerId: from.id, delivered }, 'owner replied to a ticket');
  await say(core, from.id, delivered ? texts.ownerReplySent(ticketId) : texts.ownerReplyFailed(ticketId));
}

/** Sends the owner's answer to the ticket's customer, in the customer's language. */
export async function sendTicketReply(core: BotCore, ticket: Ticket, text: string): Promise<boolean> {
  const texts = textsFor(core, ticket.telegramId);
  try {
    await say(core, ticket.telegramId, texts.ticketReply(ticket.id, cut(text, MAX_REPLY).text));
    return true;
  } catch (error) {
    core.log.warn({ event: 'bot.ticket_reply_undelivered', ticketId: ticket.id, err: String(error) }, 'ticket reply not delivered');
    return false;
  }
}
