/**
 * The Telegram Bot API stand-in for tests: `telegram-test-api` (a real HTTP server speaking the
 * Bot API wire format for bots, plus a client API to play the customer). Runs on 127.0.0.1.
 *
 * Run it on its own for manual checks:  npx tsx tests/fakes/telegram-bot-api.ts [port]
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

const require = createRequire(import.meta.url);

export interface TelegramClientLike {
  makeCommand(text: string): unknown;
  makeMessage(text: string): unknown;
  sendCommand(message: unknown): Promise<{ ok: boolean }>;
  sendMessage(message: unknown): Promise<{ ok: boolean }>;
  getUpdates(): Promise<{ ok: boolean; result: { message: { text: string; chat_id?: number } }[] }>;
}

export interface FakeTelegram {
  apiRoot: string;
  port: number;
  client(token: string): TelegramClientLike;
  stop(): Promise<void>;
}

interface TelegramServerLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  getClient(token: string, options?: { timeout?: number; userId?: number; firstName?: string }): TelegramClientLike;
  config: { apiURL: string };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startFakeTelegram(port?: number): Promise<FakeTelegram> {
  const TelegramServer = require('telegram-test-api') as new (config: object) => TelegramServerLike;
  const chosen = port ?? (await freePort());
  const server = new TelegramServer({ port: chosen, host: '127.0.0.1', storage: 'RAM', storeTimeout: 60 });
  await server.start();
  return {
    apiRoot: `http://127.0.0.1:${chosen}`,
    port: chosen,
    client: (token) => server.getClient(token, { timeout: 10_000, userId: 4242, firstName: 'Alice' }),
    stop: () => server.stop(),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const port = Number(process.argv[2] ?? 9000);
  startFakeTelegram(port).then((t) => console.log(`Telegram Bot API stand-in on ${t.apiRoot} (any token; @TestNameBot)`));
}
