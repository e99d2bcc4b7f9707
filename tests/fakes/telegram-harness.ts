/**
 * The shop bot on its own, for the bot's integration tests: BotService started as the services
 * host would start it (a ServiceContext with settings and a logger), against the Bot API
 * stand-in and the in-memory FakeShop. The shop's deliveries are forwarded to the bot's
 * StorefrontEvents, as the host does.
 */
import pino from 'pino';
import { BotService } from '../../services/bot/bot-service.js';
import type { BotLimits } from '../../services/bot/core.js';
import { defaultSettings, type Settings } from '../../services/config/schema.js';
import type { ServiceContext } from '../../services/host/service-runner.js';
import { startFakeTelegram, type FakeTelegram } from './telegram-bot-api.js';
import type { FakeTelegramClient } from './telegram-client.js';
import { FakeShop, type FakeShopOptions } from './telegram-shop.js';

export const BOT_TOKEN = '123456:TEST-token-for-the-shop-bot';
export const OWNER_ID = 9001;

export interface BotHarness {
  telegram: FakeTelegram;
  shop: FakeShop;
  bot: BotService;
  logs: Record<string, unknown>[];
  statuses: { state: string; reason: string }[];
  started: { reason: string; detail: Record<string, string> };
  customer(userId?: number, options?: { firstName?: string; languageCode?: string }): FakeTelegramClient;
  owner(): FakeTelegramClient;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  shop?: FakeShopOptions;
  settings?: Partial<Record<string, unknown>>;
  limits?: Partial<BotLimits>;
  /** Forward the shop's deliveries to StorefrontEvents.delivered (default true). */
  autoDeliver?: boolean;
}

export async function startBotHarness(options: HarnessOptions = {}): Promise<BotHarness> {
  const telegram = await startFakeTelegram();
  const shop = new FakeShop({ ownerIds: [OWNER_ID], ...options.shop });
  const bot = new BotService({ shop, ...(options.limits ? { limits: options.limits } : {}) });
  bot.pollTimeoutSeconds = 0;
  const logs: Record<string, unknown>[] = [];
  const statuses: { state: string; reason: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const settings = {
    ...defaultSettings(),
    'telegram.token': BOT_TOKEN,
    'telegram.apiRoot': telegram.apiRoot,
    'telegram.ownerIds': [OWNER_ID],
    ...options.settings,
  } as Settings;
  const ctx: ServiceContext = {
    settings,
    logger,
    degraded: (reason) => statuses.push({ state: 'degraded', reason }),
    recovered: (reason) => statuses.push({ state: 'running', reason }),
    failed: (error) => statuses.push({ state: 'failed', reason: String(error) }),
    setDetail: () => undefined,
  };
  if (options.autoDeliver !== false) shop.onDelivered = (d) => void bot.delivered(d.telegramId, d.item, d.newKey);
  const started = await bot.start(ctx);
  return {
    telegram,
    shop,
    bot,
    logs,
    statuses,
    started,
    customer: (userId = 4242, o = {}) => telegram.client(BOT_TOKEN, { userId, firstName: o.firstName ?? 'Alice', ...(o.languageCode ? { languageCode: o.languageCode } : {}) }),
    owner: () => telegram.client(BOT_TOKEN, { userId: OWNER_ID, firstName: 'Owner' }),
    stop: async () => {
      await bot.stop();
      await telegram.stop().catch(() => undefined);
    },
  };
}

/** A customer who has started the bot, accepted the terms and picked English (returns the menu). */
export { onboard } from './telegram-client.js';
