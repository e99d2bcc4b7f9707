/**
 * The bot's view of the settings. telegram.webhookHost/webhookPort and the flood limits are
 * read when the schema has them and fall back to the defaults below otherwise.
 */
import type { Settings } from '../config/schema.js';

export interface BotSettings {
  token: string;
  apiRoot: string;
  ownerIds: number[];
  webhookUrl: string;
  webhookSecretToken: string;
  webhookHost: string;
  webhookPort: number;
  floodLimit: number;
  floodWindowSeconds: number;
}

export const BOT_SETTING_DEFAULTS = {
  'telegram.webhookHost': '127.0.0.1',
  'telegram.webhookPort': 8788,
  'telegram.floodLimit': 20,
  'telegram.floodWindowSeconds': 10,
} as const;

export function botSettings(s: Settings): BotSettings {
  const loose = s as unknown as Record<string, unknown>;
  const num = (key: keyof typeof BOT_SETTING_DEFAULTS & string, fallback: number) => (typeof loose[key] === 'number' && Number.isFinite(loose[key]) ? (loose[key] as number) : fallback);
  const str = (key: string, fallback: string) => (typeof loose[key] === 'string' && loose[key] !== '' ? (loose[key] as string) : fallback);
  return {
    token: s['telegram.token'],
    apiRoot: s['telegram.apiRoot'].replace(/\/+$/, ''),
    ownerIds: [...s['telegram.ownerIds']],
    webhookUrl: s['telegram.webhookUrl'],
    webhookSecretToken: s['telegram.webhookSecretToken'],
    webhookHost: str('telegram.webhookHost', BOT_SETTING_DEFAULTS['telegram.webhookHost']),
    webhookPort: num('telegram.webhookPort', BOT_SETTING_DEFAULTS['telegram.webhookPort']),
    floodLimit: Math.max(1, num('telegram.floodLimit', BOT_SETTING_DEFAULTS['telegram.floodLimit'])),
    floodWindowSeconds: Math.max(1, num('telegram.floodWindowSeconds', BOT_SETTING_DEFAULTS['telegram.floodWindowSeconds'])),
  };
}

/** Why the bot cannot run with these settings, or null. Used by the service and `arbdesk doctor`. */
export function checkBotConfig(settings: Settings): string | null {
  const s = botSettings(settings);
  if (!s.token) return 'not configured: telegram.token is empty (get one from @BotFather, then `arbdesk config set telegram.token`)';
  if (s.webhookUrl && !/^https:\/\//i.test(s.webhookUrl) && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(s.webhookUrl)) {
    return 'not configured: telegram.webhookUrl must be an https:// URL (Telegram only calls webhooks over HTTPS); clear it to use long polling';
  }
  return null;
}
