/** /start, the terms, the language, the menu, /help, /terms, /cancel. */
import type { User } from 'telegraf/types';
import { button, isOwner, say, type BotCore, type Button } from '../core.js';
import { cut, displayName } from '../format.js';
import { catalogs, detectLanguage, LANGUAGES, t, type Catalog } from '../i18n/index.js';
import type { Language } from '../shop-port.js';

const MAX_TERMS = 3000;

/** The language to talk to someone in: theirs if registered, else their Telegram app's. */
export function languageFor(core: BotCore, from: User): Language {
  return core.shop.customer(from.id)?.language ?? detectLanguage(from.language_code);
}

function languageRow(): Button[] {
  return LANGUAGES.map((language) => button(catalogs[language].languageName, { action: 'lang', language }));
}

export function menuKeyboard(texts: Catalog): Button[][] {
  return [
    [button(texts.btnCatalog, { action: 'menu', item: 'catalog' }), button(texts.btnBalance, { action: 'menu', item: 'balance' })],
    [button(texts.btnUsage, { action: 'menu', item: 'usage' }), button(texts.btnKeys, { action: 'menu', item: 'keys' })],
    [button(texts.btnTopup, { action: 'menu', item: 'topup' }), button(texts.btnSupport, { action: 'menu', item: 'support' })],
    [button(texts.btnLanguage, { action: 'menu', item: 'language' }), button(texts.btnHelp, { action: 'menu', item: 'help' })],
  ];
}

export async function showMenu(core: BotCore, chatId: number, language: Language): Promise<void> {
  const texts = t(language);
  await say(core, chatId, texts.menu, menuKeyboard(texts));
}

async function showWelcome(core: BotCore, from: User, language: Language): Promise<void> {
  const texts = t(language);
  const terms = cut(core.shop.termsText(language), MAX_TERMS).text;
  await say(core, from.id, texts.welcome(from.first_name ?? '', terms), [[button(texts.btnAccept, { action: 'terms' })], languageRow()]);
}

export async function onStart(core: BotCore, from: User): Promise<void> {
  const { customer, isNew } = core.shop.register(from.id, displayName(from), languageFor(core, from));
  if (isNew) core.log.info({ event: 'bot.customer_registered', customerId: customer.id, userId: from.id }, 'new customer');
  if (!customer.termsAcceptedAt) return showWelcome(core, from, customer.language);
  await showMenu(core, from.id, customer.language);
}

export async function onAcceptTerms(core: BotCore, from: User): Promise<void> {
  if (!core.shop.customer(from.id)) core.shop.register(from.id, displayName(from), languageFor(core, from));
  const customer = core.shop.acceptTerms(from.id);
  core.log.info({ event: 'bot.terms_accepted', customerId: customer.id, userId: from.id }, 'terms accepted');
  await say(core, from.id, t(customer.language).termsAccepted, [languageRow()]);
}

export async function onChooseLanguage(core: BotCore, from: User, language: Language): Promise<void> {
  if (!core.shop.customer(from.id)) core.shop.register(from.id, displayName(from), language);
  const customer = core.shop.setLanguage(from.id, language);
  const texts = t(customer.language);
  if (!customer.termsAcceptedAt) return showWelcome(core, from, customer.language);
  await say(core, from.id, texts.languageSet);
  await showMenu(core, from.id, customer.language);
}

export async function showLanguages(core: BotCore, from: User): Promise<void> {
  await say(core, from.id, t(languageFor(core, from)).chooseLanguage, [languageRow()]);
}

export async function showHelp(core: BotCore, from: User): Promise<void> {
  await say(core, from.id, t(languageFor(core, from)).help(isOwner(core, from.id)));
}

export async function showTerms(core: BotCore, from: User): Promise<void> {
  const language = languageFor(core, from);
  const texts = t(language);
  const customer = core.shop.customer(from.id);
  const keyboard = customer?.termsAcceptedAt ? undefined : [[button(texts.btnAccept, { action: 'terms' })]];
  await say(core, from.id, texts.terms(cut(core.shop.termsText(language), MAX_TERMS).text), keyboard);
}

export async function onCancel(core: BotCore, from: User): Promise<void> {
  const texts = t(languageFor(core, from));
  await say(core, from.id, core.sessions.clear(from.id) ? texts.cancelled : texts.nothingToCancel);
}
