/** Русский. Те же ключи и параметры, что в en.ts (тип Catalog это проверяет). */
import type { AllowanceView, KeyView, ModelUsage, PackageView, RequestView } from '../../contract.js';
import { html, type Html } from '../html.js';
import type { DeliveredItem } from '../shop-port.js';
import { count, usd, when } from '../format.js';
import type { Catalog } from './index.js';
import type { InvoiceInfo, TicketNotice } from './types.js';

const n = (v: number) => count(v, 'ru');

function packageWhat(p: PackageView): string {
  if (p.kind === 'tokens') return `${p.model ?? '?'}: токенов ${n(p.tokens ?? 0)}`;
  return `кредит ${usd(p.creditMicro ?? 0)}`;
}

function validity(days: number | null): string {
  return days ? `действует дней после покупки: ${n(days)}` : 'без срока действия';
}

export const ru: Catalog = {
  languageName: 'Русский',

  // --- знакомство ----------------------------------------------------------------------------
  welcome: (name: string, terms: string) => html`${name ? `Здравствуйте, ${name}!` : 'Здравствуйте!'} Это магазин доступа к ИИ: здесь можно купить API-доступ к моделям ИИ и пользоваться им из своих программ через OpenAI-совместимый адрес.

Прочитайте условия магазина и примите их, чтобы продолжить:

${terms}`,
  btnAccept: '✅ Принимаю условия',
  termsAccepted: html`Спасибо! Теперь выберите язык:`,
  chooseLanguage: html`Выберите язык:`,
  languageSet: html`Язык: русский.`,
  menu: html`Что вы хотите сделать? (Все команды: /help.)`,
  btnCatalog: '🛒 Каталог',
  btnBalance: '💰 Баланс',
  btnUsage: '📊 Расход',
  btnKeys: '🔑 Мои ключи',
  btnTopup: '➕ Пополнить',
  btnSupport: '💬 Поддержка',
  btnLanguage: '🌐 Язык',
  btnHelp: '❓ Помощь',
  help: (isOwner: boolean) => html`Команды:
/start — приветствие и меню
/catalog — пакеты в продаже
/balance — баланс и запасы токенов
/usage — последние запросы и итоги по моделям
/keys — ваши API-ключи (заменить, отозвать)
/topup — пополнить баланс в долларах
/support — написать владельцу
/paysupport — помощь с оплатой
/terms — условия магазина
/language — сменить язык
/cancel — отменить начатое
/help — этот список${isOwner ? html`

Вы владелец этого магазина. Команды владельца:
/stats — показатели бизнеса
/token_stats — проданные и израсходованные токены
/report — сводка за сегодня
${'/create_package <модель> <токены> "<описание>"'} — новый пакет
/announce — сообщение всем покупателям
${'/reply <обращение> <текст>'} — ответить на обращение
Пришлите файл .json, чтобы загрузить пакеты списком.` : ''}`,
  terms: (terms: string) => html`📜 Условия магазина:

${terms}`,
  needTerms: html`Сначала примите условия магазина: отправьте /start.`,

  // --- общие ответы --------------------------------------------------------------------------
  notFound: html`Не найдено: возможно, это удалено или кнопка устарела.`,
  ownerOnly: html`Эта команда только для владельца магазина.`,
  cbExpired: 'Эта кнопка устарела. Отправьте /start, чтобы открыть меню.',
  cbNotFound: 'Не найдено.',
  slowDown: html`⏳ Помедленнее, пожалуйста: слишком много сообщений сразу. Я снова отвечу через несколько секунд.`,
  inputCut: (max: number) => html`(Сообщение длиннее ${n(max)} символов; сохранено только начало.)`,
  unknownCommand: (command: string) => html`Я не знаю команду /${command}. Список команд: /help.`,
  freeText: html`Я бот магазина: пользуйтесь кнопками или отправьте /help, чтобы увидеть команды. Написать владельцу: /support.`,
  unsupportedMessage: html`Здесь я понимаю только текст. Что я умею: /help.`,
  error: html`У нас что-то пошло не так. Попробуйте ещё раз через минуту.`,
  unavailable: (detail: string) => html`Сейчас это недоступно: ${detail}`,
  invalid: (detail: string) => html`Не получилось: ${detail}`,
  cancelled: html`Отменено.`,
  nothingToCancel: html`Отменять нечего.`,

  // --- каталог -------------------------------------------------------------------------------
  catalogEmpty: html`Каталог сейчас пуст. Загляните позже.`,
  catalogPage: (packages: PackageView[], page: number, pages: number) => html`🛒 Каталог${pages > 1 ? ` (страница ${page + 1} из ${pages})` : ''}. Цены актуальные.
${packages.map((p) => html`
• <b>${p.description}</b>
  ${packageWhat(p)}, ${validity(p.validityDays)}: <b>${p.priceMicro === null ? 'не продаётся' : usd(p.priceMicro)}</b>`)}

Выберите пакет:`,
  packageButton: (p: PackageView) => `${p.kind === 'tokens' ? `${p.model} · ${n(p.tokens ?? 0)} ток.` : `кредит ${usd(p.creditMicro ?? 0)}`} · ${p.priceMicro === null ? '—' : usd(p.priceMicro)}`,
  packageDetails: (p: PackageView) => html`<b>${p.description}</b>

${p.kind === 'tokens' ? html`Модель: <code>${p.model ?? ''}</code>
Токенов: ${n(p.tokens ?? 0)}` : html`Кредит: ${usd(p.creditMicro ?? 0)}, на любые модели`}
Срок: ${validity(p.validityDays)}
Цена: <b>${p.priceMicro === null ? 'сейчас не продаётся' : usd(p.priceMicro)}</b>`,
  notForSale: html`Этот пакет сейчас не продаётся. Выберите другой.`,
  btnBuy: (priceMicro: number) => `💳 Купить за ${usd(priceMicro)}`,
  btnBackToCatalog: '⬅ Каталог',
  btnPrev: '◀ Назад',
  btnNext: 'Дальше ▶',

  // --- оформление ----------------------------------------------------------------------------
  packageWhat,
  topupWhat: (usdText: string) => `пополнение баланса на $${usdText}`,
  choosePayment: (what: string, usdMicro: number) => html`Вы покупаете: ${what}
Итого: <b>${usd(usdMicro)}</b>

Выберите способ оплаты:`,
  noPaymentMethods: html`Оплата ещё не настроена. Попробуйте позже или напишите в /support.`,
  cryptoInvoice: (i: { invoiceId: string; amount: string; asset: string; network: string; address: string; uri: string; expiresAt: string }) => html`🧾 Счёт <code>${i.invoiceId}</code>
Отправьте ровно <b>${i.amount} ${i.asset}</b>
Сеть: ${i.network}
Адрес: <code>${i.address}</code>
Ссылка для оплаты: <code>${i.uri}</code>
Действует до: ${when(i.expiresAt)}

В QR-коде та же ссылка для оплаты. После оплаты нажмите «Проверить статус».`,
  btnCheckStatus: '🔄 Проверить статус',
  starsInvoiceSent: html`Оплатите счёт выше звёздами Telegram. Проблемы с оплатой? Отправьте /paysupport.`,
  topupChoose: html`На сколько долларов пополнить баланс? Баланс оплачивает запросы к любым моделям по ценам магазина.`,
  btnTopupOther: '✏️ Другая сумма',
  topupAsk: (minCents: number, maxCents: number) => html`Отправьте сумму в долларах, от ${usd(minCents * 10_000)} до ${usd(maxCents * 10_000)}, например 25 или 12.50. /cancel — отменить.`,
  topupBad: (minCents: number, maxCents: number) => html`Отправьте сумму от ${usd(minCents * 10_000)} до ${usd(maxCents * 10_000)}, например 25 или 12.50.`,

  // --- счета и оплаты ------------------------------------------------------------------------
  invoiceStatus: (i: InvoiceInfo) => {
    const id = html`<code>${i.id}</code>`;
    const notes: Html[] = [];
    if (i.flags.includes('underpaid') && i.status !== 'settled') notes.push(html`Получено ${i.paid} из ${i.due} ${i.asset}: отправьте остаток на тот же адрес, пока счёт действует.`);
    if (i.flags.includes('overpaid')) notes.push(html`Вы отправили больше нужного; излишек зачислен на ваш баланс.`);
    if (i.flags.includes('late')) notes.push(html`Оплата пришла после истечения счёта; владелец проверит её и напишет вам здесь.`);
    const head = (() => {
      switch (i.status) {
        case 'new':
          return i.paid !== '0'
            ? html`👀 Счёт ${id}: платёж ${i.paid} ${i.asset} замечен, ждём подтверждений.`
            : html`🧾 Счёт ${id}: ждём оплату ${i.due} ${i.asset} до ${when(i.expiresAt)}.`;
        case 'processing':
          return i.required
            ? html`⏳ Счёт ${id}: платёж получен, подтверждений: ${i.confirmations} из ${i.required}.`
            : html`⏳ Счёт ${id}: платёж получен, подтверждений пока: ${i.confirmations}.`;
        case 'settled':
          return html`✅ Счёт ${id} оплачен. Спасибо! Заказ уже выдаётся.`;
        case 'expired':
          return html`⌛ Срок счёта ${id} истёк. Если вы уже оплатили, отправьте /paysupport с номером счёта.`;
        default:
          return html`❌ Счёт ${id} не удалось завершить. Помощь: /paysupport.`;
      }
    })();
    return html`${head}${notes.map((t) => html`\n${t}`)}`;
  },
  paymentReceived: (stars: number) => html`⭐ Оплата получена, звёзд: ${n(stars)}. Заказ уже выдаётся.`,
  paymentNotRecorded: html`Мы получили вашу оплату, но не смогли учесть её автоматически. Владелец уже знает и всё исправит: пожалуйста, не платите повторно.`,
  preCheckoutError: 'Не удалось подтвердить заказ. Попробуйте ещё раз через минуту.',

  // --- выдача --------------------------------------------------------------------------------
  delivered: (item: DeliveredItem) =>
    html`✅ Выдано: ${item.kind === 'tokens' ? `${item.model}: токенов ${n(item.tokens)}${item.validityDays ? `, действуют дней: ${n(item.validityDays)}` : ''}` : `${usd(item.usdMicro)} зачислено на баланс`}`,
  keyOnce: (key: string) => html`Ваш API-ключ — показывается <b>только один раз</b>, сохраните его сейчас:
<code>${key}</code>`,
  keyExisting: html`Пользуйтесь своим API-ключом (см. /keys): покупка уже на вашем счёте.`,
  quickstartTitle: (baseUrl: string) => html`Быстрый старт. Базовый адрес: <code>${baseUrl}</code> (совместим с OpenAI).`,
  quickstartCurl: 'curl',
  quickstartPython: 'Python (pip install openai)',
  quickstartNode: 'Node (npm install openai)',
  quickstartKeyPlaceholder: 'ВАШ_КЛЮЧ',

  // --- счёт покупателя -----------------------------------------------------------------------
  balance: (availableMicro: number, heldMicro: number) => html`💰 Баланс: доступно <b>${usd(availableMicro)}</b>${heldMicro > 0 ? ` (${usd(heldMicro)} зарезервировано под текущие запросы)` : ''}.`,
  allowancesTitle: html`Запасы токенов:`,
  allowanceLine: (a: AllowanceView) => html`• ${a.model}: осталось ${n(a.remainingTokens)} из ${n(a.grantedTokens)} токенов, ${a.expired ? 'срок истёк' : a.expiresAt ? `до ${when(a.expiresAt)}` : 'без срока'}`,
  noAllowances: html`Запасов токенов пока нет: см. /catalog.`,
  usageEmpty: html`Запросов пока нет. Когда вы воспользуетесь ключом, они появятся здесь.`,
  usageRecentTitle: html`📊 Последние запросы:`,
  usageLine: (r: RequestView) => html`• ${when(r.at)} ${r.model || '—'}: ${r.status >= 400 ? `ошибка (${r.status})` : `токенов ${n(r.promptTokens)} + ${n(r.completionTokens)}, ${r.allowanceTokens > 0 ? 'из запаса' : usd(r.chargeMicro)}`}`,
  usageByModelTitle: html`Итоги по моделям:`,
  usageModelLine: (m: ModelUsage) => html`• ${m.model}: запросов ${n(m.requests)}, токенов ${n(m.promptTokens + m.completionTokens)}, ${usd(m.chargeMicro)}`,
  keysEmpty: html`У вас пока нет API-ключей. Купите пакет в /catalog, чтобы получить ключ.`,
  keysTitle: html`🔑 Ваши API-ключи (видны только концы):`,
  keyLine: (k: KeyView) => html`• <code>${k.hint}</code>${k.label ? ` ${k.label}` : ''}: ${k.status === 'active' ? 'действует' : k.status === 'revoked' ? 'отозван' : 'истёк'}, создан ${when(k.createdAt)}`,
  btnRotate: (hint: string) => `🔄 Заменить …${hint.slice(-4)}`,
  btnRevoke: (hint: string) => `🗑 Отозвать …${hint.slice(-4)}`,
  confirmRevoke: (hint: string) => html`Отозвать ключ <code>${hint}</code>? Программы с ним сразу перестанут работать. Отменить это нельзя.`,
  btnConfirmRevoke: '🗑 Да, отозвать',
  btnCancel: 'Отмена',
  keyRevoked: (hint: string) => html`Ключ <code>${hint}</code> отозван.`,
  keyKept: html`Хорошо, ключ продолжает действовать.`,
  keyRotated: (key: string) => html`🔄 Ваш новый ключ — показывается <b>только один раз</b>, сохраните его сейчас:
<code>${key}</code>
Старый ключ больше не работает.`,

  // --- поддержка -----------------------------------------------------------------------------
  supportAsk: (max: number) => html`Напишите сообщение владельцу одним сообщением (до ${n(max)} символов). /cancel — отменить.`,
  supportSent: (ticketId: string) => html`✅ Отправлено владельцу, обращение <code>${ticketId}</code>. Ответ придёт в этот чат.`,
  ticketReply: (ticketId: string, text: string) => html`💬 Ответ магазина (обращение <code>${ticketId}</code>):

${text}`,
  shopMessage: (text: string) => html`✉️ Сообщение от магазина:

${text}`,
  paysupport: html`Помощь с оплатой:
• Звёзды Telegram: если вы заплатили, но не получили заказ, отправьте /support и укажите время оплаты. Владелец может вернуть оплату звёздами.
• Криптовалюта: отправьте /support с номером счёта (он указан в счёте) и идентификатором транзакции.
Мы отвечаем в этом чате.`,

  // --- владелец ------------------------------------------------------------------------------
  ownerTicket: (t: TicketNotice) => html`🆘 #${t.ticketId} от ${t.name} (id ${t.telegramId}${t.username ? `, @${t.username}` : ''})

${t.text}

Ответьте на это сообщение, нажмите «Ответить» или отправьте /reply ${t.ticketId} и текст.`,
  btnReply: '↩ Ответить',
  ownerReplyAsk: (ticketId: string) => html`Напишите ответ на обращение <code>${ticketId}</code> одним сообщением. /cancel — отменить.`,
  ownerReplySent: (ticketId: string) => html`✅ Ответ доставлен (обращение <code>${ticketId}</code>).`,
  ownerReplyFailed: (ticketId: string) => html`❌ Не удалось доставить ответ на обращение <code>${ticketId}</code>: покупатель заблокировал бота или удалил чат.`,
  ticketNotFound: (ticketId: string) => html`Обращения <code>${ticketId}</code> нет.`,
  replyUsage: html`Как пользоваться: ${'/reply <номер обращения> <текст>'}`,
  createUsage: (problem: string) => html`${problem}
Как пользоваться: ${'/create_package <модель> <токены> "<описание>"'}
Пример: ${'/create_package openai/gpt-4o-mini 100000 "GPT-4o mini, 100 тыс. токенов"'}`,
  createNoArgs: 'Не указаны модель, число токенов и описание.',
  createUnclosedQuote: 'Кавычка открыта, но не закрыта.',
  ownerPaymentNotRecorded: (p: { chargeId: string; telegramId: number; payload: string; stars: number; error: string }) => html`⚠️ Не удалось учесть оплату звёздами: ${p.stars} звёзд от пользователя ${p.telegramId} за счёт <code>${p.payload}</code>, платёж <code>${p.chargeId}</code> (${p.error}). Разберитесь на компьютере (учесть или вернуть): покупателя попросили не платить повторно.`,
  createBadTokens: 'Число токенов должно быть целым и положительным, например 100000 или 100k.',
  createNoDescription: 'Нет описания: заключите его в кавычки.',
  createTooMany: 'Слишком много аргументов: заключите описание в кавычки.',
  created: (p: PackageView) => html`✅ Пакет создан: <b>${p.description}</b> (${packageWhat(p)}), цена сейчас ${p.priceMicro === null ? 'не задана (у модели нет цены)' : usd(p.priceMicro)}. Id: <code>${p.id}</code>`,
  importBadFile: (maxKb: number) => html`Пришлите пакеты файлом .json (до ${n(maxKb)} КБ) в формате списка: {"model", "tokens", "description"}.`,
  importDone: (packages: PackageView[], alreadyForSale: number) => html`✅ Загружено пакетов: ${packages.length}.${alreadyForSale ? ` Уже в продаже, не добавлены повторно: ${alreadyForSale}.` : ''}${packages.slice(0, 20).map((p) => html`\n• ${p.description}: ${p.priceMicro === null ? 'без цены' : usd(p.priceMicro)}`)}`,
  importErrors: (errors: string[]) => html`❌ Ничего не загружено. Найдено проблем: ${errors.length}.
${errors.map((e) => html`\n• ${e}`)}`,
  fileNotExpected: html`С файлами я здесь ничего не делаю. Что я умею: /help.`,
  announceAsk: (max: number) => html`Отправьте текст объявления одним сообщением (до ${n(max)} символов). /cancel — отменить.`,
  announceNone: html`Пока некому отправлять объявления: покупателей нет.`,
  announceConfirm: (recipients: number, text: string) => html`Отправить это объявление покупателям (${n(recipients)})?

${text}`,
  btnAnnounceSend: (recipients: number) => `📣 Отправить (${n(recipients)})`,
  announceSending: (recipients: number) => html`📣 Отправляю покупателям (${n(recipients)}) с темпом в пределах лимитов Telegram. Сообщу, когда закончу.`,
  announceDone: (delivered: number, failed: number, blocked: number) => html`📣 Рассылка завершена: доставлено ${n(delivered)}, не доставлено ${n(failed)}${blocked ? ` (из них заблокировали бота или ушли: ${n(blocked)})` : ''}.`,
  announceGone: html`Это объявление уже отправлено или отменено.`,
  ownerAlert: (text: string) => html`🔔 ${text}`,

  // --- меню команд ---------------------------------------------------------------------------
  commands: {
    start: 'Приветствие и меню',
    catalog: 'Пакеты в продаже',
    balance: 'Баланс и запасы токенов',
    usage: 'Последние запросы и итоги',
    keys: 'Ваши API-ключи',
    topup: 'Пополнить баланс',
    support: 'Написать владельцу',
    paysupport: 'Помощь с оплатой',
    terms: 'Условия магазина',
    language: 'Сменить язык',
    help: 'Все команды',
  },
  ownerCommands: {
    stats: 'Показатели бизнеса',
    token_stats: 'Проданные и израсходованные токены',
    report: 'Сводка за сегодня',
    create_package: 'Новый пакет: <модель> <токены> "<описание>"',
    announce: 'Сообщение всем покупателям',
    reply: 'Ответ на обращение: <номер> <текст>',
  },
};
