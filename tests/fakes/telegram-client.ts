/**
 * The customer's side of the Bot API stand-in: a Telegram user who sends commands, text,
 * documents and button presses, pays (pre_checkout_query, then successful_payment), and reads
 * what the bot sent to their chat. Waiting is on observable state with a deadline, never a sleep.
 */
import { waitFor } from '../helpers/wait.js';
import type { ClientOptions, StoredUpdate, TelegramServerLike } from './telegram-bot-api.js';
import type { SentMessage, StandInState } from './telegram-methods.js';

export interface TelegramClientLike {
  makeCommand(text: string, options?: object): unknown;
  makeMessage(text: string, options?: object): unknown;
  makeCallbackQuery(data: string, options?: object): unknown;
  sendCommand(message: unknown): Promise<{ ok: boolean }>;
  sendMessage(message: unknown): Promise<{ ok: boolean }>;
  sendCallback(message: unknown): Promise<{ ok: boolean }>;
  getUpdates(): Promise<{ ok: boolean; result: { message: { text: string; chat_id?: number } }[] }>;
}

type Match = RegExp | string | ((m: SentMessage) => boolean);

let nextQuery = 1;
let nextCharge = 1;
let nextFile = 1;

export class FakeTelegramClient implements TelegramClientLike {
  readonly userId: number;
  readonly user: { id: number; is_bot: false; first_name: string; username: string; language_code?: string };
  private readonly inner: TelegramClientLike;
  private readonly extra: object;
  private cursor = 0;

  constructor(
    private readonly server: TelegramServerLike,
    private readonly state: StandInState,
    readonly token: string,
    options: ClientOptions,
  ) {
    this.userId = options.userId ?? 4242;
    const firstName = options.firstName ?? 'Alice';
    const username = options.username ?? firstName.toLowerCase();
    this.user = { id: this.userId, is_bot: false, first_name: firstName, username, ...(options.languageCode ? { language_code: options.languageCode } : {}) };
    // A private chat: its id is the user's id.
    this.inner = server.getClient(token, { timeout: 10_000, userId: this.userId, chatId: this.userId, firstName, userName: username });
    this.extra = options.languageCode ? { from: { language_code: options.languageCode } } : {};
  }

  // --- telegram-test-api's client, as it was ----------------------------------------------------
  makeCommand(text: string, options: object = {}) {
    return this.inner.makeCommand(text, { ...this.extra, ...options });
  }
  makeMessage(text: string, options: object = {}) {
    return this.inner.makeMessage(text, { ...this.extra, ...options });
  }
  makeCallbackQuery(data: string, options: object = {}) {
    return this.inner.makeCallbackQuery(data, { ...this.extra, ...options });
  }
  sendCommand(message: unknown) {
    return this.inner.sendCommand(message);
  }
  sendMessage(message: unknown) {
    return this.inner.sendMessage(message);
  }
  sendCallback(message: unknown) {
    return this.inner.sendCallback(message);
  }
  getUpdates() {
    return this.inner.getUpdates();
  }

  // --- the customer's actions ---------------------------------------------------------------------
  async command(text: string): Promise<void> {
    await this.inner.sendCommand(this.makeCommand(text));
  }

  /** A text message (optionally a Telegram "reply" to one of the bot's messages). */
  async say(text: string, replyTo?: SentMessage): Promise<void> {
    const options = replyTo ? { reply_to_message: { message_id: replyTo.messageId, date: Math.floor(replyTo.at / 1000), chat: { id: this.userId, type: 'private' }, from: { id: 666, is_bot: true, first_name: 'Test First name' }, text: replyTo.text } } : {};
    await this.inner.sendMessage(this.makeMessage(text, options));
  }

  /** Presses a button by raw callback data (forged data too). */
  async press(data: string, messageId = 0): Promise<void> {
    await this.inner.sendCallback(this.makeCallbackQuery(data, { message: { message_id: messageId, date: Math.floor(Date.now() / 1000) } }));
  }

  /** Presses the button whose label matches, under a message the bot sent. */
  async pressButton(message: SentMessage, label: RegExp | string): Promise<void> {
    const button = message.buttons.flat().find((b) => (typeof label === 'string' ? b.text.includes(label) : label.test(b.text)));
    if (!button?.data) throw new Error(`no button ${String(label)} under message ${message.messageId}: ${JSON.stringify(message.buttons.flat().map((b) => b.text))}`);
    await this.press(button.data, message.messageId);
  }

  /** Uploads a file (like sending a document in the app); the bot fetches it with getFile. */
  async sendDocument(fileName: string, content: string | Buffer, mimeType = 'application/json'): Promise<void> {
    const fileId = `file-${nextFile++}`;
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    this.state.files.set(fileId, { token: this.token, content: data, path: `documents/${fileId}.json`, name: fileName });
    this.inject({ message: this.message({ document: { file_id: fileId, file_unique_id: `u-${fileId}`, file_name: fileName, mime_type: mimeType, file_size: data.length } }) });
  }

  /** Telegram asks the bot to confirm the order before charging; returns the query id. */
  preCheckout(p: { payload: string; currency: string; totalAmount: number }): string {
    const id = `pcq-${nextQuery++}`;
    this.state.queries.set(id, { token: this.token, userId: this.userId, at: Date.now() });
    this.inject({ pre_checkout_query: { id, from: this.user, currency: p.currency, total_amount: p.totalAmount, invoice_payload: p.payload } });
    return id;
  }

  /** Telegram charged the payer: the successful_payment service message. Returns the charge id. */
  pay(p: { payload: string; currency: string; totalAmount: number; chargeId?: string }): string {
    const chargeId = p.chargeId ?? `stxCharge${nextCharge++}`;
    this.state.charges.set(chargeId, { token: this.token, userId: this.userId, refunded: this.state.charges.get(chargeId)?.refunded ?? false });
    this.inject({
      message: this.message({
        successful_payment: { currency: p.currency, total_amount: p.totalAmount, invoice_payload: p.payload, telegram_payment_charge_id: chargeId, provider_payment_charge_id: '' },
      }),
    });
    return chargeId;
  }

  /** The bot's answer to a pre-checkout query, once given. */
  preCheckoutAnswer(queryId: string) {
    return this.state.queries.get(queryId)?.answer;
  }

  async waitPreCheckoutAnswer(queryId: string) {
    return (await waitFor(() => this.preCheckoutAnswer(queryId), (a) => a !== undefined, { what: `answer to pre-checkout query ${queryId}` }))!;
  }

  refunded(chargeId: string): boolean {
    return this.state.charges.get(chargeId)?.refunded ?? false;
  }

  // --- what the bot said --------------------------------------------------------------------------
  /** Every message the bot sent to this chat. */
  messages(): SentMessage[] {
    return this.state.sent.filter((m) => m.token === this.token && m.chatId === this.userId);
  }

  /** Messages not yet returned by next(). */
  unread(): SentMessage[] {
    return this.messages().slice(this.cursor);
  }

  /** Marks everything so far as read. */
  skip(): void {
    this.cursor = this.messages().length;
  }

  /**
   * Waits for the next message matching (a regexp or text on what the user sees, or a predicate),
   * skipping earlier unmatched ones; later calls continue after it.
   */
  async next(match?: Match, options: { timeoutMs?: number; what?: string } = {}): Promise<SentMessage> {
    const test = (m: SentMessage) => (match === undefined ? true : typeof match === 'function' ? match(m) : typeof match === 'string' ? m.text.includes(match) : match.test(m.text));
    const found = await waitFor(
      () => {
        const all = this.messages();
        const index = all.findIndex((m, i) => i >= this.cursor && test(m));
        return index >= 0 ? { index, message: all[index]! } : { index: -1, unread: all.slice(this.cursor).map((m) => m.text.slice(0, 120)) };
      },
      (r) => r.index >= 0,
      { timeoutMs: options.timeoutMs ?? 8_000, what: options.what ?? `a message ${match === undefined ? '' : String(match)} to user ${this.userId}` },
    );
    this.cursor = found.index + 1;
    return (found as { message: SentMessage }).message;
  }

  private message(fields: Record<string, unknown>): Record<string, unknown> {
    const id = this.server.messageId++;
    return { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: this.userId, type: 'private', first_name: this.user.first_name }, from: this.user, ...fields };
  }

  private inject(raw: Record<string, unknown>): void {
    const update: StoredUpdate = { ...this.server.getCommonFields(this.token), raw };
    void this.server.addUserUpdate(update);
  }
}

/**
 * A customer who has started the bot, accepted the terms and picked English. Returns the main
 * menu message, for pressing its buttons next.
 */
export async function onboard(client: FakeTelegramClient): Promise<SentMessage> {
  await client.command('/start');
  await client.pressButton(await client.next(/^Welcome/), 'I accept');
  await client.pressButton(await client.next(/choose your language/i), 'English');
  return client.next(/What would you like to do/);
}

/** A Stars invoice the bot sent: what Telegram's payment messages refer to. */
export interface StarsOrder {
  payload: string;
  totalAmount: number;
}

/** From the main menu: Catalog → the model's package → Buy → Telegram Stars; returns the invoice. */
export async function orderWithStars(client: FakeTelegramClient, menu: SentMessage, model: string): Promise<StarsOrder> {
  await client.pressButton(menu, 'Catalog');
  await client.pressButton(await client.next(/Catalog/), model);
  await client.pressButton(await client.next(/Model:/), /Buy for \$/);
  await client.pressButton(await client.next(/Choose how to pay/), 'Telegram Stars');
  const sent = await client.next((m) => m.method === 'sendInvoice', { what: 'the Stars invoice' });
  return { payload: sent.invoice!.payload, totalAmount: sent.invoice!.prices.reduce((sum, p) => sum + p.amount, 0) };
}

/** Pays as Telegram does: a pre-checkout query the bot must accept, then successful_payment. */
export async function payStars(client: FakeTelegramClient, order: StarsOrder, chargeId: string): Promise<void> {
  const answer = await client.waitPreCheckoutAnswer(client.preCheckout({ ...order, currency: 'XTR' }));
  if (!answer.ok) throw new Error(`the bot refused the pre-checkout query: ${JSON.stringify(answer)}`);
  client.pay({ ...order, currency: 'XTR', chargeId });
}
