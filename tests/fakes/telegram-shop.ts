/**
 * An in-memory ShopPort for the bot's tests, behaving like the real one where the bot can tell:
 * registration idempotent by Telegram id; orders priced by the shop (live package price, the
 * customer's top-up amount), never by the caller; pre-checkout refusing unknown, expired,
 * foreign or mismatched Stars invoices; starsPaid idempotent by charge id; keys only the
 * customer's own; package imports all-or-none with every error numbered from 1.
 * Every change is appended to `mutations`, so a test can assert that bad input changed nothing.
 */
import type { AllowanceView, InvoiceView, KeyView, ModelUsage, PackageView, RequestView } from '../../services/contract.js';
import { generateKey, keyHint } from '../../services/keys/key-format.js';
import { usdToMicro } from '../../services/money/units.js';
import { qrPng } from '../../services/payments/crypto/qr.js';
import {
  ShopError,
  type CryptoInvoiceDisplay,
  type DeliveredItem,
  type Language,
  type PaymentOption,
  type ShopCustomer,
  type ShopPort,
  type StarsInvoiceDisplay,
  type Ticket,
} from '../../services/bot/shop-port.js';

export interface FakeShopOptions {
  ownerIds?: number[];
  packages?: PackageView[];
  paymentOptions?: PaymentOption[];
  /** µUSD per Star (the owner's rate). */
  microPerStar?: number;
  proxyBaseUrl?: string;
  models?: string[];
}

interface Order {
  id: string;
  customerId: string;
  telegramId: number;
  packageId: string | null;
  usdMicro: number;
  status: 'pending' | 'delivered';
}

export interface Delivery {
  telegramId: number;
  invoiceId: string;
  item: DeliveredItem;
  newKey: string | null;
}

const NOW = () => new Date().toISOString();

export function tokenPackage(id: string, model: string, tokens: number, priceMicro: number | null, extra: Partial<PackageView> = {}): PackageView {
  return {
    id,
    spec: { kind: 'tokens', model, tokens, description: `${model} ${tokens}`, categoryId: null, subcategoryId: null, validityDays: 30 },
    kind: 'tokens',
    model,
    tokens,
    creditMicro: null,
    description: `${model} — ${tokens.toLocaleString('en-US')} tokens`,
    validityDays: 30,
    priceMicro,
    upstreamCostMicro: priceMicro === null ? null : Math.floor(priceMicro * 0.8),
    forSale: priceMicro !== null,
    retiredAt: null,
    createdAt: NOW(),
    ...extra,
  };
}

export const DEFAULT_PACKAGES: PackageView[] = [
  tokenPackage('pkg_mini1m', 'openai/gpt-4o-mini', 1_000_000, 750_000),
  tokenPackage('pkg_4o100k', 'openai/gpt-4o', 100_000, 1_250_000, { description: 'GPT-4o <fast> & smart — 100k tokens' }),
  tokenPackage('pkg_sonnet', 'anthropic/claude-3.5-sonnet', 200_000, 3_600_000),
  tokenPackage('pkg_haiku', 'anthropic/claude-3-haiku', 500_000, 300_000),
  tokenPackage('pkg_llama', 'meta-llama/llama-3.1-70b-instruct', 1_000_000, 900_000),
  tokenPackage('pkg_mixtral', 'mistralai/mixtral-8x7b-instruct', 1_000_000, 600_000),
  tokenPackage('pkg_gone', 'old/model', 100_000, null),
];

export const DEFAULT_PAYMENT_OPTIONS: PaymentOption[] = [
  { method: 'stars', label: '⭐ Telegram Stars' },
  { method: 'btc', label: '₿ Bitcoin' },
  { method: 'erc20:USDT', label: 'USDT (ERC-20)' },
];

export class FakeShop implements ShopPort {
  readonly customers = new Map<number, ShopCustomer>();
  readonly packageList: PackageView[];
  readonly orders = new Map<string, Order>();
  readonly invoices = new Map<string, InvoiceView & { telegramId: number }>();
  readonly keyList: KeyView[] = [];
  readonly tickets = new Map<string, Ticket & { text: string }>();
  readonly balances = new Map<string, { availableMicro: number; heldMicro: number; allowances: AllowanceView[] }>();
  readonly usages = new Map<string, { recent: RequestView[]; byModel: ModelUsage[] }>();
  /** Every starsPaid call, replays included. */
  readonly starsPaidCalls: { payload: string; chargeId: string; totalAmount: number; telegramId: number }[] = [];
  /** Credits actually booked: one per charge id. */
  readonly starsCredits: { chargeId: string; invoiceId: string; stars: number }[] = [];
  readonly deliveries: Delivery[] = [];
  readonly mutations: string[] = [];
  /** The host's part: called once an order is delivered (tests forward it to StorefrontEvents). */
  onDelivered: ((d: Delivery) => void) | undefined;
  /** Makes starsPaid fail (a database error), to test that the payment is not lost silently. */
  failStarsPaid: Error | undefined;
  private seq = 0;
  private readonly o: Required<FakeShopOptions>;

  constructor(options: FakeShopOptions = {}) {
    this.o = {
      ownerIds: [],
      packages: DEFAULT_PACKAGES,
      paymentOptions: DEFAULT_PAYMENT_OPTIONS,
      microPerStar: 13_000,
      proxyBaseUrl: 'https://ai.example.com/ai-proxy',
      models: ['openai/gpt-4o-mini', 'openai/gpt-4o', 'anthropic/claude-3.5-sonnet', 'anthropic/claude-3-haiku', 'gpt-4', 'claude-3-sonnet'],
      ...options,
    };
    this.packageList = this.o.packages.map((p) => ({ ...p }));
  }

  private id(prefix: string): string {
    return `${prefix}_${(++this.seq).toString(36).padStart(4, '0')}`;
  }

  private changed(what: string): void {
    this.mutations.push(what);
  }

  // --- customers ---------------------------------------------------------------------------------
  register(telegramId: number, name: string, language: Language) {
    const existing = this.customers.get(telegramId);
    if (existing) return { customer: existing, isNew: false };
    if (!name.trim()) throw new ShopError('a customer needs a name', 'invalid');
    const customer: ShopCustomer = { id: this.id('cus'), telegramId, name, language, termsAcceptedAt: null };
    this.customers.set(telegramId, customer);
    this.balances.set(customer.id, { availableMicro: 0, heldMicro: 0, allowances: [] });
    this.changed(`register ${telegramId}`);
    return { customer, isNew: true };
  }

  customer(telegramId: number) {
    return this.customers.get(telegramId);
  }

  acceptTerms(telegramId: number) {
    const c = this.requireCustomer(telegramId);
    if (!c.termsAcceptedAt) {
      c.termsAcceptedAt = NOW();
      this.changed(`acceptTerms ${telegramId}`);
    }
    return c;
  }

  setLanguage(telegramId: number, language: Language) {
    const c = this.requireCustomer(telegramId);
    if (c.language !== language) this.changed(`setLanguage ${telegramId} ${language}`);
    c.language = language;
    return c;
  }

  termsText(language: Language) {
    return language === 'ru'
      ? 'Условия: ключи личные; <использованные> токены & пополнения не возвращаются.'
      : 'Terms: keys are personal; <used> tokens & top-ups are not refunded.';
  }

  // --- catalog -----------------------------------------------------------------------------------
  packages() {
    return this.packageList.filter((p) => p.forSale && !p.retiredAt);
  }

  package(id: string) {
    return this.packageList.find((p) => p.id === id);
  }

  proxyBaseUrl() {
    return this.o.proxyBaseUrl;
  }

  // --- account -----------------------------------------------------------------------------------
  balance(customerId: string) {
    return this.balances.get(customerId) ?? { availableMicro: 0, heldMicro: 0, allowances: [] };
  }

  usage(customerId: string) {
    return this.usages.get(customerId) ?? { recent: [], byModel: [] };
  }

  keys(customerId: string) {
    return this.keyList.filter((k) => k.customerId === customerId);
  }

  /** Test helper: a key for a customer (returns the key text). */
  issueKey(customerId: string, label = ''): string {
    const key = generateKey();
    this.keyList.push({
      id: this.id('key'),
      customerId,
      hint: keyHint(key),
      label,
      allowedModels: null,
      rpm: null,
      tpm: null,
      maxConcurrent: null,
      expiresAt: null,
      revokedAt: null,
      rotatedTo: null,
      createdAt: new Date(Date.now() + this.seq).toISOString(),
      status: 'active',
    });
    return key;
  }

  rotateKey(customerId: string, keyId: string) {
    const old = this.keyList.find((k) => k.id === keyId);
    if (!old) throw new ShopError('no such key', 'not_found');
    if (old.customerId !== customerId) throw new ShopError('not your key', 'not_allowed');
    if (old.status !== 'active') throw new ShopError('the key is not active', 'invalid');
    const key = this.issueKey(customerId, old.label);
    const record = this.keyList[this.keyList.length - 1]!;
    old.status = 'revoked';
    old.revokedAt = NOW();
    old.rotatedTo = record.id;
    this.changed(`rotateKey ${keyId}`);
    return { key, record };
  }

  revokeKey(customerId: string, keyId: string) {
    const k = this.keyList.find((x) => x.id === keyId);
    if (!k) throw new ShopError('no such key', 'not_found');
    if (k.customerId !== customerId) throw new ShopError('not your key', 'not_allowed');
    if (k.status === 'active') {
      k.status = 'revoked';
      k.revokedAt = NOW();
      this.changed(`revokeKey ${keyId}`);
    }
    return k;
  }

  // --- buying ------------------------------------------------------------------------------------
  paymentOptions() {
    return this.o.paymentOptions;
  }

  order(customerId: string, what: { packageId: string } | { topupUsd: string }) {
    const customer = [...this.customers.values()].find((c) => c.id === customerId);
    if (!customer) throw new ShopError('no such customer', 'not_found');
    let usdMicro: number;
    let packageId: string | null = null;
    if ('packageId' in what) {
      const p = this.package(what.packageId);
      if (!p) throw new ShopError('no such package', 'not_found');
      if (!p.forSale || p.priceMicro === null) throw new ShopError('this package is not for sale right now', 'unavailable');
      usdMicro = p.priceMicro;
      packageId = p.id;
    } else {
      if (!/^\d{1,5}(\.\d{1,2})?$/.test(what.topupUsd)) throw new ShopError('the amount must look like 25 or 12.50', 'invalid');
      usdMicro = usdToMicro(what.topupUsd);
      if (usdMicro < 1_000_000 || usdMicro > 10_000_000_000) throw new ShopError('top-ups are from $1 to $10,000', 'invalid');
    }
    const order: Order = { id: this.id('ord'), customerId, telegramId: customer.telegramId, packageId, usdMicro, status: 'pending' };
    this.orders.set(order.id, order);
    this.changed(`order ${order.id}`);
    return { orderId: order.id, usdMicro };
  }

  private newInvoice(order: Order, method: string, asset: string, amountBase: string, decimals: number, address: string | null, uri: string | null) {
    const inv: InvoiceView & { telegramId: number } = {
      id: this.id('inv'),
      orderId: order.id,
      customerId: order.customerId,
      telegramId: order.telegramId,
      method,
      asset,
      usdMicro: order.usdMicro,
      amountBase,
      decimals,
      rate: '1',
      address,
      uri,
      status: 'new',
      paidBase: '0',
      confirmations: 0,
      flags: [],
      memo: '',
      createdAt: NOW(),
      expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      settledAt: null,
    };
    this.invoices.set(inv.id, inv);
    this.changed(`invoice ${inv.id}`);
    return inv;
  }

  async cryptoInvoice(orderId: string, method: string): Promise<CryptoInvoiceDisplay> {
    const order = this.orders.get(orderId);
    if (!order) throw new ShopError('no such order', 'not_found');
    if (method === 'stars' || !this.o.paymentOptions.some((o) => o.method === method)) throw new ShopError('that payment method is not offered', 'invalid');
    const n = this.seq + 1;
    if (method === 'btc') {
      const sats = Math.ceil((order.usdMicro * 100) / 60_000); // $60,000 per BTC
      const amount = (sats / 1e8).toFixed(8).replace(/0+$/, '');
      const address = `bc1qfakeaddress${String(n).padStart(6, '0')}xyz`;
      const uri = `bitcoin:${address}?amount=${amount}`;
      const invoice = this.newInvoice(order, method, 'BTC', String(sats), 8, address, uri);
      return { invoice, amount, asset: 'BTC', address, uri, qrPng: await qrPng(uri), network: 'Bitcoin' };
    }
    const address = `0x${String(n).padStart(40, 'a')}`;
    const base = String(order.usdMicro); // 6 decimals, $1 each
    const contract = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
    const uri = `ethereum:${contract}@1/transfer?address=${address}&uint256=${base}`;
    const invoice = this.newInvoice(order, method, 'USDT', base, 6, address, uri);
    return { invoice, amount: (order.usdMicro / 1e6).toFixed(2), asset: 'USDT', address, uri, qrPng: await qrPng(uri), network: 'Ethereum (chain 1)' };
  }

  starsInvoice(orderId: string): StarsInvoiceDisplay {
    const order = this.orders.get(orderId);
    if (!order) throw new ShopError('no such order', 'not_found');
    const stars = Math.ceil(order.usdMicro / this.o.microPerStar);
    const invoice = this.newInvoice(order, 'stars', 'XTR', String(stars), 0, null, null);
    const pkg = order.packageId ? this.package(order.packageId) : undefined;
    return {
      invoice,
      title: pkg ? pkg.description.slice(0, 32) : 'Balance top-up',
      description: pkg ? `${pkg.description}: API access through an OpenAI-compatible endpoint` : `$${(order.usdMicro / 1e6).toFixed(2)} of credit`,
      payload: invoice.id,
      stars,
    };
  }

  invoice(invoiceId: string) {
    return this.invoices.get(invoiceId);
  }

  /** Test helper: the invoice expires (its time ran out). */
  expire(invoiceId: string): void {
    const inv = this.invoices.get(invoiceId);
    if (inv) inv.status = 'expired';
  }

  preCheckout(payload: string, currency: string, totalAmount: number, telegramId: number) {
    const inv = this.invoices.get(payload);
    if (!inv || inv.method !== 'stars') return 'This invoice is no longer valid. Please start a new purchase.';
    if (inv.telegramId !== telegramId) return 'This invoice was made for someone else.';
    if (inv.status !== 'new' || Date.parse(inv.expiresAt) < Date.now()) return 'This invoice has expired. Please start a new purchase.';
    if (currency !== 'XTR' || totalAmount !== Number(inv.amountBase)) return 'The amount does not match the invoice.';
    return undefined;
  }

  starsPaid(payload: string, chargeId: string, totalAmount: number, telegramId: number) {
    this.starsPaidCalls.push({ payload, chargeId, totalAmount, telegramId });
    if (this.failStarsPaid) throw this.failStarsPaid;
    if (this.starsCredits.some((c) => c.chargeId === chargeId)) return; // replay: credited already
    const inv = this.invoices.get(payload);
    if (!inv) throw new ShopError(`payment ${chargeId} names no known invoice`, 'not_found');
    this.starsCredits.push({ chargeId, invoiceId: inv.id, stars: totalAmount });
    inv.status = 'settled';
    inv.paidBase = String(totalAmount);
    inv.settledAt = NOW();
    this.changed(`starsPaid ${chargeId}`);
    this.deliver(inv);
  }

  private deliver(inv: InvoiceView & { telegramId: number }): void {
    const order = this.orders.get(inv.orderId)!;
    if (order.status === 'delivered') return;
    order.status = 'delivered';
    const balance = this.balance(order.customerId);
    let item: DeliveredItem = { kind: 'credit', usdMicro: order.usdMicro };
    const pkg = order.packageId ? this.package(order.packageId) : undefined;
    if (pkg?.model && pkg.tokens) {
      balance.allowances.push({ lotId: this.id('lot'), model: pkg.model, grantedTokens: pkg.tokens, remainingTokens: pkg.tokens, expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), expired: false, createdAt: NOW() });
      item = { kind: 'tokens', tokens: pkg.tokens, model: pkg.model, validityDays: 30 };
    } else balance.availableMicro += order.usdMicro;
    const newKey = this.keys(order.customerId).some((k) => k.status === 'active') ? null : this.issueKey(order.customerId);
    const delivery = { telegramId: inv.telegramId, invoiceId: inv.id, item, newKey };
    this.deliveries.push(delivery);
    this.onDelivered?.(delivery);
  }

  // --- support -----------------------------------------------------------------------------------
  openTicket(telegramId: number, text: string) {
    const c = this.requireCustomer(telegramId);
    if (!text.trim()) throw new ShopError('the message is empty', 'invalid');
    const ticket = { id: this.id('tkt'), customerId: c.id, telegramId, status: 'open' as const, createdAt: NOW(), text };
    this.tickets.set(ticket.id, ticket);
    this.changed(`openTicket ${ticket.id}`);
    return ticket;
  }

  ticketForReply(ticketId: string) {
    return this.tickets.get(ticketId);
  }

  /** Owner replies kept per ticket, as the real shop keeps them for the desktop inbox. */
  readonly ownerReplies: { ticketId: string; text: string }[] = [];

  ticketOwnerReply(ticketId: string, text: string) {
    if (this.tickets.has(ticketId)) this.ownerReplies.push({ ticketId, text });
  }

  readonly blocked = new Set<number>();

  customerBlocked(telegramId: number) {
    this.blocked.add(telegramId);
  }

  // --- owner -------------------------------------------------------------------------------------
  isOwner(telegramId: number) {
    return this.o.ownerIds.includes(telegramId);
  }

  statsText() {
    return 'Customers: 3\nRevenue today: $12.50 <incl. Stars>\nProfit today: $2.10';
  }

  tokenStatsText() {
    return 'Tokens sold (30 days): 1,300,000\nTokens used: 420,000 & counting';
  }

  reportText() {
    return 'Today: 2 sales, $4.85 revenue, 1 open ticket';
  }

  createPackage(model: string, tokens: number, description: string) {
    if (!this.o.models.includes(model)) throw new ShopError(`unknown model "${model}" (not in the upstream catalog)`, 'invalid');
    const p = tokenPackage(this.id('pkg'), model, tokens, Math.ceil(tokens * 7.5), { description });
    this.packageList.push(p);
    this.changed(`createPackage ${p.id}`);
    return p;
  }

  importPackages(json: string) {
    let items: unknown;
    try {
      items = JSON.parse(json);
    } catch (error) {
      return { errors: [`the file is not valid JSON: ${(error as Error).message}`] };
    }
    if (!Array.isArray(items)) return { errors: ['the file must hold a list of packages'] };
    const errors: string[] = [];
    items.forEach((item: Record<string, unknown>, i) => {
      const where = `item ${i + 1}`;
      if (typeof item !== 'object' || item === null) return void errors.push(`${where}: must be an object`);
      if (typeof item.model !== 'string' || !this.o.models.includes(item.model)) errors.push(`${where}: model ${JSON.stringify(item.model)} is not in the upstream catalog`);
      if (!Number.isInteger(item.tokens) || (item.tokens as number) <= 0) errors.push(`${where}: tokens must be a positive whole number`);
      if (typeof item.description !== 'string' || !item.description.trim()) errors.push(`${where}: description must not be empty`);
    });
    if (errors.length) return { errors };
    const imported = (items as { model: string; tokens: number; description: string }[]).map((x) => tokenPackage(this.id('pkg'), x.model, x.tokens, Math.ceil(x.tokens * 7.5), { description: x.description }));
    this.packageList.push(...imported);
    this.changed(`importPackages ${imported.length}`);
    return { imported, alreadyForSale: [] };
  }

  announcementRecipients() {
    return [...this.customers.values()].filter((c) => c.termsAcceptedAt && !this.blocked.has(c.telegramId)).map((c) => c.telegramId);
  }

  private requireCustomer(telegramId: number): ShopCustomer {
    const c = this.customers.get(telegramId);
    if (!c) throw new ShopError('no such customer', 'not_found');
    return c;
  }
}
