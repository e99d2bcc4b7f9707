/**
 * StorefrontEvents: what the rest of ArbDesk asks the bot to say — invoice progress, a
 * delivered order (the new key shown once, with quick-starts), owner alerts and the owner's
 * desktop replies to tickets. Each message is in the recipient's language. While the bot is
 * not running, nothing is sent and the calls answer false / 0.
 */
import type { InvoiceView } from '../contract.js';
import { button, say, textsFor, type BotCore } from './core.js';
import { invoiceInfo } from './format.js';
import { joinHtml } from './html.js';
import { t } from './i18n/index.js';
import { quickstart } from './quickstart.js';
import { sendTicketReply } from './handlers/support.js';
import type { StorefrontEvents, Ticket, DeliveredItem } from './shop-port.js';

const FALLBACK_MODEL = 'openai/gpt-4o-mini';

export class Storefront implements StorefrontEvents {
  constructor(private readonly core: () => BotCore | undefined) {}

  /**
   * Crypto invoices only: a Stars invoice is paid inside Telegram, and the customer has just
   * been told so by the successful-payment message; its other changes (expiry of an abandoned
   * invoice) are not worth a message. Nothing is sent for those (false).
   */
  async invoiceChanged(telegramId: number, invoice: InvoiceView): Promise<boolean> {
    const core = this.core();
    if (!core || invoice.method === 'stars') return false;
    const texts = textsFor(core, telegramId);
    const open = invoice.status === 'new' || invoice.status === 'processing';
    return this.attempt(core, 'invoice', () =>
      say(core, telegramId, texts.invoiceStatus(invoiceInfo(invoice)), open ? [[button(texts.btnCheckStatus, { action: 'chk', invoiceId: invoice.id })]] : undefined),
    );
  }

  async delivered(telegramId: number, item: DeliveredItem, newKey: string | null): Promise<boolean> {
    const core = this.core();
    if (!core) return false;
    const texts = textsFor(core, telegramId);
    const model = this.modelFor(core, telegramId);
    const key = newKey ?? texts.quickstartKeyPlaceholder;
    return this.attempt(core, 'delivery', async () => {
      await say(core, telegramId, joinHtml([texts.delivered(item), newKey ? texts.keyOnce(newKey) : texts.keyExisting], '\n\n'));
      await say(core, telegramId, quickstart(texts, core.shop.proxyBaseUrl(), key, model));
    });
  }

  async ownerAlert(text: string): Promise<number> {
    const core = this.core();
    if (!core) return 0;
    let delivered = 0;
    for (const owner of core.ownerIds) {
      if (await this.attempt(core, 'owner alert', () => say(core, owner, t(core.shop.customer(owner)?.language).ownerAlert(text.slice(0, 3500))))) delivered++;
    }
    return delivered;
  }

  async ticketReply(ticket: Ticket, text: string): Promise<boolean> {
    const core = this.core();
    if (!core) return false;
    return sendTicketReply(core, ticket, text);
  }

  async customerMessage(telegramId: number, text: string): Promise<boolean> {
    const core = this.core();
    if (!core) return false;
    return this.attempt(core, 'owner message', () => say(core, telegramId, textsFor(core, telegramId).shopMessage(text.slice(0, 3500))));
  }

  /** The model of the customer's newest allowance (what they just bought), for the examples. */
  private modelFor(core: BotCore, telegramId: number): string {
    const customer = core.shop.customer(telegramId);
    if (customer) {
      const newest = [...core.shop.balance(customer.id).allowances].filter((a) => !a.expired).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
      if (newest) return newest.model;
    }
    return core.shop.packages().find((p) => p.model)?.model ?? FALLBACK_MODEL;
  }

  private async attempt(core: BotCore, what: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      core.log.warn({ event: 'bot.notify_failed', what, err: String((error as { description?: string }).description ?? error) }, `could not send the ${what} message`);
      return false;
    }
  }
}
