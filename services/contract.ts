/**
 * The one contract between the owner's UI and the services host.
 *
 * Everything the renderer may ask for is a *command* listed in `commands` (request → response),
 * and everything it may hear is an *event* listed in `events`. This file is the allowlist:
 * the Electron preload exposes only these names, and both the IPC dispatcher (electron/main)
 * and the control server (services/control) refuse anything else and validate every input
 * with the zod schema below before a handler sees it.
 *
 * Failures cross the boundary as data (`{ ok: false, error: { code, message } }`), never as
 * thrown stack traces, so the UI can show the message as it is and nothing internal leaks.
 *
 * Actions that move money get their own named commands (added by later capabilities), never
 * a generic "execute" command, so that each can be audited and confirmed on its own.
 *
 * This module is imported at runtime by services/ and electron/ (preload, main); the renderer
 * imports *types only* (lint enforces it), so keep it free of Node built-ins.
 */
import { z } from 'zod';
import { priceOverrideInputSchema } from './pricing/customer-price.js';
import { pnlInputSchema } from './reports/range.js';
import type {
  AllowanceView,
  AttentionCounts,
  CustomerView,
  InvoiceView,
  KeyView,
  LedgerTxView,
  ModelPriceView,
  ModelUsage,
  RefusedUsage,
  OrderView,
  OwnerAlert,
  PackagePricePreview,
  NotForSaleView,
  PackageView,
  PaymentView,
  ProxyRequestEvent,
  OverviewView,
  PnlReport,
  ProxyStats,
  RequestView,
  SetupCheckResult,
  TicketView,
} from './contract-views.js';
import { SETUP_ITEMS } from './contract-views.js';
import { describeZodError } from './contract-errors.js';

export type * from './contract-views.js';
export { describeZodError };

// ---------------------------------------------------------------------------------------------
// Shared shapes

export const SERVICE_STATES = ['off', 'starting', 'running', 'degraded', 'failed'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export const ServiceStatusSchema = z.object({
  /** Stable id, e.g. `proxy`, `bot`. */
  id: z.string(),
  /** Human name shown in the UI, e.g. "Reselling proxy". */
  name: z.string(),
  state: z.enum(SERVICE_STATES),
  /** Why it is in this state, in words the owner understands ("not configured: telegram.token is empty"). */
  reason: z.string(),
  /** ISO time of the last state change. */
  since: z.string(),
  /** How many times the supervisor restarted it since the host started. */
  restarts: z.number().int(),
  /** Small facts worth showing (`url`, `username` ...). Never secrets. */
  detail: z.record(z.string(), z.string()),
});
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LogLineSchema = z.object({
  /** Monotonic sequence number within this host run; lets the UI de-duplicate tail + live lines. */
  seq: z.number().int(),
  time: z.string(),
  level: z.enum(LOG_LEVELS),
  msg: z.string(),
  /** The `event` field of structured business logs (`service.started`, `bot.command` ...). */
  event: z.string().optional(),
  /** Which service wrote it, when one did. */
  service: z.string().optional(),
  /** Remaining structured fields, already redacted. */
  fields: z.record(z.string(), z.unknown()),
});
export type LogLine = z.infer<typeof LogLineSchema>;

export const SETTING_SOURCES = ['default', 'file', 'env', 'flag'] as const;
export type SettingSource = (typeof SETTING_SOURCES)[number];

export const SettingViewSchema = z.object({
  /** Dotted path in the config schema, e.g. `proxy.port`. */
  key: z.string(),
  /** The effective value; for secrets `null` (never sent), see `isSet`. */
  value: z.unknown(),
  secret: z.boolean(),
  /** For secrets: whether a value is present. For others: true. */
  isSet: z.boolean(),
  /** A masked hint for secrets (`••••a1b2`), empty for others. */
  masked: z.string(),
  /** Where the effective value came from. */
  source: z.enum(SETTING_SOURCES),
  /** Environment variables that set this key, ARBDESK_ name first. */
  envVars: z.array(z.string()),
  /** When the value comes from the environment: the variable it came from (e.g. OPENROUTER_API_KEY). */
  fromEnv: z.string().optional(),
  /** Command-line flag that sets it, if any. */
  flag: z.string().optional(),
  type: z.enum(['string', 'number', 'boolean', 'string[]', 'number[]']),
  description: z.string(),
  /** True when a change takes effect only after the affected service restarts (done automatically). */
  restartsService: z.string().optional(),
});
export type SettingView = z.infer<typeof SettingViewSchema>;

export const HOST_STATES = ['up', 'down', 'restarting'] as const;

// ---------------------------------------------------------------------------------------------
// Commands: name → input schema. Outputs are typed in `CommandOutputs` below.

const NoInput = z.object({}).strict().optional();
const CustomerId = z.string().regex(/^cus_[A-Za-z0-9_-]{4,40}$/, 'must be a customer id such as cus_AbC123… (see customers list)');
const InvoiceId = z.string().regex(/^inv_[A-Za-z0-9_-]{4,40}$/, 'must be an invoice id such as inv_AbC123…');
const TicketId = z.string().regex(/^tkt_[A-Za-z0-9_-]{4,40}$/, 'must be a ticket id such as tkt_AbC123…');
const PackageId = z.string().regex(/^pkg_[A-Za-z0-9_-]{4,40}$/, 'must be a package id such as pkg_AbC123…');
const KeyId = z.string().regex(/^key_[A-Za-z0-9_-]{4,40}$/, 'must be a key id such as key_AbC123… (see keys list)');
/** A positive USD amount as a decimal string ("10", "2.50"); never a float. */
const UsdAmount = z.string().regex(/^(?!0+(\.0+)?$)\d{1,9}(\.\d{1,6})?$/, 'must be a positive amount in USD such as 10 or 2.50 (up to 6 decimals)');
const SignedUsdAmount = z.string().regex(/^-?(?!0+(\.0+)?$)\d{1,9}(\.\d{1,6})?$/, 'must be a non-zero amount in USD such as 5 or -2.50');

/** A settings value as the UI or CLI sends it: plain JSON scalars or lists; `null` clears it. */
export const SettingValueSchema = z.union([
  z.string().max(4096),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string().max(4096), z.number()])).max(100),
  z.null(),
]);

export const commands = {
  /** Services and their states, version, uptime, data dir. */
  'system.status': NoInput,
  /** Every setting with its effective value and source; secrets masked. */
  'settings.get': NoInput,
  /** Change settings in the config file (secrets go to the secret store). */
  'settings.update': z
    .object({
      changes: z
        .record(z.string().min(1).max(200), SettingValueSchema)
        .refine((c) => Object.keys(c).length > 0, 'changes must name at least one setting')
        .refine((c) => Object.keys(c).length <= 50, 'at most 50 settings at once'),
    })
    .strict(),
  /** The most recent log lines, oldest first. */
  'logs.tail': z
    .object({
      limit: z.number().int().min(1).max(1000).default(200),
      minLevel: z.enum(LOG_LEVELS).default('trace'),
    })
    .strict()
    .optional(),
  // --- customers, money and keys (the reselling proxy) -------------------------------------
  'customers.add': z
    .object({ name: z.string().trim().min(1, 'name must not be empty').max(200), telegramId: z.number().int().positive().nullable().optional() })
    .strict(),
  'customers.list': NoInput,
  /** One customer's profile: balance, keys, recent usage, ledger history. */
  'customers.get': z.object({ customerId: CustomerId }).strict(),
  /**
   * Money in: the owner received `usd` from the customer outside the app (cash, bank). Moves money;
   * `idemKey` makes a retried call credit once.
   */
  'customers.credit': z
    .object({ customerId: CustomerId, usd: UsdAmount, memo: z.string().max(500).default(''), idemKey: z.string().min(1).max(200).optional() })
    .strict(),
  /** Sends the owner's message to the customer's Telegram chat through the running bot; audited. */
  'customers.message': z.object({ customerId: CustomerId, text: z.string().trim().min(1, 'write a message').max(3500, 'at most 3500 characters') }).strict(),
  /** A correction or goodwill change (either sign), with a required memo; goes to the audit trail. */
  'customers.adjust': z
    .object({ customerId: CustomerId, usd: SignedUsdAmount, memo: z.string().trim().min(1, 'an adjustment needs a memo saying why').max(500) })
    .strict(),
  /** Gives a customer N tokens of one model (what a token package grants), with an optional expiry. */
  'allowances.grant': z
    .object({
      customerId: CustomerId,
      model: z.string().min(1).max(200),
      tokens: z.number().int().positive().max(1_000_000_000_000),
      validityDays: z.number().int().positive().max(3650).nullable().default(null),
      memo: z.string().trim().min(1, 'a grant needs a memo saying why').max(500),
    })
    .strict(),
  'keys.issue': z
    .object({
      customerId: CustomerId,
      models: z.array(z.string().min(1).max(200)).max(200).optional(),
      rpm: z.number().int().positive().optional(),
      tpm: z.number().int().positive().optional(),
      maxConcurrent: z.number().int().positive().optional(),
      expiresDays: z.number().int().positive().max(3650).optional(),
      label: z.string().max(100).optional(),
    })
    .strict(),
  'keys.list': z.object({ customerId: CustomerId.optional() }).strict().optional(),
  'keys.revoke': z.object({ keyId: KeyId }).strict(),
  /** A new key with the same limits; the old one stops working at once. */
  'keys.rotate': z.object({ keyId: KeyId }).strict(),
  /** Recent requests (newest first) and per-model totals. */
  'usage.list': z.object({ customerId: CustomerId.optional(), limit: z.number().int().min(1).max(1000).default(50) }).strict().optional(),
  /** Adds packages from the seeds' bulk JSON (an array); all or none, with every problem listed. */
  'packages.import': z.object({ packages: z.array(z.unknown()).min(1, 'the file holds no packages').max(10_000) }).strict(),
  'packages.list': z.object({ includeRetired: z.boolean().default(false) }).strict().optional(),
  'packages.retire': z.object({ packageId: PackageId }).strict(),
  /**
   * One package from the owner's form, in the seeds' JSON shape (`{ model, tokens, description,
   * validity_days?, category_id?, subcategory_id? }` or `{ usd_credit, description, … }`): checked
   * like an imported item (every problem listed), priced at once.
   */
  'packages.create': z.object({ package: z.record(z.string(), z.unknown()) }).strict(),
  /** Replaces a live package's definition (same shape as create); its price is recomputed. */
  'packages.update': z.object({ packageId: PackageId, package: z.record(z.string(), z.unknown()) }).strict(),
  /** The upstream catalog with cost, the customer's price and the margin per model. */
  'pricing.list': NoInput,
  /**
   * Sets a model's own price — `{ markupPercent }` or `{ promptUsdPerMillion, completionUsdPerMillion }`
   * — or removes it (`override: null`). Customer prices and package prices follow at once.
   */
  'pricing.setOverride': z.object({ model: z.string().min(1).max(200), override: priceOverrideInputSchema.nullable() }).strict(),
  /**
   * What prices would be with another global markup and/or other per-model overrides (`null`
   * removes one): every model's price and every package's price, computed by the same code that
   * prices for real. Nothing is saved — Save is `settings.update` + `pricing.setOverride`.
   */
  'pricing.preview': z
    .object({
      markupPercent: z.number().min(0, 'must be 0 or more').max(1000, 'must be at most 1000').optional(),
      overrides: z
        .record(z.string().min(1).max(200), priceOverrideInputSchema.nullable())
        .refine((o) => Object.keys(o).length <= 500, 'at most 500 overrides at once')
        .optional(),
    })
    .strict(),
  /** The upstream: base URL, catalog freshness, credit left and the low-credit alert. */
  'upstream.status': NoInput,
  // --- storefront: invoices and support ------------------------------------------------------
  'invoices.list': z
    .object({ status: z.enum(['new', 'processing', 'settled', 'expired', 'invalid']).optional(), customerId: CustomerId.optional(), limit: z.number().int().min(1).max(1000).default(100) })
    .strict()
    .optional(),
  'invoices.get': z.object({ invoiceId: InvoiceId }).strict(),
  /**
   * Money-moving: the owner settles an invoice by hand (the order is delivered; any shortfall is
   * booked as an adjustment) or marks it invalid. Needs a memo; goes to the audit trail.
   */
  'invoices.resolve': z
    .object({ invoiceId: InvoiceId, action: z.enum(['settle', 'invalidate']), memo: z.string().trim().min(1, 'say why in the memo').max(500) })
    .strict(),
  /**
   * Money-moving: refunds the Telegram Stars payment of an invoice (refundStarPayment) and reverses
   * it in the ledger — the package and what is left of its allowance go back. Needs a memo.
   */
  'invoices.refundStars': z.object({ invoiceId: InvoiceId, memo: z.string().trim().min(1, 'say why in the memo').max(500) }).strict(),
  'support.list': z.object({ status: z.enum(['open', 'closed']).optional(), limit: z.number().int().min(1).max(500).default(100) }).strict().optional(),
  /** Sends the owner's reply to the customer's Telegram chat and keeps it in the ticket. */
  'support.reply': z.object({ ticketId: TicketId, text: z.string().trim().min(1, 'write a reply').max(4000) }).strict(),
  'support.close': z.object({ ticketId: TicketId }).strict(),
  /** Checks the ledger: every transaction balances, balances match the journal, none below zero. */
  'ledger.verify': NoInput,
  /** Live proxy figures: requests per second, latency percentiles, errors, profit. */
  'proxy.stats': NoInput,
  /** The owner's overview: money of today / 7 / 30 UTC days, active customers, what waits, upstream credit, latest sales. */
  'reports.overview': NoInput,
  /** Profit and loss over UTC days `from`…`to` (both included, ≤ 400 days) by day, ISO week or month, by model, customer and method. */
  'reports.pnl': pnlInputSchema,
  // --- first-run setup and what waits for the owner ----------------------------------------
  /**
   * Tests one step of the first-run checklist: `value` as typed (not saved), or the saved value
   * when absent. The answer never repeats a secret; network checks give up after 5 s.
   */
  'setup.check': z.object({ item: z.enum(SETUP_ITEMS), value: z.string().max(4096).optional() }).strict(),
  /** What waits for the owner (tray, badges): pending invoices, open tickets, low credit, services down. */
  'system.attention': NoInput,
} as const;

export type CommandName = keyof typeof commands;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];

export type CommandInput<M extends CommandName> = z.input<(typeof commands)[M]>;
export type ParsedInput<M extends CommandName> = z.output<(typeof commands)[M]>;

export interface SystemStatus {
  version: string;
  mode: 'desktop' | 'headless';
  pid: number;
  startedAt: string;
  uptimeSeconds: number;
  dataDir: string;
  services: ServiceStatus[];
}

export interface CommandOutputs {
  'system.status': SystemStatus;
  'settings.get': { settings: SettingView[]; configFile: string };
  'settings.update': {
    updated: string[];
    /** Keys whose new file value is hidden by an environment variable or flag. */
    shadowed: { key: string; by: SettingSource; name: string }[];
    settings: SettingView[];
  };
  'logs.tail': { lines: LogLine[] };
  'customers.add': CustomerView;
  'customers.list': { customers: CustomerView[] };
  'customers.get': {
    customer: CustomerView;
    keys: KeyView[];
    allowances: AllowanceView[];
    usage: ModelUsage[];
    recent: RequestView[];
    ledger: LedgerTxView[];
    invoices: InvoiceView[];
  };
  'allowances.grant': { lotId: string; allowances: AllowanceView[] };
  'customers.credit': { txId: number; duplicate: boolean; customer: CustomerView };
  'customers.adjust': { txId: number; customer: CustomerView };
  /** `reason` says why Telegram did not take it (the customer blocked the bot …). */
  'customers.message': { delivered: boolean; reason?: string };
  /** modelsChecked: the allowed models were checked against the upstream catalog (false with none given or no catalog yet). */
  'keys.issue': { key: string; record: KeyView; modelsChecked: boolean };
  'keys.list': { keys: KeyView[] };
  /** alreadyRevoked: the key was revoked before this call; nothing changed (revoking is idempotent). */
  'keys.revoke': { record: KeyView; alreadyRevoked: boolean };
  'keys.rotate': { key: string; record: KeyView; replaced: KeyView };
  /** recent: served and refused requests, newest first; byModel: served requests only; refused: refusals by status and code. */
  'usage.list': { recent: RequestView[]; byModel: ModelUsage[]; refused: RefusedUsage[] };
  'proxy.stats': ProxyStats;
  'reports.overview': OverviewView;
  'reports.pnl': PnlReport;
  /** alreadyForSale: items identical to a live package, not added again (one entry per such item). */
  'packages.import': {
    imported: PackageView[];
    alreadyForSale: PackageView[];
    /** False when no upstream catalog was loaded yet: the model ids could not be checked. */
    modelsChecked: boolean;
    notForSale: NotForSaleView[];
  };
  /** `notForSale`: why each live package without a price has none. */
  'packages.list': { packages: PackageView[]; notForSale: NotForSaleView[] };
  /** alreadyRetired: it was retired before this call; nothing changed. */
  'packages.retire': { package: PackageView; alreadyRetired: boolean };
  'packages.create': { package: PackageView };
  'packages.update': { package: PackageView };
  'pricing.list': {
    models: ModelPriceView[];
    markupPercent: number;
    catalog: { source: string; models: number; lastSuccessAt: string | null; lastError: string | null };
  };
  'pricing.setOverride': { model: ModelPriceView | null };
  'pricing.preview': { markupPercent: number; models: ModelPriceView[]; packages: PackagePricePreview[] };
  'upstream.status': {
    configured: boolean;
    baseUrl: string;
    catalog: { source: string; models: number; lastSuccessAt: string | null; lastError: string | null } | null;
    credit: { remainingMicro: number | null; low: boolean; checkedAt: string | null; error: string | null } | null;
    lowCreditThresholdMicro: number;
  };
  'invoices.list': { invoices: InvoiceView[] };
  'invoices.get': { invoice: InvoiceView; payments: PaymentView[]; order: OrderView };
  'invoices.resolve': { invoice: InvoiceView };
  'invoices.refundStars': { invoice: InvoiceView };
  'support.list': { tickets: TicketView[] };
  /** `reason` says why a reply was kept but not delivered (bot not running, chat refused it …). */
  'support.reply': { ticket: TicketView; delivered: boolean; reason?: string };
  'support.close': { ticket: TicketView };
  'ledger.verify': { ok: boolean; problems: string[]; openReservations: number; transactions: number };
  'setup.check': SetupCheckResult;
  'system.attention': AttentionCounts;
}

export type CommandOutput<M extends CommandName> = CommandOutputs[M];

// ---------------------------------------------------------------------------------------------
// Results as data

export const ERROR_CODES = [
  'unknown_command', // not in this contract
  'invalid_input', // failed the zod schema
  'unauthorized', // missing or wrong owner token
  'forbidden_sender', // IPC from a frame that is not ours
  'host_unavailable', // the services host is down or restarting
  'not_found',
  'conflict',
  'internal', // a bug; message is safe to show, details are in the log
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface CommandError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: CommandError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string): { ok: false; error: CommandError } {
  return { ok: false, error: { code, message } };
}

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}

/**
 * Boundary check shared by every transport: the name must be in the contract and the input
 * must match its schema. Returns the parsed input (defaults applied) or a failure as data.
 */
export function checkCommand(
  method: unknown,
  input: unknown,
): { ok: true; method: CommandName; input: unknown } | { ok: false; error: CommandError } {
  if (!isCommandName(method)) {
    const shown = typeof method === 'string' ? method.slice(0, 80) : typeof method;
    return fail('unknown_command', `"${shown}" is not a command of the ArbDesk contract`);
  }
  const parsed = commands[method].safeParse(input ?? undefined);
  if (!parsed.success) {
    return fail('invalid_input', `${method}: ${describeZodError(parsed.error)}`);
  }
  return { ok: true, method, input: parsed.data };
}

// ---------------------------------------------------------------------------------------------
// Events

export const events = {
  /** A service changed state. */
  'service.status': ServiceStatusSchema,
  /** A log line was written. */
  log: LogLineSchema,
  /** An invoice changed state or confirmations (batched). */
  'invoice.changed': z.custom<InvoiceView>(),
  /** A support ticket was opened or got a message. */
  'support.changed': z.custom<TicketView>(),
  /** A proxy request finished (batched: ≤ 10 batches per second). */
  'proxy.request': z.custom<ProxyRequestEvent>(),
  /** Something the owner should hear about once (a sale, a new ticket, low credit, a service down); off with notifications.enabled. */
  'owner.alert': z.custom<OwnerAlert>(),
  /**
   * The services host itself went up or down. Emitted by the Electron main process when the
   * utility process exits or restarts, and by the control server when a client connects.
   */
  'host.status': z.object({
    state: z.enum(HOST_STATES),
    reason: z.string(),
    restarts: z.number().int(),
  }),
} as const;

export type EventName = keyof typeof events;
export const EVENT_NAMES = Object.keys(events) as EventName[];
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/**
 * Events cross process boundaries in batches: at most one batch per stream per 100 ms, so
 * 1,000 proxy events per second never mean 1,000 messages (or re-renders) per second.
 */
export type EventBatch = { [E in EventName]: { stream: E; events: EventPayload<E>[] } }[EventName];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/**
 * What the renderer sees as `window.arbdesk` under Electron (exposed by the preload), and
 * what renderer/api implements over HTTP + WebSocket in the browser. Same shape, same UI.
 */
export interface ArbdeskBridge {
  invoke<M extends CommandName>(method: M, input?: CommandInput<M>): Promise<Result<CommandOutput<M>>>;
  /** Receives every event batch; returns an unsubscribe function. */
  subscribe(listener: (batch: EventBatch) => void): () => void;
}
