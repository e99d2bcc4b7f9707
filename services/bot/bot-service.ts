/**
 * The Telegram shop bot as a managed service. It connects with the token (and the configured
 * Bot API root), receives updates by long polling — or on a webhook with a secret token when
 * telegram.webhookUrl is set — and turns them into calls on the ShopPort. It also implements
 * StorefrontEvents, so the host can tell customers and owners what happened (invoice progress,
 * deliveries, alerts, ticket replies) through the same rate-limited outbox.
 *
 * Without a token it is "not configured" and nothing else happens.
 */
import { randomBytes } from 'node:crypto';
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { InvoiceView } from '../contract.js';
import type { ManagedService, ServiceContext } from '../host/service-runner.js';
import type { Settings } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { botSettings, checkBotConfig, type BotSettings } from './bot-settings.js';
import { DEFAULT_LIMITS, say, type BotCore, type BotLimits } from './core.js';
import { FloodControl } from './flood.js';
import { catalogs, LANGUAGES } from './i18n/index.js';
import { Outbox } from './outbox.js';
import { PollingLoop } from './polling.js';
import { COMMAND_NAMES, route, updateUser } from './router.js';
import { Sessions } from './sessions.js';
import type { DeliveredItem, ShopPort, StorefrontEvents, Ticket } from './shop-port.js';
import { Storefront } from './storefront-events.js';
import { UpdateQueue } from './update-queue.js';
import { WebhookServer } from './webhook.js';

export interface BotDeps {
  shop: ShopPort;
  /** Overrides of the conversation limits (tests). */
  limits?: Partial<BotLimits>;
}

/** Update types the bot asks Telegram for. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'pre_checkout_query'];

interface Running {
  bot: Telegraf;
  core: BotCore;
  outbox: Outbox;
  queue: UpdateQueue;
  polling?: PollingLoop;
  webhook?: WebhookServer;
}

export class BotService implements ManagedService, StorefrontEvents {
  readonly id = 'bot';
  readonly name = 'Telegram shop bot';
  /** Overridable in tests; production waits 50 s per long poll as Telegram recommends. */
  pollTimeoutSeconds = 50;
  private running: Running | undefined;
  private readonly storefront = new Storefront(() => this.running?.core);

  constructor(private readonly deps: BotDeps) {}

  checkConfig(settings: Settings): string | null {
    return checkBotConfig(settings);
  }

  async start(ctx: ServiceContext): Promise<{ reason: string; detail: Record<string, string> }> {
    if (!this.deps?.shop) throw new Error('the bot has no shop to sell from (the composition root must pass { shop })');
    const s = botSettings(ctx.settings);
    const log = ctx.logger;
    // Loaded when the bot starts, not with the host: a host without a bot token (a proxy-only
    // shop, the benchmark) keeps telegraf's ~3 MB out of the heap every full GC has to mark.
    const { Telegraf } = await import('telegraf');
    const bot = new Telegraf(s.token, { telegram: { apiRoot: s.apiRoot, webhookReply: false }, handlerTimeout: 30_000 });

    let me;
    try {
      me = await bot.telegram.getMe();
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === 401 || code === 404) throw new Error('Telegram rejected the bot token (401 Unauthorized): check telegram.token with @BotFather', { cause: error });
      throw new Error(`cannot reach the Telegram Bot API at ${s.apiRoot}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
    bot.botInfo = me;

    const outbox = new Outbox({
      call: (method, payload) => bot.telegram.callApi(method as never, payload as never),
      onRetry: (info) => log.warn({ event: 'bot.rate_limited', ...info }, `Telegram asked to wait (${info.reason}): retrying ${info.method} in ${Math.round(info.waitMs / 1000)} s`),
    });
    const core: BotCore = {
      shop: this.deps.shop,
      out: outbox,
      log,
      sessions: new Sessions(),
      limits: { ...DEFAULT_LIMITS, ...this.deps.limits },
      ownerIds: s.ownerIds,
      botUsername: me.username,
      downloadFile: (fileId, maxBytes) => downloadFile(outbox, s, fileId, maxBytes),
    };
    const flood = new FloodControl({ limit: s.floodLimit, windowSeconds: s.floodWindowSeconds });
    bot.use((c) => route(core, flood, c.update));
    bot.catch(async (err, c) => {
      log.error({ event: 'bot.handler_error', updateId: c.update.update_id, err: errorText(err) }, 'bot handler failed');
      const user = updateUser(c.update);
      if (user && !('pre_checkout_query' in c.update)) await say(core, user.id, catalogs[core.shop.customer(user.id)?.language ?? 'en'].error).catch(() => undefined);
    });
    const queue = new UpdateQueue((update: Update) => bot.handleUpdate(update));
    const running: Running = { bot, core, outbox, queue };
    this.running = running;

    try {
      await this.registerCommands(core, log);
      if (s.webhookUrl) {
        const url = new URL(s.webhookUrl);
        const secretToken = s.webhookSecretToken || randomBytes(32).toString('base64url');
        running.webhook = new WebhookServer({
          host: s.webhookHost,
          port: s.webhookPort,
          path: url.pathname || '/',
          secretToken,
          onUpdate: (update) => queue.run(update).catch((e: unknown) => log.error({ event: 'bot.update_error', updateId: update.update_id, err: errorText(e) }, 'update failed')),
          onRejected: (why, remote) => log.warn({ event: 'bot.webhook_rejected', why, remote }, `webhook call refused: ${why}`),
        });
        const { port } = await running.webhook.start();
        await bot.telegram.callApi('setWebhook', { url: s.webhookUrl, secret_token: secretToken, allowed_updates: ALLOWED_UPDATES as never });
        log.info({ event: 'bot.webhook_set', port, path: url.pathname }, `webhook listening on ${s.webhookHost}:${port}${url.pathname}`);
        return {
          reason: `running as @${me.username} (webhook)`,
          detail: { username: `@${me.username}`, mode: 'webhook', webhook: s.webhookUrl, listen: `${s.webhookHost}:${port}` },
        };
      }
      // Long polling needs no webhook; a leftover one would make getUpdates fail with 409.
      await bot.telegram.deleteWebhook().catch(() => undefined);
      running.polling = new PollingLoop(
        bot,
        {
          degraded: ctx.degraded,
          recovered: (reason) => ctx.recovered(`running as @${me.username} (${reason})`),
          failed: ctx.failed,
          onUpdateError: (err, update) => log.error({ event: 'bot.update_error', updateId: update.update_id, err: errorText(err) }, 'update failed'),
        },
        { timeoutSeconds: this.pollTimeoutSeconds, allowedUpdates: ALLOWED_UPDATES, handle: (update) => queue.run(update) },
      );
      running.polling.start();
      return { reason: `running as @${me.username}`, detail: { username: `@${me.username}`, mode: 'long polling' } };
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    await running.polling?.stop();
    await running.webhook?.stop();
    // Let updates being handled finish (briefly), then drop what is still queued.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([running.queue.idle(), new Promise((r) => (timer = setTimeout(r, 5_000)))]);
    clearTimeout(timer);
    running.outbox.stop();
  }

  /** Whether the bot is connected and can send messages. */
  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The owner's refund of a Stars payment (from the desktop): Telegram returns the Stars. */
  async refundStars(telegramId: number, telegramPaymentChargeId: string): Promise<void> {
    const running = this.running;
    if (!running) throw new Error('the Telegram bot is not running: start it to refund Stars');
    await running.outbox.send('refundStarPayment', { user_id: telegramId, telegram_payment_charge_id: telegramPaymentChargeId }, 'urgent');
    running.core.log.info({ event: 'bot.stars_refunded', userId: telegramId, chargeId: telegramPaymentChargeId }, 'Stars payment refunded');
  }

  // --- StorefrontEvents ------------------------------------------------------------------------
  invoiceChanged(telegramId: number, invoice: InvoiceView): Promise<boolean> {
    return this.storefront.invoiceChanged(telegramId, invoice);
  }

  delivered(telegramId: number, item: DeliveredItem, newKey: string | null): Promise<boolean> {
    return this.storefront.delivered(telegramId, item, newKey);
  }

  ownerAlert(text: string): Promise<number> {
    return this.storefront.ownerAlert(text);
  }

  ticketReply(ticket: Ticket, text: string): Promise<boolean> {
    return this.storefront.ticketReply(ticket, text);
  }

  customerMessage(telegramId: number, text: string): Promise<boolean> {
    return this.storefront.customerMessage(telegramId, text);
  }

  /** The command menu in each language; owners also see theirs. Failures only cost the menu. */
  private async registerCommands(core: BotCore, log: Logger): Promise<void> {
    const customerCommands = (language: keyof typeof catalogs) =>
      Object.entries(catalogs[language].commands).map(([command, description]) => ({ command, description }));
    const calls: { payload: Record<string, unknown>; what: string }[] = LANGUAGES.map((language) => ({
      what: `commands (${language})`,
      payload: { commands: customerCommands(language), ...(language === 'en' ? {} : { language_code: language }) },
    }));
    for (const owner of core.ownerIds) {
      const language = core.shop.customer(owner)?.language ?? 'en';
      const ownerCommands = Object.entries(catalogs[language].ownerCommands).map(([command, description]) => ({ command, description }));
      calls.push({ what: `owner commands (${owner})`, payload: { commands: [...customerCommands(language), ...ownerCommands], scope: { type: 'chat', chat_id: owner } } });
    }
    for (const call of calls) {
      const unknown = (call.payload.commands as { command: string }[]).filter((c) => !COMMAND_NAMES.includes(c.command));
      if (unknown.length) log.warn({ event: 'bot.command_menu_mismatch', commands: unknown.map((c) => c.command) }, 'menu lists commands the bot does not handle');
      await core.out.send('setMyCommands', call.payload, 'urgent').catch((e: unknown) => log.warn({ event: 'bot.commands_not_set', what: call.what, err: errorText(e) }, `could not set the ${call.what} menu`));
    }
  }
}

/** getFile, then the file from the Bot API's file endpoint, at most maxBytes. */
async function downloadFile(outbox: Outbox, s: BotSettings, fileId: string, maxBytes: number): Promise<string> {
  const file = await outbox.send<{ file_path?: string; file_size?: number }>('getFile', { file_id: fileId }, 'urgent');
  if (!file.file_path) throw new Error('Telegram gave no file path');
  if ((file.file_size ?? 0) > maxBytes) throw new Error(`file larger than ${maxBytes} bytes`);
  const res = await fetch(`${s.apiRoot}/file/bot${s.token}/${file.file_path}`, { signal: AbortSignal.timeout(15_000) });
  if (!res.ok || !res.body) throw new Error(`file download failed (${res.status})`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.length;
    if (size > maxBytes) throw new Error(`file larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorText(error: unknown): string {
  const e = error as { description?: string; message?: string };
  return (e?.description ?? e?.message ?? String(error)).split('\n')[0]!.slice(0, 300);
}
