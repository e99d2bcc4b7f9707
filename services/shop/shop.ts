/**
 * The storefront's business side: ShopPort (services/bot/shop-port.ts) over the customers,
 * packages, keys, ledger, invoices and support of the host. The bot calls it; it never talks
 * Telegram itself.
 */
import type { Allowances } from '../allowances/allowances.js';
import type { InvoiceView, PackageView, TicketView } from '../contract.js';
import type { Customers } from '../customers/customers.js';
import type { Db } from '../db/database.js';
import type { KeyStore } from '../keys/key-store.js';
import { keyStatus, toKeyView } from '../keys/views.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Logger } from '../log/logger.js';
import { usdToMicro } from '../money/units.js';
import type { PackageStore } from '../packages/package-store.js';
import type { InvoiceEngine } from '../payments/invoice-engine.js';
import { toInvoiceView, type InvoiceStore } from '../payments/invoice-store.js';
import type { UsageQueries } from '../usage/usage-queries.js';
import { ShopError, type CryptoInvoiceDisplay, type Language, type PaymentOption, type ShopCustomer, type ShopPort, type StarsInvoiceDisplay, type Ticket } from '../bot/shop-port.js';
import type { Support } from './support.js';
import { termsText } from './terms.js';
import type { OwnerReports } from './owner-reports.js';

/** Turns an order into a crypto invoice's numbers (services/payments/crypto + rates). */
export interface CryptoCheckout {
  options(): PaymentOption[];
  prepare(
    method: string,
    usdMicro: number,
  ): Promise<Omit<CryptoInvoiceDisplay, 'invoice'> & { decimals: number; amountBase: bigint; rate: string; derivationIndex: number; addressKey: string; fromBlock?: number | null }>;
}

export interface ShopDeps {
  db: Db;
  customers: Customers;
  ledger: Ledger;
  allowances: Allowances;
  keys: KeyStore;
  packages: PackageStore;
  usage: UsageQueries;
  invoices: InvoiceStore;
  engine: InvoiceEngine;
  support: Support;
  /** A customer opened a ticket from Telegram (the desktop's inbox and alerts hear it at once). */
  ticketOpened?: (ticket: TicketView) => void;
  reports: OwnerReports;
  crypto: CryptoCheckout;
  logger: Logger;
  settings: () => {
    ownerIds: number[];
    starsEnabled: boolean;
    usdPerStar: string;
    invoiceTtlMinutes: number;
    proxyBaseUrl: string;
  };
  importPackages: (json: string) => { imported: PackageView[]; alreadyForSale: PackageView[] } | { errors: string[] };
  /** Adds the confirmations an invoice needs (from the owner's settings). */
  decorate: (invoice: InvoiceView) => InvoiceView;
}

const MAX_TOPUP_MICRO = 10_000 * 1_000_000;

interface ProfileRow {
  customer_id: string;
  language: Language;
  terms_accepted_at: string | null;
}

export class Shop implements ShopPort {
  constructor(private readonly d: ShopDeps) {}

  // --- customers -----------------------------------------------------------------------------

  register(telegramId: number, name: string, language: Language): { customer: ShopCustomer; isNew: boolean } {
    const existing = this.customer(telegramId);
    if (existing) return { customer: existing, isNew: false };
    const c = this.d.customers.add({ name: name.slice(0, 100) || `Telegram ${telegramId}`, telegramId });
    this.d.db.prepare('INSERT INTO customer_profiles (customer_id, language) VALUES (?, ?)').run(c.id, language);
    this.d.logger.info({ event: 'shop.customer_registered', customerId: c.id }, `new customer ${c.name}`);
    return { customer: this.customer(telegramId)!, isNew: true };
  }

  customer(telegramId: number): ShopCustomer | undefined {
    const c = this.d.customers.byTelegramId(telegramId);
    if (!c) return undefined;
    const p = this.d.db.prepare('SELECT * FROM customer_profiles WHERE customer_id = ?').get(c.id) as ProfileRow | undefined;
    return { id: c.id, telegramId, name: c.name, language: p?.language ?? 'en', termsAcceptedAt: p?.terms_accepted_at ?? null };
  }

  private requireCustomer(telegramId: number): ShopCustomer {
    const c = this.customer(telegramId);
    if (!c) throw new ShopError('send /start first', 'not_found');
    return c;
  }

  private upsertProfile(customerId: string, fields: Partial<Pick<ProfileRow, 'language' | 'terms_accepted_at'>>): void {
    this.d.db.prepare("INSERT INTO customer_profiles (customer_id, language) VALUES (?, 'en') ON CONFLICT (customer_id) DO NOTHING").run(customerId);
    for (const [k, v] of Object.entries(fields)) this.d.db.prepare(`UPDATE customer_profiles SET ${k} = ? WHERE customer_id = ?`).run(v, customerId);
  }

  acceptTerms(telegramId: number): ShopCustomer {
    const c = this.requireCustomer(telegramId);
    if (!c.termsAcceptedAt) this.upsertProfile(c.id, { terms_accepted_at: new Date().toISOString() });
    return this.customer(telegramId)!;
  }

  setLanguage(telegramId: number, language: Language): ShopCustomer {
    const c = this.requireCustomer(telegramId);
    this.upsertProfile(c.id, { language });
    return this.customer(telegramId)!;
  }

  termsText(language: Language): string {
    return termsText(language);
  }

  // --- catalog -------------------------------------------------------------------------------

  packages(): PackageView[] {
    return this.d.packages.list().filter((p) => p.forSale);
  }

  package(id: string): PackageView | undefined {
    const p = this.d.packages.get(id);
    return p && p.forSale ? p : undefined;
  }

  proxyBaseUrl(): string {
    return this.d.settings().proxyBaseUrl;
  }

  // --- the customer's account ---------------------------------------------------------------

  balance(customerId: string) {
    const b = this.d.ledger.customerBalance(customerId);
    return { ...b, allowances: this.d.allowances.list(customerId).filter((a) => !a.expired && a.remainingTokens > 0) };
  }

  usage(customerId: string) {
    return { recent: this.d.usage.recent(customerId, 10), byModel: this.d.usage.byModel(customerId) };
  }

  keys(customerId: string) {
    return this.d.keys.list(customerId).filter((k) => keyStatus(k) !== 'revoked').map(toKeyView);
  }

  private ownKey(customerId: string, keyId: string) {
    const k = this.d.keys.get(keyId);
    if (!k || k.customerId !== customerId) throw new ShopError('that key is not yours', 'not_allowed');
    return k;
  }

  rotateKey(customerId: string, keyId: string) {
    this.ownKey(customerId, keyId);
    const { key, record } = this.d.keys.rotate(keyId);
    this.d.logger.info({ event: 'key.rotated', keyId, newKeyId: record.id, customerId, by: 'customer' }, 'customer rotated a key');
    return { key, record: toKeyView(record) };
  }

  revokeKey(customerId: string, keyId: string) {
    this.ownKey(customerId, keyId);
    const record = this.d.keys.revoke(keyId);
    this.d.logger.info({ event: 'key.revoked', keyId, customerId, by: 'customer' }, 'customer revoked a key');
    return toKeyView(record);
  }

  // --- buying -------------------------------------------------------------------------------

  paymentOptions(): PaymentOption[] {
    const stars = this.d.settings().starsEnabled ? [{ method: 'stars', label: '⭐ Telegram Stars' }] : [];
    return [...stars, ...this.d.crypto.options()];
  }

  order(customerId: string, what: { packageId: string } | { topupUsd: string }) {
    if ('packageId' in what) {
      const pkg = this.package(what.packageId);
      if (!pkg || pkg.priceMicro === null) throw new ShopError('that package is not for sale', 'not_found');
      const o = this.d.engine.createOrder({ customerId, kind: 'package', packageId: pkg.id, usdMicro: pkg.priceMicro });
      return { orderId: o.id, usdMicro: o.usd_micro };
    }
    let usd: number;
    try {
      usd = usdToMicro(what.topupUsd);
    } catch {
      throw new ShopError('send an amount in dollars such as 10 or 25.50', 'invalid');
    }
    if (usd < 1_000_000 || usd > MAX_TOPUP_MICRO) throw new ShopError('top-ups are from $1 to $10,000', 'invalid');
    const o = this.d.engine.createOrder({ customerId, kind: 'topup', packageId: null, usdMicro: usd });
    return { orderId: o.id, usdMicro: o.usd_micro };
  }

  private pendingOrder(orderId: string) {
    const order = this.d.invoices.order(orderId);
    if (!order || order.status !== 'pending') throw new ShopError('that order is no longer open; start again from the catalog', 'not_found');
    return order;
  }

  async cryptoInvoice(orderId: string, method: string): Promise<CryptoInvoiceDisplay> {
    const order = this.pendingOrder(orderId);
    if (!this.d.crypto.options().some((o) => o.method === method)) throw new ShopError('that payment method is not available', 'unavailable');
    const prepared = await this.d.crypto.prepare(method, order.usd_micro);
    const row = this.d.engine.createInvoice({
      order,
      method: method as 'btc',
      asset: prepared.asset,
      decimals: prepared.decimals,
      amountBase: prepared.amountBase,
      rate: prepared.rate,
      address: prepared.addressKey,
      fromBlock: prepared.fromBlock ?? null,
      derivationIndex: prepared.derivationIndex,
      uri: prepared.uri,
      ttlMinutes: this.d.settings().invoiceTtlMinutes,
    });
    const { decimals: _d, amountBase: _a, rate: _r, derivationIndex: _i, addressKey: _k, fromBlock: _f, ...display } = prepared;
    return { ...display, invoice: toInvoiceView(row) };
  }

  starsInvoice(orderId: string): StarsInvoiceDisplay {
    const s = this.d.settings();
    if (!s.starsEnabled) throw new ShopError('Stars payments are not available', 'unavailable');
    const order = this.pendingOrder(orderId);
    const perStar = usdToMicro(s.usdPerStar);
    const stars = Math.max(1, Math.ceil(order.usd_micro / perStar));
    const row = this.d.engine.createInvoice({
      order,
      method: 'stars',
      asset: 'XTR',
      decimals: 0,
      amountBase: BigInt(stars),
      rate: s.usdPerStar,
      address: null,
      derivationIndex: null,
      uri: null,
      ttlMinutes: s.invoiceTtlMinutes,
    });
    const pkg = order.package_id ? this.d.packages.get(order.package_id) : undefined;
    return {
      invoice: toInvoiceView(row),
      title: pkg ? pkg.description.slice(0, 32) : `Balance top-up $${(order.usd_micro / 1e6).toFixed(2)}`.slice(0, 32),
      description: pkg ? pkg.description.slice(0, 255) : `Adds $${(order.usd_micro / 1e6).toFixed(2)} to your API balance`,
      payload: row.id,
      stars,
    };
  }

  invoice(invoiceId: string) {
    const row = this.d.invoices.invoice(invoiceId);
    return row ? this.d.decorate(toInvoiceView(row)) : undefined;
  }

  preCheckout(payload: string, currency: string, totalAmount: number, telegramId: number): string | undefined {
    const inv = this.d.invoices.invoice(payload);
    const c = this.customer(telegramId);
    if (!inv || inv.method !== 'stars' || !c || inv.customer_id !== c.id) return 'This invoice is not valid. Please start the purchase again.';
    if (currency !== 'XTR' || String(totalAmount) !== inv.amount_base) return 'The amount does not match this invoice. Please start the purchase again.';
    if (inv.status !== 'new') return 'This invoice was already paid or closed.';
    if (inv.expires_at <= new Date().toISOString()) return 'This invoice has expired. Please start the purchase again.';
    return undefined;
  }

  starsPaid(payload: string, chargeId: string, totalAmount: number, telegramId: number): void {
    const inv = this.d.invoices.invoice(payload);
    if (!inv || inv.method !== 'stars') {
      this.d.logger.error({ event: 'stars.unmatched_payment', chargeId, telegramId, totalAmount }, 'a Stars payment for no known invoice: refund it from the desktop');
      return;
    }
    this.d.engine.observe([
      { outpoint: `stars:${chargeId}`, method: 'stars', address: inv.id, amountBase: BigInt(totalAmount), blockNumber: null, blockHash: null, confirmations: 1, detail: { telegramId: String(telegramId) } },
    ]);
  }

  // --- support -------------------------------------------------------------------------------

  openTicket(telegramId: number, text: string): Ticket {
    const c = this.requireCustomer(telegramId);
    const id = this.d.support.open(c.id, text.slice(0, 4000));
    this.d.logger.info({ event: 'support.ticket_opened', ticketId: id, customerId: c.id }, 'support ticket opened');
    const view = this.d.support.get(id);
    if (view) this.d.ticketOpened?.(view);
    return this.ticketForReply(id)!;
  }

  ticketForReply(ticketId: string): Ticket | undefined {
    const t = this.d.support.get(ticketId);
    if (!t || t.telegramId === null) return undefined;
    return { id: t.id, customerId: t.customerId, telegramId: t.telegramId, status: t.status, createdAt: t.createdAt };
  }

  // --- the owner -----------------------------------------------------------------------------

  isOwner(telegramId: number): boolean {
    return this.d.settings().ownerIds.includes(telegramId);
  }

  statsText(): string {
    return this.d.reports.stats();
  }

  tokenStatsText(): string {
    return this.d.reports.tokenStats();
  }

  reportText(): string {
    return this.d.reports.today();
  }

  createPackage(model: string, tokens: number, description: string): PackageView {
    const r = this.d.importPackages(JSON.stringify([{ model, tokens, description }]));
    if ('errors' in r) throw new ShopError(r.errors.join('; '), 'invalid');
    const same = r.alreadyForSale[0];
    if (same) throw new ShopError(`an identical package is already for sale (${same.id})`, 'invalid');
    return r.imported[0]!;
  }

  importPackages(json: string) {
    return this.d.importPackages(json);
  }

  announcementRecipients(): number[] {
    return this.d.db
      .prepare('SELECT c.telegram_id FROM customers c LEFT JOIN customer_profiles p ON p.customer_id = c.id WHERE c.telegram_id IS NOT NULL AND p.blocked_at IS NULL')
      .pluck()
      .all() as number[];
  }

  ticketOwnerReply(ticketId: string, text: string): void {
    if (this.d.support.get(ticketId)) this.d.support.add(ticketId, 'owner', text.slice(0, 4000));
  }

  /** The bot could not deliver to this chat because the customer blocked it. */
  customerBlocked(telegramId: number): void {
    const c = this.d.customers.byTelegramId(telegramId);
    if (c) this.d.db.prepare('UPDATE customer_profiles SET blocked_at = ? WHERE customer_id = ?').run(new Date().toISOString(), c.id);
  }
}
