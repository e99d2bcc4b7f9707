/**
 * The Telegram Bot API stand-in for tests: `telegram-test-api` (a real HTTP server speaking the
 * Bot API wire format for bots, plus a client API to play the customer), extended here with
 * what the shop bot needs and the package lacks: sendPhoto, sendInvoice, answerPreCheckoutQuery,
 * refundStarPayment, getFile and file downloads, setMyCommands, setWebhook with a secret token,
 * Telegram's checks on HTML messages and button data, injected `pre_checkout_query` and
 * `successful_payment` updates, and injected failures (429 retry_after, 403 blocked).
 * Runs on 127.0.0.1.
 *
 * Run it on its own for manual checks:  npx tsx tests/fakes/telegram-bot-api.ts [port]
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { FakeTelegramClient, type TelegramClientLike } from './telegram-client.js';
import { TelegramMethods, type ApiCall, type InjectedFailure, type SentMessage, type StandInState } from './telegram-methods.js';

export type { ApiCall, SentMessage, TelegramClientLike };
export { FakeTelegramClient };

const require = createRequire(import.meta.url);

interface TelegramServerClass {
  new (config: object): TelegramServerLike;
  formatUpdate(update: StoredUpdate): unknown;
}
const TelegramServer = require('telegram-test-api') as TelegramServerClass;

export interface ClientOptions {
  userId?: number;
  firstName?: string;
  username?: string;
  languageCode?: string;
}

export interface FakeTelegram {
  apiRoot: string;
  port: number;
  /** A customer talking to the bot with this token (user 4242 "Alice" unless told otherwise). */
  client(token: string, options?: ClientOptions): FakeTelegramClient;
  /** Every Bot API call the bot made, in order (optionally one method). */
  calls(token: string, method?: string): ApiCall[];
  /** Messages the bot sent (sendMessage, sendPhoto, sendInvoice), optionally to one chat. */
  sent(token: string, chatId?: number): SentMessage[];
  /** The next matching call of `method` fails with this Telegram error (`times` times). */
  failNext(method: string, failure: InjectedFailure['error'], options?: { times?: number; chatId?: number }): void;
  /** This user blocked the bot: messages to them answer 403. */
  block(chatId: number): void;
  /** Webhook deliveries the stand-in made (status of each POST to the bot). */
  webhookDeliveries(): { status: number }[];
  stop(): Promise<void>;
}

/** The parts of telegram-test-api's TelegramServer this file uses. */
export interface TelegramServerLike {
  start(): Promise<void>;
  stop(): Promise<boolean | void>;
  getClient(token: string, options?: Record<string, unknown>): TelegramClientLike;
  webServer: RequestListener;
  config: { apiURL: string };
  storage: { userMessages: StoredUpdate[]; botMessages: unknown[] };
  webhooks: Record<string, { url: string; secret_token?: string }>;
  updateId: number;
  messageId: number;
  addBotMessage(message: Record<string, unknown>, token: string): Record<string, unknown>;
  getCommonFields(token: string): StoredUpdate;
  addUserUpdate(update: StoredUpdate): Promise<void>;
  getUpdates(token: string): unknown[];
}

export interface StoredUpdate {
  botToken: string;
  updateId: number;
  messageId: number;
  time: number;
  isRead: boolean;
  /** A whole update as Telegram sends it (without update_id): payments, documents. */
  raw?: Record<string, unknown>;
  [k: string]: unknown;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startFakeTelegram(port?: number): Promise<FakeTelegram> {
  const chosen = port ?? (await freePort());
  const server = new TelegramServer({ port: chosen, host: '127.0.0.1', storage: 'RAM', storeTimeout: 600 });
  const state: StandInState = { calls: [], sent: [], failures: [], blocked: new Set(), files: new Map(), queries: new Map(), charges: new Map(), webhookDeliveries: [] };
  const methods = new TelegramMethods(server, state);

  // Our methods take precedence over the package's routes (and its catch-all "unknown method").
  const original = server.webServer;
  const ours = (req: IncomingMessage, res: ServerResponse) => {
    void methods.serve(req, res).then((handled) => {
      if (!handled) original(req, res);
    });
  };
  // start() reads the express app's settings for a debug line.
  server.webServer = Object.assign(ours, { settings: (original as unknown as { settings: unknown }).settings });
  patchUpdates(server, state);
  await server.start();
  return {
    apiRoot: `http://127.0.0.1:${chosen}`,
    port: chosen,
    client: (token, options = {}) => new FakeTelegramClient(server, state, token, options),
    calls: (token, method) => state.calls.filter((c) => c.token === token && (!method || c.method === method)),
    sent: (token, chatId) => state.sent.filter((m) => m.token === token && (chatId === undefined || m.chatId === chatId)),
    failNext: (method, error, options = {}) => state.failures.push({ method, error, times: options.times ?? 1, chatId: options.chatId }),
    block: (chatId) => void state.blocked.add(chatId),
    webhookDeliveries: () => [...state.webhookDeliveries],
    stop: async () => {
      await server.stop();
    },
  };
}

/**
 * Raw updates (pre_checkout_query, successful_payment, documents) next to the package's own,
 * and webhook calls that carry the secret token, as Telegram sends them.
 */
function patchUpdates(server: TelegramServerLike, state: StandInState): void {
  const format = (u: StoredUpdate) => (u.raw ? { update_id: u.updateId, ...u.raw } : TelegramServer.formatUpdate(u));
  server.getUpdates = (token: string) =>
    server.storage.userMessages
      .filter((u) => u.botToken === token && !u.isRead)
      .map((u) => {
        u.isRead = true;
        return format(u);
      });
  server.addUserUpdate = async (update: StoredUpdate) => {
    const webhook = server.webhooks[update.botToken];
    server.updateId++;
    if (!webhook) {
      server.storage.userMessages.push(update);
      return;
    }
    try {
      const res = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(webhook.secret_token ? { 'x-telegram-bot-api-secret-token': webhook.secret_token } : {}) },
        body: JSON.stringify(format(update)),
      });
      await res.arrayBuffer();
      state.webhookDeliveries.push({ status: res.status });
    } catch {
      state.webhookDeliveries.push({ status: 0 });
    }
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const port = Number(process.argv[2] ?? 9000);
  startFakeTelegram(port).then((t) => console.log(`Telegram Bot API stand-in on ${t.apiRoot} (any token; @TestNameBot)`));
}
