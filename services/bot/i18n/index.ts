/**
 * The bot's languages. One catalog per language, all with the keys and parameters of the
 * English one; adding a language = a new file here plus its code in ShopPort's Language.
 */
import type { Language } from '../shop-port.js';
import { en } from './en.js';
import { ru } from './ru.js';

export type Catalog = typeof en;

export const catalogs: Record<Language, Catalog> = { en, ru };

export const LANGUAGES = Object.keys(catalogs) as Language[];

export function t(language: Language | undefined): Catalog {
  return catalogs[language ?? 'en'] ?? en;
}

/** The customer's Telegram app language, when we speak it; English otherwise. */
export function detectLanguage(languageCode: string | undefined): Language {
  const base = (languageCode ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGES as string[]).includes(base) ? (base as Language) : 'en';
}

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as string[]).includes(value);
}
