/**
 * Every owner setting, in one flat table keyed by its dotted path (`proxy.publicUrl`).
 *
 * Each entry says its type, default, whether it is a secret (secrets never go to config.json,
 * never appear in logs, events or the UI after entry), which service must restart when it
 * changes, and the names people already use for it (the seeds' env vars such as
 * OPENROUTER_API_KEY). The ARBDESK_ env name is derived from the path
 * (`proxy.publicUrl` → `ARBDESK_PROXY_PUBLIC_URL`); see envNameFor().
 *
 * Later capabilities add their settings here so that `arbdesk config`, the Settings screen,
 * the README table and `arbdesk doctor` all pick them up from one place.
 */
import { z } from 'zod';

export type SettingType = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]';

export interface SettingDef<T> {
  type: SettingType;
  schema: z.ZodType<T>;
  default: T;
  description: string;
  secret?: boolean;
  /** Extra environment variable names, lowest priority first (after the ARBDESK_ name). */
  aliases?: string[];
  /** Command-line flag of `arbdesk serve`, e.g. `--proxy-port`. */
  flag?: string;
  /** Service id restarted when this setting changes. */
  service?: string;
}

const port = z.number().int('must be a whole number').min(0).max(65535, 'must be a port from 0 to 65535');
const host = z.string().min(1, 'must not be empty').max(255);
const httpUrl = z
  .string()
  .max(2048)
  .refine((v) => v === '' || /^https?:\/\/[^\s]+$/i.test(v), 'must be an http:// or https:// URL (or empty)');
const requiredHttpUrl = z.string().max(2048).regex(/^https?:\/\/[^\s]+$/i, 'must be an http:// or https:// URL');
const decimalUsd = z.string().regex(/^\d{1,9}(\.\d{1,6})?$/, 'must be a decimal amount in USD such as 0.10');
const percent = z.number().min(0, 'must be 0 or more').max(1000, 'must be at most 1000');

function def<T>(d: SettingDef<T>): SettingDef<T> {
  return d;
}

export const settingDefs = {
  // --- proxy -------------------------------------------------------------------------------
  'proxy.port': def({
    type: 'number',
    schema: port,
    default: 8787,
    flag: '--proxy-port',
    service: 'proxy',
    description: 'Port of the OpenAI-compatible reselling proxy (the only port meant to face customers). 0 picks a free port.',
  }),
  'proxy.host': def({
    type: 'string',
    schema: host,
    default: '127.0.0.1',
    flag: '--proxy-host',
    service: 'proxy',
    description: 'Address the proxy binds to. Keep 127.0.0.1 behind a tunnel or reverse proxy; 0.0.0.0 exposes it on every interface.',
  }),
  'proxy.publicUrl': def({
    type: 'string',
    schema: httpUrl,
    default: '',
    service: 'bot',
    description: 'Public base URL customers use to reach the proxy (e.g. https://ai.example.com/ai-proxy). Shown in key delivery messages.',
  }),
  'proxy.trustedProxies': def({
    type: 'string[]',
    schema: z.array(z.string().min(1).max(64)).max(50),
    default: [],
    service: 'proxy',
    description: 'Addresses of tunnels or reverse proxies whose X-Forwarded-For header is believed. Comma-separated in env vars.',
  }),
  'proxy.defaultMaxTokens': def({
    type: 'number',
    schema: z.number().int().min(1).max(1_000_000),
    default: 4096,
    service: 'proxy',
    description: 'Completion budget used when a request sets no max_tokens (also the most it reserves for). Requests asking more are clamped to the model\'s own limit.',
  }),
  'proxy.maxBodyMb': def({
    type: 'number',
    schema: z.number().min(0.01).max(100),
    default: 4,
    service: 'proxy',
    description: 'Largest request body the proxy accepts (MB); larger ones get 413.',
  }),
  'proxy.refusedRetentionDays': def({
    type: 'number',
    schema: z.number().int('must be a whole number of days').min(0).max(3650),
    default: 30,
    service: 'proxy',
    description: 'Days refused requests (402, 429, bad bodies …) are kept in the usage records; 0 keeps them all. Served requests are never deleted.',
  }),
  // --- control server (headless dashboard and CLI) -------------------------------------------
  'control.port': def({
    type: 'number',
    schema: port,
    default: 8790,
    flag: '--control-port',
    description: 'Port of the owner control server (dashboard in the browser, CLI). 0 picks a free port.',
  }),
  'control.host': def({
    type: 'string',
    schema: host,
    default: '127.0.0.1',
    flag: '--host',
    description: 'Address the control server binds to. It always requires the owner token; keep it on 127.0.0.1 unless you know why not.',
  }),
  // --- telegram -------------------------------------------------------------------------------
  'telegram.token': def({
    type: 'string',
    schema: z.string().max(256).regex(/^(\d+:[A-Za-z0-9_-]+)?$/, 'must look like 123456:ABC-DEF… (from @BotFather)'),
    default: '',
    secret: true,
    aliases: ['TOKEN', 'TELEGRAM_BOT_TOKEN'],
    service: 'bot',
    description: 'Bot token from @BotFather. Without it the shop bot is "not configured".',
  }),
  'telegram.apiRoot': def({
    type: 'string',
    schema: requiredHttpUrl,
    default: 'https://api.telegram.org',
    aliases: ['TELEGRAM_API_ROOT'],
    service: 'bot',
    description: 'Bot API server root: Telegram\'s by default, or a self-hosted Bot API server (and the test stand-in).',
  }),
  'telegram.ownerIds': def({
    type: 'number[]',
    schema: z.array(z.number().int().positive('must be positive Telegram user ids')).max(20),
    default: [],
    aliases: ['ADMIN_ID_LIST'],
    service: 'bot',
    description: 'Telegram user ids of the owner(s), who may use owner commands. Comma-separated in env vars.',
  }),
  'telegram.webhookUrl': def({
    type: 'string',
    schema: httpUrl,
    default: '',
    service: 'bot',
    description: 'Public HTTPS URL for webhook mode. Empty means long polling (the default).',
  }),
  'telegram.webhookSecretToken': def({
    type: 'string',
    schema: z.string().max(256).regex(/^[A-Za-z0-9_-]*$/, 'may contain only A-Z, a-z, 0-9, _ and -'),
    default: '',
    secret: true,
    aliases: ['WEBHOOK_SECRET_TOKEN'],
    service: 'bot',
    description: 'Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token with each webhook call.',
  }),
  'telegram.webhookHost': def({
    type: 'string',
    schema: host,
    default: '127.0.0.1',
    service: 'bot',
    description: 'Address the webhook listener binds to (behind your HTTPS reverse proxy or tunnel).',
  }),
  'telegram.webhookPort': def({
    type: 'number',
    schema: port,
    default: 8788,
    service: 'bot',
    description: 'Port of the webhook listener (webhook mode only).',
  }),
  'telegram.floodLimit': def({
    type: 'number',
    schema: z.number().int().min(1).max(1000),
    default: 20,
    service: 'bot',
    description: 'Updates one Telegram user may send per telegram.floodWindowSeconds before the bot asks them to slow down.',
  }),
  'telegram.floodWindowSeconds': def({
    type: 'number',
    schema: z.number().int().min(1).max(3600),
    default: 10,
    service: 'bot',
    description: 'The window of the per-user flood control.',
  }),
  // --- upstream -------------------------------------------------------------------------------
  'upstream.baseUrl': def({
    type: 'string',
    schema: requiredHttpUrl,
    default: 'https://openrouter.ai/api/v1',
    aliases: ['OPENROUTER_BASE_URL'],
    service: 'proxy',
    description: 'OpenAI-compatible upstream base URL (OpenRouter by default).',
  }),
  'upstream.apiKey': def({
    type: 'string',
    schema: z.string().max(512),
    default: '',
    secret: true,
    aliases: ['OPENROUTER_API_KEY'],
    service: 'proxy',
    description: 'Upstream API key (sk-or-v1-… for OpenRouter).',
  }),
  'upstream.catalogRefreshMinutes': def({
    type: 'number',
    schema: z.number().int().min(1).max(1440),
    default: 10,
    service: 'proxy',
    description: 'How often the upstream model list and prices are refreshed (±10 % jitter).',
  }),
  'upstream.lowCreditUsd': def({
    type: 'string',
    schema: decimalUsd,
    default: '10.00',
    service: 'proxy',
    description: 'Alert when the upstream credit left falls below this (USD); 0 disables.',
  }),
  'upstream.creditCheckMinutes': def({
    type: 'number',
    schema: z.number().int().min(1).max(1440),
    default: 5,
    service: 'proxy',
    description: 'How often the upstream credit left is read.',
  }),
  'upstream.appUrl': def({
    type: 'string',
    schema: httpUrl,
    default: '',
    service: 'proxy',
    description: "Sent as OpenRouter's HTTP-Referer header (app attribution); empty sends none.",
  }),
  'upstream.appTitle': def({
    type: 'string',
    schema: z.string().max(100),
    default: 'ArbDesk',
    service: 'proxy',
    description: "Sent as OpenRouter's X-Title header (app attribution).",
  }),
  'upstream.timeoutSeconds': def({
    type: 'number',
    schema: z.number().int().min(1).max(600),
    default: 120,
    service: 'proxy',
    description: 'How long to wait for the upstream to start answering, and the longest silence mid-answer, before a 504.',
  }),
  // --- pricing ---------------------------------------------------------------------------------
  'pricing.markupPercent': def({
    type: 'number',
    schema: percent,
    default: 25,
    aliases: ['TOKEN_MARKUP_PERCENTAGE'],
    description: 'Markup over the upstream price, in percent (25 → customer pays 1.25× cost).',
  }),
  'pricing.minProfitUsd': def({
    type: 'string',
    schema: decimalUsd,
    default: '0.10',
    aliases: ['MIN_PROFIT_MARGIN'],
    description: 'Minimum profit per package sale, in USD (decimal string, e.g. 0.10).',
  }),
  'pricing.bulkDiscountThresholdTokens': def({
    type: 'number',
    schema: z.number().int().min(0),
    default: 1_000_000,
    aliases: ['BULK_DISCOUNT_THRESHOLD'],
    description: 'Packages of at least this many tokens get the bulk discount.',
  }),
  'pricing.bulkDiscountPercent': def({
    type: 'number',
    schema: z.number().min(0).max(100),
    default: 5,
    aliases: ['BULK_DISCOUNT_PERCENTAGE'],
    description: 'Bulk discount in percent.',
  }),
  // --- payments ----------------------------------------------------------------------------------
  'payments.stars.enabled': def({
    type: 'boolean',
    schema: z.boolean(),
    default: true,
    service: 'bot',
    description: 'Offer Telegram Stars (XTR). Telegram requires digital goods sold by bots to be payable in Stars.',
  }),
  'payments.stars.usdPerStar': def({
    type: 'string',
    schema: z.string().regex(/^\d{1,3}(\.\d{1,6})?$/, 'must be a decimal USD amount per Star such as 0.013').refine((v) => Number(v) > 0, 'must be more than 0'),
    default: '0.013',
    description: 'What one Star is worth to you in USD: prices in Stars are the USD price divided by this, rounded up; Stars payments are booked at this value.',
  }),
  'payments.btc.xpub': def({
    type: 'string',
    schema: z.string().max(200).regex(/^([xyzuvt]pub[1-9A-HJ-NP-Za-km-z]{100,112})?$/, 'must be an account extended PUBLIC key (zpub…/xpub…/vpub…/tpub…); never a private key'),
    default: '',
    secret: true,
    service: 'payments',
    description: 'Your Bitcoin account extended public key (BIP84 zpub, or xpub). Each invoice gets a new address derived from it; ArbDesk never holds a private key. Kept like a secret: it cannot spend, but it reveals your whole history. Empty disables BTC.',
  }),
  'payments.btc.network': def({
    type: 'string',
    schema: z.enum(['auto', 'mainnet', 'testnet', 'regtest']),
    default: 'auto',
    service: 'payments',
    description: 'Bitcoin network of the addresses: auto (from the key: zpub/xpub mainnet, vpub/tpub testnet), or regtest for a local test chain.',
  }),
  'payments.btc.esploraUrl': def({
    type: 'string',
    schema: httpUrl,
    default: '',
    service: 'payments',
    description: 'Esplora-compatible API used to watch BTC payments, e.g. https://blockstream.info/api or your own. Empty disables BTC.',
  }),
  'payments.eth.xpub': def({
    type: 'string',
    schema: z.string().max(200).regex(/^(xpub[1-9A-HJ-NP-Za-km-z]{100,112})?$/, 'must be the account xpub (m/44\'/60\'/0\'); never a private key'),
    default: '',
    secret: true,
    service: 'payments',
    description: "Your Ethereum account extended public key (m/44'/60'/0'); invoice addresses are its children 0/i. Kept like a secret (it reveals your history). Empty disables ETH and tokens.",
  }),
  'payments.eth.rpcUrl': def({
    type: 'string',
    schema: httpUrl,
    default: '',
    service: 'payments',
    description: 'Ethereum JSON-RPC URL used to watch ETH and ERC-20 payments (your node or a provider). Empty disables ETH and tokens.',
  }),
  'payments.eth.chainId': def({
    type: 'number',
    schema: z.number().int().positive(),
    default: 1,
    service: 'payments',
    description: 'EVM chain id (1 = Ethereum mainnet); shown in payment links (EIP-681).',
  }),
  'payments.eth.tokens': def({
    type: 'string[]',
    schema: z.array(z.string().regex(/^[A-Za-z0-9]{1,12}:0x[0-9a-fA-F]{40}:\d{1,2}$/, 'each token must be SYMBOL:contract:decimals, e.g. USDT:0xdAC17F958D2ee523a2206206994597C13D831ec7:6')).max(20),
    default: [],
    service: 'payments',
    description: 'ERC-20 tokens accepted, as SYMBOL:contract:decimals (comma-separated in env vars), e.g. USDC:0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48:6.',
  }),
  'payments.rates': def({
    type: 'string',
    schema: z.string().min(1).max(500),
    default: 'coingecko',
    description: 'Where crypto prices come from: coingecko, ccxt:<exchange> (e.g. ccxt:binance), or fixed rates such as BTC=60000,ETH=3000 (USDT and USDC default to 1).',
  }),
  'payments.confirmations': def({
    type: 'string',
    schema: z.string().regex(/^(btc|eth)=\d{1,3}(,(btc|eth)=\d{1,3})*$/, 'must look like btc=2,eth=12'),
    default: 'btc=2,eth=12',
    service: 'payments',
    description: 'Confirmations before a payment counts, per chain.',
  }),
  'payments.invoiceTtlMinutes': def({
    type: 'number',
    schema: z.number().int().min(5).max(10_080),
    default: 60,
    description: 'How long an invoice (and its locked rate) stays payable.',
  }),
  'payments.underpayTolerancePercent': def({
    type: 'number',
    schema: z.number().min(0).max(20),
    default: 1,
    description: 'An invoice paid short by at most this much still settles (the difference is yours to absorb).',
  }),
  'payments.pollSeconds': def({
    type: 'number',
    schema: z.number().int().min(1).max(3600),
    default: 30,
    service: 'payments',
    description: 'How often the chain watchers look for payments.',
  }),
  'payments.coingeckoApiKey': def({
    type: 'string',
    schema: z.string().max(200),
    default: '',
    secret: true,
    description: 'CoinGecko API key, if your plan needs one (sent as x-cg-demo-api-key / x-cg-pro-api-key).',
  }),
  'payments.coingeckoUrl': def({
    type: 'string',
    schema: requiredHttpUrl,
    default: 'https://api.coingecko.com/api/v3',
    description: 'CoinGecko API base URL (for payments.rates = coingecko).',
  }),
  // --- notifications ---------------------------------------------------------------------------
  'notifications.enabled': def({
    type: 'boolean',
    schema: z.boolean(),
    default: true,
    description:
      'Tell the owner once about each sale, new support ticket, low upstream credit and service going down: desktop notifications in the app, pop-ups in the browser dashboard.',
  }),
  // --- logging ---------------------------------------------------------------------------------
  'log.level': def({
    type: 'string',
    schema: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
    default: 'info',
    flag: '--log-level',
    description: 'Lowest level written to the log file and stdout: trace, debug, info, warn, error or fatal.',
  }),
  'log.maxFileMb': def({
    type: 'number',
    schema: z.number().int().min(1).max(1024),
    default: 10,
    description: 'The log file rotates when it reaches this size (MB).',
  }),
  'log.maxFiles': def({
    type: 'number',
    schema: z.number().int().min(1).max(100),
    default: 5,
    description: 'How many rotated log files are kept.',
  }),
} as const;

export type SettingKey = keyof typeof settingDefs;
export type Settings = { [K in SettingKey]: (typeof settingDefs)[K]['default'] extends infer D ? Widen<D> : never };
type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T extends readonly (infer U)[] ? Widen<U>[] : T;

export const SETTING_KEYS = Object.keys(settingDefs) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(settingDefs, key);
}

export function getDef(key: SettingKey): SettingDef<unknown> {
  return settingDefs[key] as SettingDef<unknown>;
}

/** `proxy.publicUrl` → `ARBDESK_PROXY_PUBLIC_URL`. */
export function envNameFor(key: string): string {
  return (
    'ARBDESK_' +
    key
      .split('.')
      .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2'))
      .join('_')
      .toUpperCase()
  );
}

/** All env names for a key, highest priority first. */
export function envNamesFor(key: SettingKey): string[] {
  const aliases = getDef(key).aliases ?? [];
  return [envNameFor(key), ...[...aliases].reverse()];
}

export function defaultSettings(): Settings {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) out[key] = structuredClone(getDef(key).default);
  return out as Settings;
}

/** Closest known key, for "did you mean" hints. */
export function suggestKey(unknown: string): string | undefined {
  return nearest(unknown, SETTING_KEYS, Math.max(3, Math.floor(unknown.length / 3)));
}

/** The candidate closest to `unknown` (case-insensitive edit distance), if within `maxDistance`. */
export function nearest(unknown: string, candidates: readonly string[], maxDistance: number): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of candidates) {
    const d = levenshtein(unknown.toLowerCase(), key.toLowerCase());
    if (!best || d < best.distance) best = { key, distance: d };
  }
  return best && best.distance <= maxDistance ? best.key : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
