/**
 * Telegram Stars: the pre-checkout check (answered at once — Telegram cancels the payment if
 * the bot has not answered within 10 seconds) and the successful payment, passed to the shop,
 * which credits it once per charge id. Delivery follows when the host calls
 * StorefrontEvents.delivered.
 */
import type { PreCheckoutQuery, SuccessfulPayment, User } from 'telegraf/types';
import { say, type BotCore } from '../core.js';
import { t } from '../i18n/index.js';
import { languageFor } from './onboarding.js';

export async function onPreCheckout(core: BotCore, q: PreCheckoutQuery): Promise<void> {
  let refusal: string | undefined;
  try {
    refusal = core.shop.preCheckout(q.invoice_payload, q.currency, q.total_amount, q.from.id);
  } catch (error) {
    core.log.error({ event: 'bot.pre_checkout_failed', invoiceId: q.invoice_payload, err: String(error) }, 'pre-checkout check failed');
    refusal = t(languageFor(core, q.from)).preCheckoutError;
  }
  core.log.info({ event: 'bot.pre_checkout', invoiceId: q.invoice_payload, userId: q.from.id, ok: !refusal }, refusal ? 'pre-checkout refused' : 'pre-checkout accepted');
  await core.out.send(
    'answerPreCheckoutQuery',
    refusal ? { pre_checkout_query_id: q.id, ok: false, error_message: refusal.slice(0, 255) } : { pre_checkout_query_id: q.id, ok: true },
    'urgent',
  );
}

export async function onSuccessfulPayment(core: BotCore, from: User, payment: SuccessfulPayment): Promise<void> {
  const chargeId = payment.telegram_payment_charge_id;
  core.log.info(
    { event: 'bot.stars_payment', invoiceId: payment.invoice_payload, chargeId, stars: payment.total_amount, currency: payment.currency, userId: from.id },
    'successful payment',
  );
  const texts = t(languageFor(core, from));
  // Telegram has taken the Stars: say so first (queued before any delivery message the shop
  // triggers), unless this charge was already acknowledged (a replayed update).
  const ack = core.sessions.firstSightOfCharge(chargeId) ? say(core, from.id, texts.paymentReceived(payment.total_amount)).catch(() => undefined) : undefined;
  try {
    core.shop.starsPaid(payment.invoice_payload, chargeId, payment.total_amount, from.id);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.log.error({ event: 'bot.stars_payment_not_recorded', invoiceId: payment.invoice_payload, chargeId, userId: from.id, err: message }, 'a successful payment could not be recorded');
    await say(core, from.id, texts.paymentNotRecorded).catch(() => undefined);
    for (const owner of core.ownerIds) {
      const ownerTexts = t(core.shop.customer(owner)?.language);
      await say(core, owner, ownerTexts.ownerPaymentNotRecorded({ chargeId, telegramId: from.id, payload: payment.invoice_payload, stars: payment.total_amount, error: message.slice(0, 200) })).catch(() => undefined);
    }
  }
  await ack;
}
