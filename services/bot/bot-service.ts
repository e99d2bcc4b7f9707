/**
 * The Telegram shop bot as a managed service: connects with the token (and the configured
 * Bot API root), reports itself running as @its_username, answers /start and /help.
 * Without a token it is "not configured" and nothing else happens.
 */
import { Telegraf } from 'telegraf';
import type { ManagedService, ServiceContext } from '../host/service-runner.js';
import type { Settings } from '../config/schema.js';
import { PollingLoop } from './polling.js';
import { helpText, welcomeText } from './texts.js';

export class BotService implements ManagedService {
  readonly id = 'bot';
  readonly name = 'Telegram shop bot';
  private polling: PollingLoop | undefined;
  /** Overridable in tests; production waits 50 s per long poll as Telegram recommends. */
  pollTimeoutSeconds = 50;

  checkConfig(settings: Settings): string | null {
    if (!settings['telegram.token']) return 'not configured: telegram.token is empty (get one from @BotFather, then `arbdesk config set telegram.token`)';
    if (settings['telegram.webhookUrl']) return 'not available yet: webhook mode (telegram.webhookUrl) arrives with the storefront; clear it to use long polling';
    return null;
  }

  async start(ctx: ServiceContext) {
    const s = ctx.settings;
    const owners = new Set(s['telegram.ownerIds']);
    const bot = new Telegraf(s['telegram.token'], {
      telegram: { apiRoot: s['telegram.apiRoot'].replace(/\/+$/, '') },
      handlerTimeout: 30_000,
    });
    bot.start(async (c) => {
      ctx.logger.info({ event: 'bot.command', command: 'start', userId: c.from.id }, '/start');
      await c.reply(welcomeText(c.from.first_name));
    });
    bot.help(async (c) => {
      ctx.logger.info({ event: 'bot.command', command: 'help', userId: c.from.id }, '/help');
      await c.reply(helpText(owners.has(c.from.id)));
    });
    bot.catch((err, c) => {
      ctx.logger.error({ event: 'bot.handler_error', updateId: c.update.update_id, err: String(err) }, 'bot handler failed');
    });

    let me;
    try {
      me = await bot.telegram.getMe();
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === 401 || code === 404) throw new Error('Telegram rejected the bot token (401 Unauthorized): check telegram.token with @BotFather', { cause: error });
      throw new Error(`cannot reach the Telegram Bot API at ${s['telegram.apiRoot']}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
    bot.botInfo = me;
    // Long polling needs no webhook; a leftover one would make getUpdates fail with 409.
    await bot.telegram.deleteWebhook().catch(() => undefined);

    this.polling = new PollingLoop(bot, {
      degraded: ctx.degraded,
      recovered: (reason) => ctx.recovered(`running as @${me.username} (${reason})`),
      failed: ctx.failed,
      onUpdateError: (err, update) =>
        ctx.logger.error({ event: 'bot.update_error', updateId: update.update_id, err: String(err) }, 'update failed'),
    }, this.pollTimeoutSeconds);
    this.polling.start();
    return { reason: `running as @${me.username}`, detail: { username: `@${me.username}`, mode: 'long polling' } };
  }

  async stop(): Promise<void> {
    const polling = this.polling;
    this.polling = undefined;
    await polling?.stop();
  }
}
