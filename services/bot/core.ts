/**
 * What every handler gets: the shop, the outbox, the conversation state, the limits and a few
 * helpers to talk. Built once per start by the bot service; handlers hold no state of their own.
 */
import type { Logger } from '../log/logger.js';
import { encodeCallback, type CallbackData } from './callback-data.js';
import { Html, visibleLength } from './html.js';
import { t, type Catalog } from './i18n/index.js';
import type { Lane, Outbox } from './outbox.js';
import type { Sessions } from './sessions.js';
import { ShopError, type Language, type ShopCustomer, type ShopPort } from './shop-port.js';

export interface BotLimits {
  /** Longer incoming texts are cut to this many characters. */
  maxInput: number;
  maxSupportText: number;
  maxAnnouncement: number;
  maxImportBytes: number;
  catalogPageSize: number;
  topupMinCents: number;
  topupMaxCents: number;
  topupPresetsCents: number[];
}

export const DEFAULT_LIMITS: BotLimits = {
  maxInput: 4000,
  maxSupportText: 2000,
  maxAnnouncement: 3500,
  maxImportBytes: 512 * 1024,
  catalogPageSize: 5,
  topupMinCents: 100,
  topupMaxCents: 1_000_000,
  topupPresetsCents: [500, 1000, 2500, 5000],
};

export interface BotCore {
  shop: ShopPort;
  out: Outbox;
  log: Logger;
  sessions: Sessions;
  limits: BotLimits;
  ownerIds: readonly number[];
  botUsername: string;
  /** The text of a file the user sent (getFile + download), at most maxBytes. */
  downloadFile(fileId: string, maxBytes: number): Promise<string>;
}

export interface Button {
  text: string;
  callback_data: string;
}

export function button(text: string, data: CallbackData): Button {
  return { text, callback_data: encodeCallback(data) };
}

/** Owners are the ids in telegram.ownerIds that the shop also recognises. */
export function isOwner(core: BotCore, telegramId: number): boolean {
  return core.ownerIds.includes(telegramId) && core.shop.isOwner(telegramId);
}

export function languageOf(core: BotCore, telegramId: number): Language {
  return core.shop.customer(telegramId)?.language ?? 'en';
}

export function textsFor(core: BotCore, telegramId: number): Catalog {
  return t(languageOf(core, telegramId));
}

/** A registered customer who accepted the terms, or undefined (and they are told what to do). */
export async function customerOrPrompt(core: BotCore, telegramId: number): Promise<ShopCustomer | undefined> {
  const customer = core.shop.customer(telegramId);
  if (customer?.termsAcceptedAt) return customer;
  await say(core, telegramId, t(customer?.language).needTerms);
  return undefined;
}

const TELEGRAM_MAX_TEXT = 4096;

/** Sends an HTML message (split at line ends when longer than Telegram allows). */
export async function say(core: BotCore, chatId: number, text: Html, keyboard?: Button[][], lane: Lane = 'chat'): Promise<{ message_id: number } | undefined> {
  const parts = splitHtml(text, TELEGRAM_MAX_TEXT - 96);
  let last: { message_id: number } | undefined;
  for (let i = 0; i < parts.length; i++) {
    const isLast = i === parts.length - 1;
    last = await core.out.send<{ message_id: number }>(
      'sendMessage',
      {
        chat_id: chatId,
        text: parts[i]!.value,
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(isLast && keyboard?.length ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      },
      lane,
    );
  }
  return last;
}

/** Plain text (no parse mode): for texts written by people, such as announcements. */
export function sayPlain(core: BotCore, chatId: number, text: string, lane: Lane = 'chat'): Promise<unknown> {
  return core.out.send('sendMessage', { chat_id: chatId, text: text.slice(0, TELEGRAM_MAX_TEXT), link_preview_options: { is_disabled: true } }, lane);
}

export function answerCallback(core: BotCore, queryId: string, text?: string): Promise<unknown> {
  return core.out.send('answerCallbackQuery', { callback_query_id: queryId, ...(text ? { text: text.slice(0, 200) } : {}) }, 'urgent').catch(() => undefined);
}

/** Turns a ShopError into the customer's words; anything else is logged and answered generically. */
export async function sayShopError(core: BotCore, chatId: number, error: unknown): Promise<void> {
  const texts = textsFor(core, chatId);
  if (error instanceof ShopError) {
    const message = error.code === 'not_found' || error.code === 'not_allowed' ? texts.notFound : error.code === 'unavailable' ? texts.unavailable(error.message) : texts.invalid(error.message);
    await say(core, chatId, message);
    return;
  }
  core.log.error({ event: 'bot.shop_error', err: error instanceof Error ? error.message : String(error) }, 'shop call failed');
  await say(core, chatId, texts.error);
}

const OPEN = /<(b|i|u|s|code|pre|a)(?=[\s>])[^>]*>/g;
const CLOSE = /<\/(b|i|u|s|code|pre|a)>/g;

/**
 * Splits at line ends where no tag is open, so every part is valid HTML on its own. A tag
 * spanning lines (a code block) moves to the next part whole; one longer than `max` is sent
 * as it is.
 */
export function splitHtml(text: Html, max: number): Html[] {
  if (visibleLength(text) <= max) return [text];
  const parts: Html[] = [];
  let current: string[] = [];
  let depth = 0;
  let unitStart = 0;
  for (const line of text.value.split('\n')) {
    if (depth === 0) unitStart = current.length;
    current.push(line);
    depth = Math.max(0, depth + (line.match(OPEN)?.length ?? 0) - (line.match(CLOSE)?.length ?? 0));
    if (unitStart > 0 && visibleLength(new Html(current.join('\n'))) > max) {
      parts.push(new Html(current.slice(0, unitStart).join('\n')));
      current = current.slice(unitStart);
      unitStart = 0;
    }
  }
  if (current.length) parts.push(new Html(current.join('\n')));
  return parts;
}
