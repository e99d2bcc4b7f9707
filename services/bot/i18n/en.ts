/**
 * English: the reference catalog. Every other language implements the same keys with the same
 * parameters (the `Catalog` type is derived from this object; tests/unit/bot/i18n.test.ts checks
 * that each language has every key and really is translated).
 *
 * Entries returning Html go out with parse_mode HTML: write markup in the template, interpolate
 * everything else (the html tag escapes it). Entries returning string are plain text (button
 * labels, callback answers, command descriptions, pre-checkout refusals).
 */
import type { AllowanceView, KeyView, ModelUsage, PackageView, RequestView } from '../../contract.js';
import { html, type Html } from '../html.js';
import type { DeliveredItem } from '../shop-port.js';
import { count, usd, when } from '../format.js';
import type { InvoiceInfo, TicketNotice } from './types.js';

const n = (v: number) => count(v, 'en');

function packageWhat(p: PackageView): string {
  if (p.kind === 'tokens') return `${n(p.tokens ?? 0)} tokens of ${p.model ?? '?'}`;
  return `${usd(p.creditMicro ?? 0)} of credit`;
}

function validity(days: number | null): string {
  return days ? `valid for ${n(days)} days after purchase` : 'no expiry';
}

export const en = {
  languageName: 'English',

  // --- onboarding ----------------------------------------------------------------------------
  welcome: (name: string, terms: string) => html`${name ? `Welcome, ${name}!` : 'Welcome!'} This is an AI-access shop: buy API access to AI models here and use it from your own programs through an OpenAI-compatible endpoint.

Please read the shop's terms and accept them to continue:

${terms}`,
  btnAccept: '✅ I accept the terms',
  termsAccepted: html`Thank you! Now choose your language:`,
  chooseLanguage: html`Choose your language:`,
  languageSet: html`Language: English.`,
  menu: html`What would you like to do? (Send /help for all commands.)`,
  btnCatalog: '🛒 Catalog',
  btnBalance: '💰 Balance',
  btnUsage: '📊 Usage',
  btnKeys: '🔑 My keys',
  btnTopup: '➕ Top up',
  btnSupport: '💬 Support',
  btnLanguage: '🌐 Language',
  btnHelp: '❓ Help',
  help: (isOwner: boolean) => html`Commands:
/start — welcome and the menu
/catalog — packages for sale
/balance — your balance and token allowances
/usage — recent requests and totals per model
/keys — your API keys (rotate, revoke)
/topup — add USD credit
/support — write to the owner
/paysupport — help with a payment
/terms — the shop's terms
/language — change the language
/cancel — stop what you started
/help — this list${isOwner ? html`

You are an owner of this shop. Owner commands:
/stats — business figures
/token_stats — tokens sold and used
/report — today's summary
${'/create_package <model> <tokens> "<description>"'} — a new package
/announce — a message to every customer
${'/reply <ticket> <text>'} — answer a support ticket
Send a .json file to import packages in bulk.` : ''}`,
  terms: (terms: string) => html`📜 The shop's terms:

${terms}`,
  needTerms: html`Please accept the shop's terms first: send /start.`,

  // --- general answers -----------------------------------------------------------------------
  notFound: html`Not found: it may have been removed, or this button is out of date.`,
  ownerOnly: html`This command is only for the shop's owner.`,
  cbExpired: 'This button is out of date. Send /start for the menu.',
  cbNotFound: 'Not found.',
  slowDown: html`⏳ Slow down, please: too many messages at once. I will answer again in a few seconds.`,
  inputCut: (max: number) => html`(Your message was longer than ${n(max)} characters; only the beginning was kept.)`,
  unknownCommand: (command: string) => html`I don't know the command /${command}. Send /help for the list.`,
  freeText: html`I'm the shop's bot: use the buttons, or send /help for the commands. To write to the owner, send /support.`,
  unsupportedMessage: html`I can only read text here. Send /help for what I can do.`,
  error: html`Something went wrong on our side. Please try again in a minute.`,
  unavailable: (detail: string) => html`This is not available right now: ${detail}`,
  invalid: (detail: string) => html`That did not work: ${detail}`,
  cancelled: html`Cancelled.`,
  nothingToCancel: html`There is nothing to cancel.`,

  // --- catalog -------------------------------------------------------------------------------
  catalogEmpty: html`The catalog is empty right now. Please check back later.`,
  catalogPage: (packages: PackageView[], page: number, pages: number) => html`🛒 Catalog${pages > 1 ? ` (page ${page + 1} of ${pages})` : ''}. Prices are live.
${packages.map((p) => html`
• <b>${p.description}</b>
  ${packageWhat(p)}, ${validity(p.validityDays)}: <b>${p.priceMicro === null ? 'not for sale' : usd(p.priceMicro)}</b>`)}

Choose a package:`,
  packageButton: (p: PackageView) => `${p.kind === 'tokens' ? `${p.model} · ${n(p.tokens ?? 0)} tok` : `${usd(p.creditMicro ?? 0)} credit`} · ${p.priceMicro === null ? '—' : usd(p.priceMicro)}`,
  packageDetails: (p: PackageView) => html`<b>${p.description}</b>

${p.kind === 'tokens' ? html`Model: <code>${p.model ?? ''}</code>
Tokens: ${n(p.tokens ?? 0)}` : html`Credit: ${usd(p.creditMicro ?? 0)}, usable on any model`}
Validity: ${validity(p.validityDays)}
Price: <b>${p.priceMicro === null ? 'not for sale right now' : usd(p.priceMicro)}</b>`,
  notForSale: html`This package is not for sale right now. Please choose another one.`,
  btnBuy: (priceMicro: number) => `💳 Buy for ${usd(priceMicro)}`,
  btnBackToCatalog: '⬅ Catalog',
  btnPrev: '◀ Previous',
  btnNext: 'Next ▶',

  // --- checkout ------------------------------------------------------------------------------
  packageWhat,
  topupWhat: (usdText: string) => `$${usdText} of USD credit`,
  choosePayment: (what: string, usdMicro: number) => html`You are buying: ${what}
Total: <b>${usd(usdMicro)}</b>

Choose how to pay:`,
  noPaymentMethods: html`Payments are not set up yet. Please try again later, or write to /support.`,
  cryptoInvoice: (i: { invoiceId: string; amount: string; asset: string; network: string; address: string; uri: string; expiresAt: string }) => html`🧾 Invoice <code>${i.invoiceId}</code>
Send exactly <b>${i.amount} ${i.asset}</b>
Network: ${i.network}
To: <code>${i.address}</code>
Payment link: <code>${i.uri}</code>
Expires: ${when(i.expiresAt)}

The QR code holds the same payment link. Press "Check status" once you have paid.`,
  btnCheckStatus: '🔄 Check status',
  starsInvoiceSent: html`Pay the invoice above with Telegram Stars. Trouble with a payment? Send /paysupport.`,
  topupChoose: html`How much USD credit would you like to add? It pays for requests on any model at the shop's prices.`,
  btnTopupOther: '✏️ Other amount',
  topupAsk: (minCents: number, maxCents: number) => html`Send the amount in USD, from ${usd(minCents * 10_000)} to ${usd(maxCents * 10_000)}, e.g. 25 or 12.50. /cancel to stop.`,
  topupBad: (minCents: number, maxCents: number) => html`Please send an amount from ${usd(minCents * 10_000)} to ${usd(maxCents * 10_000)}, e.g. 25 or 12.50.`,

  // --- invoices and payments -----------------------------------------------------------------
  invoiceStatus: (i: InvoiceInfo) => {
    const id = html`<code>${i.id}</code>`;
    const notes: Html[] = [];
    if (i.flags.includes('underpaid') && i.status !== 'settled') notes.push(html`Received ${i.paid} of ${i.due} ${i.asset}: please send the rest to the same address before the invoice expires.`);
    if (i.flags.includes('overpaid')) notes.push(html`You sent more than was due; the extra is credited to your balance.`);
    if (i.flags.includes('late')) notes.push(html`The payment arrived after the invoice expired; the owner will review it and contact you here.`);
    const head = (() => {
      switch (i.status) {
        case 'new':
          return i.paid !== '0'
            ? html`👀 Invoice ${id}: payment of ${i.paid} ${i.asset} seen, waiting for confirmations.`
            : html`🧾 Invoice ${id}: waiting for your payment of ${i.due} ${i.asset} until ${when(i.expiresAt)}.`;
        case 'processing':
          return i.required
            ? html`⏳ Invoice ${id}: payment received, ${i.confirmations} of ${i.required} confirmations.`
            : html`⏳ Invoice ${id}: payment received, ${i.confirmations} confirmations so far.`;
        case 'settled':
          return html`✅ Invoice ${id} is paid. Thank you! Your order is being delivered.`;
        case 'expired':
          return html`⌛ Invoice ${id} has expired. If you already paid, send /paysupport with the invoice number.`;
        default:
          return html`❌ Invoice ${id} could not be completed. Send /paysupport for help.`;
      }
    })();
    return html`${head}${notes.map((t) => html`\n${t}`)}`;
  },
  paymentReceived: (stars: number) => html`⭐ Payment of ${n(stars)} Stars received. Your order is being delivered.`,
  paymentNotRecorded: html`We received your payment but could not record it automatically. The owner has been told and will sort it out: please do not pay again.`,
  preCheckoutError: 'We could not confirm this order right now. Please try again in a minute.',

  // --- delivery ------------------------------------------------------------------------------
  delivered: (item: DeliveredItem) =>
    html`✅ Delivered: ${item.kind === 'tokens' ? `${n(item.tokens)} tokens of ${item.model}${item.validityDays ? `, valid for ${n(item.validityDays)} days` : ''}` : `${usd(item.usdMicro)} added to your balance`}`,
  keyOnce: (key: string) => html`Your API key — shown <b>only once</b>, save it now:
<code>${key}</code>`,
  keyExisting: html`Use your existing API key (see /keys): the purchase is already on your account.`,
  quickstartTitle: (baseUrl: string) => html`Quick start. Base URL: <code>${baseUrl}</code> (OpenAI-compatible).`,
  quickstartCurl: 'curl',
  quickstartPython: 'Python (pip install openai)',
  quickstartNode: 'Node (npm install openai)',
  quickstartKeyPlaceholder: 'YOUR_KEY',

  // --- account -------------------------------------------------------------------------------
  balance: (availableMicro: number, heldMicro: number) => html`💰 Balance: <b>${usd(availableMicro)}</b> available${heldMicro > 0 ? ` (${usd(heldMicro)} reserved for requests in progress)` : ''}.`,
  allowancesTitle: html`Token allowances:`,
  allowanceLine: (a: AllowanceView) => html`• ${a.model}: ${n(a.remainingTokens)} of ${n(a.grantedTokens)} tokens left, ${a.expired ? 'expired' : a.expiresAt ? `until ${when(a.expiresAt)}` : 'no expiry'}`,
  noAllowances: html`No token allowances yet: see /catalog.`,
  usageEmpty: html`No requests yet. Once you use your key, they show here.`,
  usageRecentTitle: html`📊 Recent requests:`,
  usageLine: (r: RequestView) => html`• ${when(r.at)} ${r.model || '—'}: ${r.status >= 400 ? `failed (${r.status})` : `${n(r.promptTokens)} + ${n(r.completionTokens)} tokens, ${r.allowanceTokens > 0 ? 'from your allowance' : usd(r.chargeMicro)}`}`,
  usageByModelTitle: html`Totals per model:`,
  usageModelLine: (m: ModelUsage) => html`• ${m.model}: ${n(m.requests)} requests, ${n(m.promptTokens + m.completionTokens)} tokens, ${usd(m.chargeMicro)}`,
  keysEmpty: html`You have no API keys yet. Buy a package in /catalog to get one.`,
  keysTitle: html`🔑 Your API keys (only the ends are shown):`,
  keyLine: (k: KeyView) => html`• <code>${k.hint}</code>${k.label ? ` ${k.label}` : ''}: ${k.status === 'active' ? 'active' : k.status === 'revoked' ? 'revoked' : 'expired'}, created ${when(k.createdAt)}`,
  btnRotate: (hint: string) => `🔄 Rotate …${hint.slice(-4)}`,
  btnRevoke: (hint: string) => `🗑 Revoke …${hint.slice(-4)}`,
  confirmRevoke: (hint: string) => html`Revoke the key <code>${hint}</code>? Programs using it stop working at once. This cannot be undone.`,
  btnConfirmRevoke: '🗑 Yes, revoke it',
  btnCancel: 'Cancel',
  keyRevoked: (hint: string) => html`The key <code>${hint}</code> is revoked.`,
  keyKept: html`OK, the key stays active.`,
  keyRotated: (key: string) => html`🔄 Your new key — shown <b>only once</b>, save it now:
<code>${key}</code>
The old key no longer works.`,

  // --- support -------------------------------------------------------------------------------
  supportAsk: (max: number) => html`Write your message for the owner in one message (up to ${n(max)} characters). /cancel to stop.`,
  supportSent: (ticketId: string) => html`✅ Sent to the owner as ticket <code>${ticketId}</code>. The answer will arrive in this chat.`,
  ticketReply: (ticketId: string, text: string) => html`💬 Reply from the shop (ticket <code>${ticketId}</code>):

${text}`,
  shopMessage: (text: string) => html`✉️ Message from the shop:

${text}`,
  paysupport: html`Help with a payment:
• Telegram Stars: if you paid but did not get your order, send /support with the time of the payment. Stars payments can be refunded by the owner.
• Crypto: send /support with the invoice number (shown on the invoice) and your transaction id.
We answer in this chat.`,

  // --- owner ---------------------------------------------------------------------------------
  ownerTicket: (t: TicketNotice) => html`🆘 #${t.ticketId} from ${t.name} (id ${t.telegramId}${t.username ? `, @${t.username}` : ''})

${t.text}

Reply to this message, press Reply, or send /reply ${t.ticketId} and your text.`,
  btnReply: '↩ Reply',
  ownerReplyAsk: (ticketId: string) => html`Write your reply to ticket <code>${ticketId}</code> in one message. /cancel to stop.`,
  ownerReplySent: (ticketId: string) => html`✅ Reply delivered (ticket <code>${ticketId}</code>).`,
  ownerReplyFailed: (ticketId: string) => html`❌ Could not deliver the reply to ticket <code>${ticketId}</code>: the customer blocked the bot or deleted the chat.`,
  ticketNotFound: (ticketId: string) => html`There is no ticket <code>${ticketId}</code>.`,
  replyUsage: html`Usage: ${'/reply <ticket id> <text>'}`,
  createUsage: (problem: string) => html`${problem}
Usage: ${'/create_package <model> <tokens> "<description>"'}
Example: ${'/create_package openai/gpt-4o-mini 100000 "GPT-4o mini, 100k tokens"'}`,
  createNoArgs: 'The model, the tokens and the description are missing.',
  createUnclosedQuote: 'A quote is opened but never closed.',
  ownerPaymentNotRecorded: (p: { chargeId: string; telegramId: number; payload: string; stars: number; error: string }) => html`⚠️ A Stars payment could not be recorded: ${p.stars} Stars from user ${p.telegramId} for invoice <code>${p.payload}</code>, charge <code>${p.chargeId}</code> (${p.error}). Resolve it from the desktop (record or refund): the customer was told not to pay again.`,
  createBadTokens: 'Tokens must be a positive whole number, e.g. 100000 or 100k.',
  createNoDescription: 'The description is missing: put it in quotes.',
  createTooMany: 'Too many arguments: put the description in quotes.',
  created: (p: PackageView) => html`✅ Package created: <b>${p.description}</b> (${packageWhat(p)}), price now ${p.priceMicro === null ? 'not set (model not priced)' : usd(p.priceMicro)}. Id: <code>${p.id}</code>`,
  importBadFile: (maxKb: number) => html`Send the packages as a .json file (up to ${n(maxKb)} KB) in the bulk format: a list of {"model", "tokens", "description"}.`,
  importDone: (packages: PackageView[], alreadyForSale: number) => html`✅ Packages imported: ${packages.length}.${alreadyForSale ? ` Already for sale, not added again: ${alreadyForSale}.` : ''}${packages.slice(0, 20).map((p) => html`\n• ${p.description}: ${p.priceMicro === null ? 'not priced' : usd(p.priceMicro)}`)}`,
  importErrors: (errors: string[]) => html`❌ Nothing was imported. Problems found: ${errors.length}.
${errors.map((e) => html`\n• ${e}`)}`,
  fileNotExpected: html`I can't do anything with files here. Send /help for what I can do.`,
  announceAsk: (max: number) => html`Send the announcement text in one message (up to ${n(max)} characters). /cancel to stop.`,
  announceNone: html`There are no customers to announce to yet.`,
  announceConfirm: (recipients: number, text: string) => html`Send this announcement to ${n(recipients)} customers?

${text}`,
  btnAnnounceSend: (recipients: number) => `📣 Send to ${n(recipients)}`,
  announceSending: (recipients: number) => html`📣 Sending to ${n(recipients)} customers, paced under Telegram's limits. I will report when it is done.`,
  announceDone: (delivered: number, failed: number, blocked: number) => html`📣 Announcement finished: delivered ${n(delivered)}, failed ${n(failed)}${blocked ? ` (${n(blocked)} blocked the bot or left)` : ''}.`,
  announceGone: html`This announcement was already sent or cancelled.`,
  ownerAlert: (text: string) => html`🔔 ${text}`,

  // --- the command menu (setMyCommands; plain text, up to 256 characters) ---------------------
  commands: {
    start: 'Welcome and the menu',
    catalog: 'Packages for sale',
    balance: 'Balance and token allowances',
    usage: 'Recent requests and totals',
    keys: 'Your API keys',
    topup: 'Add USD credit',
    support: 'Write to the owner',
    paysupport: 'Help with a payment',
    terms: "The shop's terms",
    language: 'Change the language',
    help: 'All commands',
  },
  ownerCommands: {
    stats: 'Business figures',
    token_stats: 'Tokens sold and used',
    report: "Today's summary",
    create_package: 'New package: <model> <tokens> "<description>"',
    announce: 'Message every customer',
    reply: 'Answer a ticket: <ticket> <text>',
  },
};
