/**
 * The owner's terms shown at /start and /terms. Plain, honest, and in line with the upstream
 * providers' terms: ArbDesk does not help anyone evade a provider's regional restrictions.
 */
import type { Language } from '../bot/shop-port.js';

const TERMS: Record<Language, string> = {
  en: [
    'Terms of service',
    '',
    '1. You buy prepaid access to AI models through this shop\'s API. Usage is charged per token at the prices shown in the catalog; packages give a token allowance for one model, valid for the period shown.',
    '2. Your API key is personal. Keep it secret; you can rotate or revoke it at any time with /keys.',
    '3. You must follow the usage policies of the model providers and the laws that apply to you. Access is not offered to get around a provider\'s regional restrictions or sanctions screening, and may be refused or suspended where the provider does not allow it.',
    '4. Payments: Telegram Stars, and crypto where offered. Crypto invoices are priced in USD at a rate locked for the invoice\'s lifetime. For payment problems use /paysupport.',
    '5. Unused balance does not expire; allowances expire as stated. Refunds are at the owner\'s discretion (Stars refunds go back to your Telegram account).',
    '6. We keep only what is needed to run your account: your Telegram id, your balance, your keys (stored as hashes) and per-request usage records (model, tokens, cost) — not the content of your requests.',
  ].join('\n'),
  ru: [
    'Условия использования',
    '',
    '1. Вы покупаете предоплаченный доступ к моделям ИИ через API этого магазина. Использование оплачивается по токенам по ценам из каталога; пакеты дают лимит токенов для одной модели на указанный срок.',
    '2. Ваш API-ключ личный. Храните его в секрете; его можно заменить или отозвать в любой момент командой /keys.',
    '3. Вы обязаны соблюдать правила поставщиков моделей и применимые к вам законы. Доступ не предоставляется для обхода региональных ограничений поставщиков или санкционных проверок и может быть отклонён или приостановлен там, где поставщик этого не допускает.',
    '4. Оплата: Telegram Stars, а также криптовалюта, если она предложена. Крипто-счета выставляются в долларах по курсу, зафиксированному на время действия счёта. По вопросам оплаты — /paysupport.',
    '5. Неиспользованный баланс не сгорает; лимиты токенов действуют указанный срок. Возвраты — на усмотрение владельца (возврат Stars поступает на ваш аккаунт Telegram).',
    '6. Мы храним только то, что нужно для работы аккаунта: ваш Telegram id, баланс, ключи (в виде хешей) и записи об использовании (модель, токены, стоимость) — но не содержимое ваших запросов.',
  ].join('\n'),
};

export function termsText(language: Language): string {
  return TERMS[language] ?? TERMS.en;
}
