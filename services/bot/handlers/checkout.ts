/**
 * Buying: choose a payment method, get an invoice (Telegram Stars via sendInvoice, or a crypto
 * invoice as a QR code photo), check its status; and USD top-ups. Amounts always come from the
 * shop (the package's live price, the customer's own top-up amount): never from button data.
 */
import { button, customerOrPrompt, say, sayShopError, type BotCore, type Button } from '../core.js';
import { centsToUsd, invoiceInfo, parseUsdCents } from '../format.js';
import { visibleLength } from '../html.js';
import { t, type Catalog } from '../i18n/index.js';
import { callbackSchema } from '../callback-data.js';
import type { ShopCustomer } from '../shop-port.js';

export type Purchase = { packageId: string } | { cents: number };

const TELEGRAM_MAX_CAPTION = 1024;

/** The methods the shop offers now that fit in a button. */
function offeredMethods(core: BotCore): { method: string; label: string }[] {
  return core.shop.paymentOptions().filter((o) => {
    const ok = callbackSchema.safeParse({ action: 'payt', cents: '100', method: o.method }).success;
    if (!ok) core.log.warn({ event: 'bot.payment_method_skipped', method: o.method }, 'payment method cannot be offered in a button');
    return ok;
  });
}

/** What is being bought and its amount (µUSD), or undefined after telling the customer why not. */
async function describe(core: BotCore, customer: ShopCustomer, chatId: number, what: Purchase, texts: Catalog): Promise<{ text: string; usdMicro: number } | undefined> {
  if ('packageId' in what) {
    const pkg = core.shop.package(what.packageId);
    if (!pkg || pkg.retiredAt) {
      await say(core, chatId, texts.notFound);
      return undefined;
    }
    if (!pkg.forSale || pkg.priceMicro === null) {
      await say(core, chatId, texts.notForSale);
      return undefined;
    }
    return { text: `${pkg.description} (${texts.packageWhat(pkg)})`, usdMicro: pkg.priceMicro };
  }
  const { topupMinCents: min, topupMaxCents: max } = core.limits;
  if (what.cents < min || what.cents > max) {
    await say(core, chatId, texts.topupBad(min, max));
    return undefined;
  }
  return { text: texts.topupWhat(centsToUsd(what.cents)), usdMicro: what.cents * 10_000 };
}

export async function choosePayment(core: BotCore, userId: number, what: Purchase): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const texts = t(customer.language);
  const described = await describe(core, customer, userId, what, texts);
  if (!described) return;
  const methods = offeredMethods(core);
  if (methods.length === 0) {
    await say(core, userId, texts.noPaymentMethods);
    return;
  }
  const keyboard: Button[][] = methods.map((o) => [
    'packageId' in what ? button(o.label, { action: 'payp', packageId: what.packageId, method: o.method }) : button(o.label, { action: 'payt', cents: what.cents, method: o.method }),
  ]);
  await say(core, userId, texts.choosePayment(described.text, described.usdMicro), keyboard);
}

export async function pay(core: BotCore, userId: number, what: Purchase, method: string): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const texts = t(customer.language);
  if (!offeredMethods(core).some((o) => o.method === method)) {
    await say(core, userId, texts.notFound);
    return;
  }
  if (!(await describe(core, customer, userId, what, texts))) return;
  try {
    const order = core.shop.order(customer.id, 'packageId' in what ? { packageId: what.packageId } : { topupUsd: centsToUsd(what.cents) });
    core.log.info({ event: 'bot.order', orderId: order.orderId, customerId: customer.id, method, usdMicro: order.usdMicro }, 'order placed');
    if (method === 'stars') {
      const inv = core.shop.starsInvoice(order.orderId);
      const title = clip(inv.title, 32);
      await core.out.send('sendInvoice', {
        chat_id: userId,
        title,
        description: clip(inv.description, 255),
        payload: inv.payload,
        provider_token: '',
        currency: 'XTR',
        prices: [{ label: title, amount: inv.stars }],
      });
      await say(core, userId, texts.starsInvoiceSent);
      return;
    }
    const inv = await core.shop.cryptoInvoice(order.orderId, method);
    const caption = texts.cryptoInvoice({
      invoiceId: inv.invoice.id,
      amount: inv.amount,
      asset: inv.asset,
      network: inv.network,
      address: inv.address,
      uri: inv.uri,
      expiresAt: inv.invoice.expiresAt,
    });
    const keyboard = [[button(texts.btnCheckStatus, { action: 'chk', invoiceId: inv.invoice.id })]];
    const fits = visibleLength(caption) <= TELEGRAM_MAX_CAPTION;
    await core.out.send('sendPhoto', {
      chat_id: userId,
      photo: { source: inv.qrPng, filename: `${inv.invoice.id}.png` },
      ...(fits ? { caption: caption.value, parse_mode: 'HTML', reply_markup: { inline_keyboard: keyboard } } : { caption: inv.invoice.id }),
    });
    if (!fits) await say(core, userId, caption, keyboard);
  } catch (error) {
    await sayShopError(core, userId, error);
  }
}

export async function checkStatus(core: BotCore, userId: number, invoiceId: string): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const texts = t(customer.language);
  const inv = core.shop.invoice(invoiceId);
  if (!inv || inv.customerId !== customer.id) {
    await say(core, userId, texts.notFound);
    return;
  }
  const open = inv.status === 'new' || inv.status === 'processing';
  await say(core, userId, texts.invoiceStatus(invoiceInfo(inv)), open ? [[button(texts.btnCheckStatus, { action: 'chk', invoiceId: inv.id })]] : undefined);
}

export async function showTopup(core: BotCore, userId: number): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const texts = t(customer.language);
  const presets = core.limits.topupPresetsCents.map((cents) => button(`$${centsToUsd(cents).replace(/\.00$/, '')}`, { action: 'top', cents }));
  const rows: Button[][] = [];
  for (let i = 0; i < presets.length; i += 2) rows.push(presets.slice(i, i + 2));
  rows.push([button(texts.btnTopupOther, { action: 'topc' })]);
  await say(core, userId, texts.topupChoose, rows);
}

export async function askTopupAmount(core: BotCore, userId: number): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  core.sessions.set(userId, { kind: 'topup' });
  await say(core, userId, t(customer.language).topupAsk(core.limits.topupMinCents, core.limits.topupMaxCents));
}

export async function onTopupAmount(core: BotCore, userId: number, text: string): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const cents = parseUsdCents(text);
  const { topupMinCents: min, topupMaxCents: max } = core.limits;
  if (cents === null || cents < min || cents > max) {
    core.sessions.set(userId, { kind: 'topup' }); // ask again
    await say(core, userId, t(customer.language).topupBad(min, max));
    return;
  }
  await choosePayment(core, userId, { cents });
}

function clip(text: string, max: number): string {
  const s = text.trim() || '—';
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
