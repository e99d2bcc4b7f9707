/**
 * The shapes the contract's commands answer with and its events carry (read models, never
 * secrets). Split out of contract.ts to keep it readable; contract.ts re-exports them, so
 * import from there.
 */
import type { PackageSpec } from './pricing/package-spec.js';

export interface CustomerView {
  id: string;
  name: string;
  telegramId: number | null;
  createdAt: string;
  availableMicro: number;
  heldMicro: number;
  activeKeys: number;
  /** customers.list only: the latest proxy request or ledger transaction (or when added). */
  lastActivityAt?: string;
}

export interface KeyView {
  id: string;
  customerId: string;
  /** `sk-arb-…Xy3Q` — the key itself is shown once, by keys.issue / keys.rotate. */
  hint: string;
  label: string;
  allowedModels: string[] | null;
  rpm: number | null;
  tpm: number | null;
  maxConcurrent: number | null;
  expiresAt: string | null;
  revokedAt: string | null;
  rotatedTo: string | null;
  createdAt: string;
  status: 'active' | 'revoked' | 'expired';
}

export interface RequestView {
  id: string;
  at: string;
  keyId: string;
  customerId: string;
  model: string;
  stream: boolean;
  status: number;
  outcome: string;
  promptTokens: number;
  completionTokens: number;
  upstreamCostMicro: number;
  chargeMicro: number;
  profitMicro: number;
  latencyMs: number;
  /** Tokens paid from an allowance instead of the balance. */
  allowanceTokens: number;
}

export interface ModelUsage {
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  chargeMicro: number;
  upstreamCostMicro: number;
  profitMicro: number;
}

/** Chat requests refused before anything was sent upstream (they cost nothing), by what the customer got. */
export interface RefusedUsage {
  status: number;
  /** The OpenAI error code: insufficient_balance, rate_limited, model_not_allowed, client_aborted, … */
  code: string;
  requests: number;
}

export interface LedgerTxView {
  id: number;
  at: string;
  kind: string;
  memo: string;
  actor: string;
  /** Change to the customer's available balance (µUSD; + = more to spend). */
  availableChangeMicro: number;
}

export interface InvoiceView {
  id: string;
  orderId: string;
  customerId: string;
  /** stars | btc | eth | erc20:<SYMBOL> */
  method: string;
  asset: string;
  usdMicro: number;
  /** Amount due in the asset's base units (stars, sats, wei, token units), as a decimal string. */
  amountBase: string;
  decimals: number;
  /** USD per whole unit, locked when the invoice was made. */
  rate: string;
  address: string | null;
  uri: string | null;
  status: 'new' | 'processing' | 'settled' | 'expired' | 'invalid';
  paidBase: string;
  /** Fewest confirmations among the live payments. */
  confirmations: number;
  /** Confirmations a payment needs before it counts (the owner's setting for this chain; 0 for Stars). */
  requiredConfirmations?: number;
  /** late, underpaid, overpaid, reorg, resolved … */
  flags: string[];
  memo: string;
  createdAt: string;
  expiresAt: string;
  settledAt: string | null;
}

export interface PaymentView {
  outpoint: string;
  invoiceId: string | null;
  method: string;
  amountBase: string;
  blockNumber: number | null;
  confirmations: number;
  status: 'seen' | 'confirmed' | 'vanished';
  late: boolean;
  seenAt: string;
  confirmedAt: string | null;
}

export interface OrderView {
  id: string;
  customerId: string;
  kind: 'package' | 'topup';
  packageId: string | null;
  usdMicro: number;
  status: 'pending' | 'paid' | 'delivered' | 'cancelled';
  createdAt: string;
  deliveredAt: string | null;
}

export interface TicketView {
  id: string;
  customerId: string;
  customerName: string;
  telegramId: number | null;
  status: 'open' | 'closed';
  createdAt: string;
  closedAt: string | null;
  messages: { author: 'customer' | 'owner'; text: string; at: string }[];
}

export interface PackageView {
  id: string;
  spec: PackageSpec;
  kind: 'tokens' | 'credit';
  model: string | null;
  tokens: number | null;
  creditMicro: number | null;
  description: string;
  validityDays: number | null;
  /** Current price in µUSD; null while not for sale (model gone or unpriced). */
  priceMicro: number | null;
  upstreamCostMicro: number | null;
  forSale: boolean;
  retiredAt: string | null;
  createdAt: string;
}

/** A live package that has no price now, and why (what the owner can do about it). */
export interface NotForSaleView {
  packageId: string;
  why: string;
}

/** A package's price now and under a previewed pricing change (`pricing.preview`). */
export interface PackagePricePreview {
  id: string;
  /** The price it sells at now, µUSD (null: not for sale). */
  currentMicro: number | null;
  /** The price it would sell at with the changes, µUSD (null: would not be for sale). */
  previewMicro: number | null;
  upstreamCostMicro: number | null;
  /** previewMicro − cost; null when either is unknown. */
  profitMicro: number | null;
}

export interface ModelPriceView {
  id: string;
  name: string;
  /** Upstream price per token in pUSD (10^-12 USD); null when the upstream publishes none. */
  upstreamPromptPico: number | null;
  upstreamCompletionPico: number | null;
  /** The customer's price per token in pUSD; null when not for sale. */
  customerPromptPico: number | null;
  customerCompletionPico: number | null;
  /** Where the customer price comes from. */
  source: 'markup' | 'model-markup' | 'fixed' | null;
  markupBps: number | null;
  /** A fixed price under the upstream's cost. */
  belowCost: boolean;
  forSale: boolean;
  contextLength: number | null;
  maxCompletionTokens: number | null;
  hasOverride: boolean;
}

export interface AllowanceView {
  lotId: string;
  model: string;
  grantedTokens: number;
  remainingTokens: number;
  expiresAt: string | null;
  expired: boolean;
  createdAt: string;
}

export interface ProxyStats {
  windowSeconds: number;
  requestsPerSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  requests: number;
  /** Count of non-2xx outcomes in the window by kind (e.g. insufficient_balance, upstream_error). */
  errors: Record<string, number>;
  chargedMicro: number;
  upstreamCostMicro: number;
  profitMicro: number;
}

/** One finished proxy request, as the Proxy screen sees it (no keys, no bodies). */
export interface ProxyRequestEvent {
  requestId: string;
  at: string;
  keyId: string;
  customerId: string;
  model: string;
  stream: boolean;
  status: number;
  outcome: string;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  chargedMicro: number;
  upstreamCostMicro: number;
  profitMicro: number;
  /** Tokens paid from an allowance (the charge is then 0: the package sale earned the revenue). */
  allowanceTokens: number;
}

// --- first-run setup, attention and owner alerts ----------------------------------------------

/** The steps of the first-run checklist, named by the setting each one tests. */
export const SETUP_ITEMS = [
  'telegram.token',
  'upstream.apiKey',
  'upstream.baseUrl',
  'payments.btc.xpub',
  'payments.btc.esploraUrl',
  'payments.eth.xpub',
  'payments.eth.rpcUrl',
  'pricing.markupPercent',
  'proxy.publicUrl',
] as const;
export type SetupItem = (typeof SETUP_ITEMS)[number];

export interface SetupCheckResult {
  item: SetupItem;
  /** done = works; todo = not set yet; problem = set but it does not work (message says what to do). */
  state: 'done' | 'todo' | 'problem';
  ok: boolean;
  /** One line for the owner: what was found ("token valid: @MyShopBot") or what to do. Never a secret. */
  message: string;
  /** Whether the value tested was the one typed (true) or the saved one. */
  tested: 'typed' | 'saved';
}

export interface AttentionCounts {
  /** Invoices still waiting for payment or confirmations (new, processing). */
  pendingInvoices: number;
  openTickets: number;
  /** The upstream credit is known and below upstream.lowCreditUsd. */
  lowCredit: boolean;
  creditRemainingMicro: number | null;
  /** Services in the failed state. */
  servicesDown: number;
  /** notifications.enabled: whether the owner wants alerts. */
  notifications: boolean;
}

/** A one-off alert for the owner (desktop notification, or an in-app one in the browser). */
export interface OwnerAlert {
  kind: 'sale' | 'ticket' | 'low-credit' | 'service-down';
  /** Stable per occurrence (`sale:inv_…`), so a repeated event never alerts twice. */
  key: string;
  title: string;
  body: string;
  /** Where the owner goes to act: a route hash such as `#/invoices/inv_…`. */
  href: string;
  at: string;
}

// --- owner's dashboard: overview and profit-and-loss reports (services/reports) ---------------

/**
 * Money figures of a period, µUSD. Revenue is what customers paid: package sales (booked when
 * the package is delivered, less Stars refunds) plus per-request charges taken from a prepaid
 * balance. Requests paid from a token allowance are charged 0 (the sale earned that revenue),
 * so nothing is counted twice. Upstream cost is what the upstream charged for the requests.
 */
export interface PnlFigures {
  revenueMicro: number;
  packageRevenueMicro: number;
  usageRevenueMicro: number;
  upstreamCostMicro: number;
  /** revenue − upstream cost. Margin is profit ÷ revenue. */
  profitMicro: number;
  /** Proxy requests recorded in the period (any outcome). */
  requests: number;
  /** Package sales in the period (refunds not subtracted). */
  sales: number;
}

/** One day, ISO week (`2026-W05`) or month (`2026-01`) of a report; `from`/`to` are UTC days, cut to the range. */
export interface PnlPeriodRow extends PnlFigures {
  key: string;
  from: string;
  to: string;
}

/** One model, customer or payment method of a report. */
export interface PnlBreakdownRow extends PnlFigures {
  key: string;
  label: string;
}

export interface PnlReport {
  from: string;
  to: string;
  granularity: 'day' | 'week' | 'month';
  generatedAt: string;
  totals: PnlFigures;
  periods: PnlPeriodRow[];
  byModel: PnlBreakdownRow[];
  byCustomer: PnlBreakdownRow[];
  /** Package sales by the invoice's method; `balance` = per-request charges, `allowance` = upstream cost of allowance-paid requests. */
  byMethod: PnlBreakdownRow[];
}

/** A package sale, a balance top-up or a credit the owner booked. */
export interface RecentSaleView {
  at: string;
  customerId: string;
  customerName: string;
  kind: 'package' | 'topup' | 'credit';
  /** The package's description, "Balance top-up" or the owner's memo. */
  what: string;
  amountMicro: number;
  /** stars | btc | eth | erc20:<SYMBOL> | manual */
  method: string;
  invoiceId: string | null;
  refunded: boolean;
}

export interface OverviewView {
  generatedAt: string;
  /** Today (UTC, since midnight), the last 7 and the last 30 UTC days including today. */
  periods: { id: 'today' | '7d' | '30d'; from: string; to: string; figures: PnlFigures }[];
  /** Customers with a proxy request, a purchase or a credit in the last 30 UTC days (today included). */
  activeCustomers: number;
  totalCustomers: number;
  pendingInvoices: number;
  openTickets: number;
  upstream: {
    configured: boolean;
    credit: { remainingMicro: number | null; low: boolean; checkedAt: string | null; error: string | null } | null;
    lowCreditThresholdMicro: number;
  };
  recentSales: RecentSaleView[];
}
