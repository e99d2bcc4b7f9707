/**
 * Turns one Telegram update into the right handler: payments first (never throttled), then
 * flood control, then callback buttons (parsed and validated), commands, a pending answer
 * (support text, top-up amount, announcement, ticket reply), documents and free text. Only
 * private chats are served; groups and channels are ignored.
 */
import type { Message, Update, User } from 'telegraf/types';
import { parseCommand } from './args.js';
import { parseCallback, type CallbackData } from './callback-data.js';
import { answerCallback, isOwner, say, type BotCore } from './core.js';
import type { FloodControl } from './flood.js';
import { cut } from './format.js';
import { joinHtml } from './html.js';
import { t } from './i18n/index.js';
import { onKeyAction, showBalance, showKeys, showUsage } from './handlers/account.js';
import { draftAnnouncement, onAnnounceButton, startAnnounce } from './handlers/announce.js';
import { showCatalog, showPackage } from './handlers/catalog.js';
import { askTopupAmount, checkStatus, choosePayment, onTopupAmount, pay, showTopup } from './handlers/checkout.js';
import { languageFor, onAcceptTerms, onCancel, onChooseLanguage, onStart, showHelp, showLanguages, showTerms } from './handlers/onboarding.js';
import { onCreatePackage, onDocument, onOwnerReport } from './handlers/owner.js';
import { onPreCheckout, onSuccessfulPayment } from './handlers/payments.js';
import { askTicketReply, deliverOwnerReply, onOwnerReplyToTicket, onReplyCommand, onSupportText, showPaySupport, startSupport } from './handlers/support.js';

type Command = (core: BotCore, from: User, rest: string) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  start: (core, from) => onStart(core, from),
  help: (core, from) => showHelp(core, from),
  menu: (core, from) => onStart(core, from),
  catalog: (core, from) => showCatalog(core, from.id, 0),
  balance: (core, from) => showBalance(core, from.id),
  usage: (core, from) => showUsage(core, from.id),
  keys: (core, from) => showKeys(core, from.id),
  topup: (core, from) => showTopup(core, from.id),
  support: (core, from, rest) => startSupport(core, from, rest),
  paysupport: (core, from) => showPaySupport(core, from),
  terms: (core, from) => showTerms(core, from),
  language: (core, from) => showLanguages(core, from),
  cancel: (core, from) => onCancel(core, from),
  stats: (core, from) => onOwnerReport(core, from, 'stats'),
  token_stats: (core, from) => onOwnerReport(core, from, 'token_stats'),
  report: (core, from) => onOwnerReport(core, from, 'report'),
  create_package: (core, from, rest) => onCreatePackage(core, from, rest),
  announce: (core, from, rest) => startAnnounce(core, from, rest),
  reply: (core, from, rest) => onReplyCommand(core, from, rest),
};

export const COMMAND_NAMES = Object.keys(COMMANDS);

export function updateUser(update: Update): User | undefined {
  if ('message' in update) return update.message.from;
  if ('callback_query' in update) return update.callback_query.from;
  if ('pre_checkout_query' in update) return update.pre_checkout_query.from;
  return undefined;
}

export async function route(core: BotCore, flood: FloodControl, update: Update): Promise<void> {
  const from = updateUser(update);
  if (!from || from.is_bot) return;

  // Money first: payments are answered however fast the payer clicks.
  if ('pre_checkout_query' in update) return onPreCheckout(core, update.pre_checkout_query);
  if ('message' in update && 'successful_payment' in update.message) return onSuccessfulPayment(core, from, update.message.successful_payment);

  const verdict = flood.check(from.id);
  if (verdict !== 'ok') {
    // Dropped updates cost nothing: no answer at all, not even to a button press.
    if (verdict === 'warn') {
      core.log.warn({ event: 'bot.flood', userId: from.id }, 'a user is sending too fast; ignoring for a while');
      if ('callback_query' in update) await answerCallback(core, update.callback_query.id);
      await say(core, from.id, t(languageFor(core, from)).slowDown);
    }
    return;
  }

  if ('callback_query' in update) return onCallback(core, from, update.callback_query);
  if ('message' in update) {
    if (update.message.chat.type !== 'private') return;
    return onMessage(core, from, update.message);
  }
}

async function onCallback(core: BotCore, from: User, query: Update.CallbackQueryUpdate['callback_query']): Promise<void> {
  const data = parseCallback('data' in query ? query.data : undefined);
  if (!data) {
    core.log.warn({ event: 'bot.callback_rejected', userId: from.id }, 'callback data did not parse (stale or forged)');
    await answerCallback(core, query.id, t(languageFor(core, from)).cbExpired);
    return;
  }
  await answerCallback(core, query.id);
  await onButton(core, from, data);
}

async function onButton(core: BotCore, from: User, data: CallbackData): Promise<void> {
  core.sessions.clear(from.id);
  switch (data.action) {
    case 'lang':
      return onChooseLanguage(core, from, data.language);
    case 'terms':
      return onAcceptTerms(core, from);
    case 'menu':
      return onMenu(core, from, data.item);
    case 'cat':
      return showCatalog(core, from.id, data.page);
    case 'pkg':
      return showPackage(core, from.id, data.packageId);
    case 'buy':
      return choosePayment(core, from.id, { packageId: data.packageId });
    case 'top':
      return choosePayment(core, from.id, { cents: data.cents });
    case 'topc':
      return askTopupAmount(core, from.id);
    case 'payp':
      return pay(core, from.id, { packageId: data.packageId }, data.method);
    case 'payt':
      return pay(core, from.id, { cents: data.cents }, data.method);
    case 'chk':
      return checkStatus(core, from.id, data.invoiceId);
    case 'key':
      return onKeyAction(core, from.id, data.op, data.keyId);
    case 'tkt':
      return askTicketReply(core, from, data.ticketId);
    case 'ann':
      return onAnnounceButton(core, from, data.op, data.draftId);
  }
}

function onMenu(core: BotCore, from: User, item: Extract<CallbackData, { action: 'menu' }>['item']): Promise<void> {
  switch (item) {
    case 'catalog':
      return showCatalog(core, from.id, 0);
    case 'balance':
      return showBalance(core, from.id);
    case 'usage':
      return showUsage(core, from.id);
    case 'keys':
      return showKeys(core, from.id);
    case 'topup':
      return showTopup(core, from.id);
    case 'support':
      return startSupport(core, from, '');
    case 'language':
      return showLanguages(core, from);
    case 'help':
      return showHelp(core, from);
  }
}

async function onMessage(core: BotCore, from: User, message: Message): Promise<void> {
  if ('document' in message) {
    core.sessions.clear(from.id);
    return onDocument(core, from, message.document);
  }
  if (!('text' in message)) {
    await say(core, from.id, t(languageFor(core, from)).unsupportedMessage);
    return;
  }
  const { text, cut: wasCut } = cut(message.text, core.limits.maxInput);
  const command = parseCommand(text);
  if (command) {
    if (command.mention && command.mention.toLowerCase() !== core.botUsername.toLowerCase()) return;
    core.sessions.clear(from.id);
    const handler = COMMANDS[command.name];
    if (!handler) {
      await say(core, from.id, t(languageFor(core, from)).unknownCommand(command.name.slice(0, 32)));
      return;
    }
    core.log.info({ event: 'bot.command', command: command.name, userId: from.id }, `/${command.name}`);
    return handler(core, from, command.rest);
  }

  const pending = core.sessions.take(from.id);
  const note = wasCut ? t(languageFor(core, from)).inputCut(core.limits.maxInput) : undefined;
  switch (pending?.kind) {
    case 'support':
      return onSupportText(core, from, text);
    case 'topup':
      return onTopupAmount(core, from.id, text);
    case 'announce':
      return draftAnnouncement(core, from, text);
    case 'ticketReply':
      return deliverOwnerReply(core, from, pending.ticketId, text);
  }
  if (isOwner(core, from.id) && (await onOwnerReplyToTicket(core, from, { ...(message as Message.TextMessage), text }))) return;
  const texts = t(languageFor(core, from));
  await say(core, from.id, note ? joinHtml([texts.freeText, note]) : texts.freeText);
}
