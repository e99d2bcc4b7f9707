/**
 * The owner in Telegram (ids in telegram.ownerIds only): /stats, /token_stats, /report,
 * /create_package <model> <tokens> "<description>", and a JSON document for bulk packages.
 * Anyone else gets "only for the owner" and nothing changes.
 */
import type { Document, User } from 'telegraf/types';
import { ArgsError, parseTokenCount, splitArgs } from '../args.js';
import { isOwner, say, sayShopError, type BotCore } from '../core.js';
import { t } from '../i18n/index.js';
import { languageFor } from './onboarding.js';

const MODEL = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;
const TELEGRAM_MAX_TEXT = 4000;

/** True for an owner; otherwise tells the sender and returns false. */
export async function ownerOnly(core: BotCore, from: User): Promise<boolean> {
  if (isOwner(core, from.id)) return true;
  core.log.warn({ event: 'bot.owner_command_refused', userId: from.id }, 'owner command from a non-owner');
  await say(core, from.id, t(languageFor(core, from)).ownerOnly);
  return false;
}

export async function onOwnerReport(core: BotCore, from: User, which: 'stats' | 'token_stats' | 'report'): Promise<void> {
  if (!(await ownerOnly(core, from))) return;
  try {
    const text = which === 'stats' ? core.shop.statsText() : which === 'token_stats' ? core.shop.tokenStatsText() : core.shop.reportText();
    for (const part of splitPlain(text, TELEGRAM_MAX_TEXT)) await core.out.send('sendMessage', { chat_id: from.id, text: part });
  } catch (error) {
    await sayShopError(core, from.id, error);
  }
}

export async function onCreatePackage(core: BotCore, from: User, rest: string): Promise<void> {
  if (!(await ownerOnly(core, from))) return;
  const texts = t(languageFor(core, from));
  const usage = (problem: string) => say(core, from.id, texts.createUsage(problem));
  if (!rest) return void (await usage(texts.createNoArgs));
  let args: string[];
  try {
    args = splitArgs(rest);
  } catch (error) {
    if (error instanceof ArgsError) return void (await usage(texts.createUnclosedQuote));
    throw error;
  }
  const [model, tokensText, description, ...extra] = args;
  if (!model || !MODEL.test(model)) return void (await usage(texts.createNoArgs));
  const tokens = tokensText === undefined ? null : parseTokenCount(tokensText);
  if (tokens === null) return void (await usage(texts.createBadTokens));
  if (!description?.trim()) return void (await usage(texts.createNoDescription));
  if (extra.length) return void (await usage(texts.createTooMany));
  try {
    const pkg = core.shop.createPackage(model, tokens, description.trim());
    core.log.info({ event: 'bot.package_created', packageId: pkg.id, model, tokens, ownerId: from.id }, 'package created from Telegram');
    await say(core, from.id, texts.created(pkg));
  } catch (error) {
    await sayShopError(core, from.id, error);
  }
}

/** A document: the owner's bulk package file; anyone else is told files are not used here. */
export async function onDocument(core: BotCore, from: User, doc: Document): Promise<void> {
  const texts = t(languageFor(core, from));
  if (!isOwner(core, from.id)) {
    await say(core, from.id, texts.fileNotExpected);
    return;
  }
  const max = core.limits.maxImportBytes;
  const looksJson = /\.json$/i.test(doc.file_name ?? '') || doc.mime_type === 'application/json';
  if (!looksJson || (doc.file_size ?? 0) > max) {
    await say(core, from.id, texts.importBadFile(Math.floor(max / 1024)));
    return;
  }
  let json: string;
  try {
    json = await core.downloadFile(doc.file_id, max);
  } catch (error) {
    core.log.warn({ event: 'bot.file_download_failed', err: String(error) }, 'could not download the owner\'s file');
    await say(core, from.id, texts.importBadFile(Math.floor(max / 1024)));
    return;
  }
  try {
    const result = core.shop.importPackages(json);
    if ('errors' in result) {
      core.log.info({ event: 'bot.packages_import_refused', errors: result.errors.length }, 'bulk package file refused');
      await say(core, from.id, texts.importErrors(result.errors));
      return;
    }
    core.log.info({ event: 'bot.packages_imported', count: result.imported.length, ownerId: from.id }, 'packages imported from Telegram');
    await say(core, from.id, texts.importDone(result.imported, result.alreadyForSale.length));
  } catch (error) {
    await sayShopError(core, from.id, error);
  }
}

/** Splits plain text into Telegram-sized messages at line ends. */
export function splitPlain(text: string, max: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const line of (text || '—').split('\n')) {
    const chunk = line.length > max ? line.match(new RegExp(`[\\s\\S]{1,${max}}`, 'g'))! : [line];
    for (const piece of chunk) {
      if (current && current.length + 1 + piece.length > max) {
        parts.push(current);
        current = piece;
      } else current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) parts.push(current);
  return parts;
}
