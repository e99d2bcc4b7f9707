/**
 * Bot API methods the stand-in adds to telegram-test-api, with the real request and response
 * shapes (https://core.telegram.org/bots/api) and the checks Telegram makes, so that a message
 * Telegram would refuse is refused here too: HTML that does not parse, button data over 64
 * bytes, a Stars invoice with a provider token or more than one price, a pre-checkout answer
 * after the 10-second deadline. Every call is recorded for the tests to read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EntityParseError, parseTelegramHtml } from './telegram-html.js';
import type { TelegramServerLike } from './telegram-bot-api.js';

export interface ApiCall {
  token: string;
  method: string;
  payload: Record<string, unknown>;
  at: number;
}

export interface Button {
  text: string;
  data: string | undefined;
}

export interface SentMessage {
  token: string;
  chatId: number;
  messageId: number;
  method: 'sendMessage' | 'sendPhoto' | 'sendInvoice';
  at: number;
  /** What the user sees: the text or caption without markup; for an invoice its title and description. */
  text: string;
  /** The text or caption exactly as sent. */
  raw: string;
  parseMode: string | undefined;
  buttons: Button[][];
  photo?: Buffer;
  invoice?: { title: string; description: string; payload: string; currency: string; providerToken: string | undefined; prices: { label: string; amount: number }[] };
}

export interface InjectedFailure {
  method: string;
  error: { error_code: number; description: string; parameters?: { retry_after?: number } };
  times: number;
  chatId: number | undefined;
}

export interface PreCheckoutRecord {
  token: string;
  userId: number;
  at: number;
  answer?: { ok: boolean; errorMessage: string | undefined; afterMs: number };
}

export interface StandInState {
  calls: ApiCall[];
  sent: SentMessage[];
  failures: InjectedFailure[];
  blocked: Set<number>;
  files: Map<string, { token: string; content: Buffer; path: string; name: string }>;
  queries: Map<string, PreCheckoutRecord>;
  charges: Map<string, { token: string; userId: number; refunded: boolean }>;
  webhookDeliveries: { status: number }[];
  commands?: Map<string, unknown>;
}

class BadRequest extends Error {
  constructor(description: string, readonly code = 400) {
    super(description);
  }
}

const JSON_FIELDS = ['reply_markup', 'prices', 'commands', 'scope', 'allowed_updates', 'link_preview_options', 'entities', 'caption_entities', 'photo_size'];
const BOT = { id: 666, is_bot: true, first_name: 'Test First name', username: 'TestNameBot' };
const PRE_CHECKOUT_DEADLINE_MS = 10_000;

export class TelegramMethods {
  private readonly handlers: Record<string, (token: string, p: Record<string, unknown>) => unknown> = {
    sendMessage: (token, p) => this.sendMessage(token, p),
    sendPhoto: (token, p) => this.sendPhoto(token, p),
    sendInvoice: (token, p) => this.sendInvoice(token, p),
    answerPreCheckoutQuery: (_token, p) => this.answerPreCheckoutQuery(p),
    refundStarPayment: (token, p) => this.refundStarPayment(token, p),
    getFile: (token, p) => this.getFile(token, p),
    setMyCommands: (token, p) => this.setMyCommands(token, p),
    getMyCommands: (token, p) => this.state.commands?.get(commandsKey(token, p)) ?? [],
    deleteMyCommands: (token, p) => this.state.commands?.delete(commandsKey(token, p)) ?? true,
    setWebhook: (token, p) => this.setWebhook(token, p),
    answerCallbackQuery: () => true,
    sendChatAction: () => true,
  };

  constructor(
    private readonly server: TelegramServerLike,
    private readonly state: StandInState,
  ) {}

  /** Serves the request if it is ours; false to let telegram-test-api have it. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      const found = [...this.state.files.values()].find((f) => f.token === decodeURIComponent(file[1]!) && f.path === file[2]);
      if (!found) res.writeHead(404).end('Not Found');
      else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(found.content);
      return true;
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return false;
    const token = decodeURIComponent(m[1]!);
    const method = m[2]!;
    const handler = this.handlers[method];
    if (!handler) {
      this.state.calls.push({ token, method, payload: {}, at: Date.now() });
      return false;
    }
    const payload = await readPayload(req, url);
    this.state.calls.push({ token, method, payload, at: Date.now() });
    const failure = this.state.failures.find((f) => f.method === method && f.times > 0 && (f.chatId === undefined || f.chatId === Number(payload.chat_id)));
    if (failure) {
      failure.times--;
      reply(res, failure.error.error_code, { ok: false, ...failure.error });
      return true;
    }
    if (method.startsWith('send') && this.state.blocked.has(Number(payload.chat_id))) {
      reply(res, 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
      return true;
    }
    try {
      reply(res, 200, { ok: true, result: handler(token, payload) });
    } catch (error) {
      const e = error instanceof BadRequest ? error : new BadRequest(`Bad Request: ${(error as Error).message}`);
      reply(res, e.code, { ok: false, error_code: e.code, description: e.message });
    }
    return true;
  }

  private sendMessage(token: string, p: Record<string, unknown>) {
    const chatId = requireChat(p);
    const raw = requireString(p, 'text', 'message text is empty');
    const text = visible(raw, p.parse_mode);
    if (text.trim().length === 0) throw new BadRequest('Bad Request: message text is empty');
    if (text.length > 4096) throw new BadRequest('Bad Request: message is too long');
    const buttons = keyboard(p.reply_markup);
    const message = this.record(token, p, { chatId, method: 'sendMessage', text, raw, parseMode: str(p.parse_mode), buttons });
    return { ...message, text };
  }

  private sendPhoto(token: string, p: Record<string, unknown>) {
    const chatId = requireChat(p);
    if (!Buffer.isBuffer(p.photo) && typeof p.photo !== 'string') throw new BadRequest('Bad Request: there is no photo in the request');
    const raw = str(p.caption) ?? '';
    const text = raw ? visible(raw, p.parse_mode) : '';
    if (text.length > 1024) throw new BadRequest('Bad Request: message caption is too long');
    const photo = Buffer.isBuffer(p.photo) ? p.photo : Buffer.from(String(p.photo));
    const message = this.record(token, p, { chatId, method: 'sendPhoto', text, raw, parseMode: str(p.parse_mode), buttons: keyboard(p.reply_markup), photo });
    return { ...message, caption: text, photo: [{ file_id: `photo-${message.message_id}`, file_unique_id: `p${message.message_id}`, width: 512, height: 512, file_size: photo.length }] };
  }

  private sendInvoice(token: string, p: Record<string, unknown>) {
    const chatId = requireChat(p);
    const title = requireString(p, 'title', 'title is empty');
    const description = requireString(p, 'description', 'description is empty');
    const payload = requireString(p, 'payload', 'invoice payload is empty');
    const currency = requireString(p, 'currency', 'currency is empty');
    if ([...title].length > 32) throw new BadRequest('Bad Request: title is too long');
    if ([...description].length > 255) throw new BadRequest('Bad Request: description is too long');
    if (Buffer.byteLength(payload) > 128) throw new BadRequest('Bad Request: invoice payload is too long');
    const prices = p.prices as { label: string; amount: number }[] | undefined;
    if (!Array.isArray(prices) || prices.length === 0) throw new BadRequest('Bad Request: prices must be non-empty');
    for (const price of prices) if (!price.label || !Number.isInteger(Number(price.amount)) || Number(price.amount) <= 0) throw new BadRequest('Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID');
    const providerToken = str(p.provider_token);
    if (currency === 'XTR') {
      if (providerToken) throw new BadRequest('Bad Request: provider_token must be empty for payments in Telegram Stars');
      if (prices.length !== 1) throw new BadRequest('Bad Request: exactly one price is allowed for payments in Telegram Stars');
    } else if (!providerToken) throw new BadRequest('Bad Request: PAYMENT_PROVIDER_INVALID');
    const total = prices.reduce((s, x) => s + Number(x.amount), 0);
    const invoice = { title, description, payload, currency, providerToken, prices: prices.map((x) => ({ label: x.label, amount: Number(x.amount) })) };
    const message = this.record(token, p, { chatId, method: 'sendInvoice', text: `${title}\n${description}`, raw: '', parseMode: undefined, buttons: keyboard(p.reply_markup), invoice });
    return { ...message, invoice: { title, description, start_parameter: str(p.start_parameter) ?? '', currency, total_amount: total } };
  }

  private answerPreCheckoutQuery(p: Record<string, unknown>) {
    const id = String(p.pre_checkout_query_id ?? '');
    const query = this.state.queries.get(id);
    const tooOld = 'Bad Request: query is too old and response timeout expired or query ID is invalid';
    if (!query || query.answer) throw new BadRequest(tooOld);
    const ok = p.ok === true || p.ok === 'true';
    const errorMessage = str(p.error_message);
    if (!ok && !errorMessage) throw new BadRequest('Bad Request: ERROR_MESSAGE_EMPTY');
    const afterMs = Date.now() - query.at;
    query.answer = { ok, errorMessage, afterMs };
    if (afterMs > PRE_CHECKOUT_DEADLINE_MS) throw new BadRequest(tooOld);
    return true;
  }

  private refundStarPayment(token: string, p: Record<string, unknown>) {
    const charge = this.state.charges.get(String(p.telegram_payment_charge_id ?? ''));
    if (!charge || charge.token !== token || charge.userId !== Number(p.user_id)) throw new BadRequest('Bad Request: CHARGE_NOT_FOUND');
    if (charge.refunded) throw new BadRequest('Bad Request: CHARGE_ALREADY_REFUNDED');
    charge.refunded = true;
    return true;
  }

  private getFile(token: string, p: Record<string, unknown>) {
    const id = String(p.file_id ?? '');
    const file = this.state.files.get(id);
    if (!file || file.token !== token) throw new BadRequest('Bad Request: invalid file_id');
    return { file_id: id, file_unique_id: `u-${id}`, file_size: file.content.length, file_path: file.path };
  }

  private setMyCommands(token: string, p: Record<string, unknown>) {
    const commands = p.commands as { command: string; description: string }[] | undefined;
    if (!Array.isArray(commands) || commands.length > 100) throw new BadRequest('Bad Request: commands must be a list of at most 100 commands');
    for (const c of commands) {
      if (!/^[a-z0-9_]{1,32}$/.test(c.command ?? '')) throw new BadRequest('Bad Request: BOT_COMMAND_INVALID');
      if (!c.description || c.description.length > 256) throw new BadRequest('Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
    }
    this.state.commands ??= new Map();
    this.state.commands.set(commandsKey(token, p), commands);
    return true;
  }

  private setWebhook(token: string, p: Record<string, unknown>) {
    const url = requireString(p, 'url', 'bad webhook: An HTTPS URL must be provided for webhook');
    const secret = str(p.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw new BadRequest('Bad Request: secret token contains unallowed characters');
    this.server.webhooks[token] = { url, ...(secret ? { secret_token: secret } : {}) };
    return true;
  }

  private record(token: string, p: Record<string, unknown>, m: Omit<SentMessage, 'token' | 'messageId' | 'at'>) {
    // Through the package's store too, so its client (getUpdates) sees the bot's messages.
    const stored = this.server.addBotMessage({ ...p, chat_id: m.chatId }, token) as { message_id: number; date: number };
    this.state.sent.push({ ...m, token, messageId: stored.message_id, at: Date.now() });
    return { message_id: stored.message_id, date: Math.floor(Date.now() / 1000), chat: { id: m.chatId, type: 'private' }, from: BOT };
  }
}

function commandsKey(token: string, p: Record<string, unknown>): string {
  return `${token}|${JSON.stringify(p.scope ?? { type: 'default' })}|${str(p.language_code) ?? ''}`;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function requireString(p: Record<string, unknown>, field: string, problem: string): string {
  const v = str(p[field]);
  if (!v) throw new BadRequest(`Bad Request: ${problem}`);
  return v;
}

function requireChat(p: Record<string, unknown>): number {
  const id = Number(p.chat_id);
  if (!Number.isSafeInteger(id) || id === 0) throw new BadRequest('Bad Request: chat not found');
  return id;
}

function visible(raw: string, parseMode: unknown): string {
  if (parseMode === undefined || parseMode === '') return raw;
  if (parseMode !== 'HTML') throw new BadRequest(`Bad Request: unsupported parse_mode in the stand-in: ${String(parseMode)}`);
  try {
    return parseTelegramHtml(raw).text;
  } catch (error) {
    if (error instanceof EntityParseError) throw new BadRequest(error.message);
    throw error;
  }
}

function keyboard(markup: unknown): Button[][] {
  if (markup === undefined) return [];
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows)) return [];
  return rows.map((row: unknown) => {
    if (!Array.isArray(row)) throw new BadRequest('Bad Request: inline keyboard rows must be arrays');
    return row.map((b: { text?: string; callback_data?: string; url?: string }) => {
      if (!b.text) throw new BadRequest('Bad Request: text buttons are unallowed in the inline keyboard');
      if (b.callback_data !== undefined && (b.callback_data.length === 0 || Buffer.byteLength(b.callback_data) > 64)) throw new BadRequest('Bad Request: BUTTON_DATA_INVALID');
      if (b.callback_data === undefined && b.url === undefined) throw new BadRequest('Bad Request: inline keyboard button has no action');
      return { text: b.text, data: b.callback_data };
    });
  });
}

async function readPayload(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  const payload: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (body.length) {
    if (type.includes('application/json')) Object.assign(payload, JSON.parse(body.toString('utf8')));
    else if (type.includes('application/x-www-form-urlencoded')) Object.assign(payload, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    else if (type.includes('multipart/form-data')) {
      const form = await new Response(body, { headers: { 'content-type': type } }).formData();
      for (const [key, value] of form.entries()) payload[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    }
  }
  for (const field of JSON_FIELDS) {
    if (typeof payload[field] === 'string') {
      try {
        payload[field] = JSON.parse(payload[field] as string);
      } catch {
        // left as text; the method's checks complain
      }
    }
  }
  return payload;
}
