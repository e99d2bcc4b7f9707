/**
 * The business side of the composition root: money, customers, keys, packages, pricing,
 * invoices, the storefront and support — built once over the database and shared by the
 * services (proxy, bot, payments) and the contract handlers. Host owns processes and
 * transports; Business owns what the business knows.
 */
import { Allowances } from '../allowances/allowances.js';
import type { StorefrontEvents } from '../bot/shop-port.js';
import { fail, ok } from '../contract.js';
import type { Settings } from '../config/schema.js';
import { Customers } from '../customers/customers.js';
import { customerHandlers } from '../customers/handlers.js';
import type { Db } from '../db/database.js';
import { keyHandlers } from '../keys/handlers.js';
import { KeyStore } from '../keys/key-store.js';
import { Ledger } from '../ledger/ledger.js';
import type { Logger } from '../log/logger.js';
import { Meter } from '../metering/meter.js';
import { usdToMicro } from '../money/units.js';
import { importPackageItems, packageHandlers, type PackageImportDeps } from '../packages/handlers.js';
import { PackageStore, type PricingContext } from '../packages/package-store.js';
import { OrderFulfilment } from '../payments/fulfilment.js';
import { invoiceHandlers } from '../payments/handlers.js';
import { InvoiceEngine } from '../payments/invoice-engine.js';
import { InvoiceStore, toInvoiceView } from '../payments/invoice-store.js';
import type { PaymentMethod } from '../payments/types.js';
import { reverseStarsPayment } from '../payments/refunds.js';
import type { InvoiceView } from '../contract.js';
import { pricingHandlers } from '../pricing/handlers.js';
import { OverrideStore } from '../pricing/override-store.js';
import { pricingSettingsFrom } from '../pricing/settings.js';
import { proxyHandlers } from '../proxy/handlers.js';
import { reportHandlers } from '../reports/handlers.js';
import type { ProxyService } from '../proxy/proxy-service.js';
import { ProxyStatsWindow } from '../proxy/stats.js';
import { supportHandlers } from '../shop/handlers.js';
import { OwnerReports } from '../shop/owner-reports.js';
import { Shop, type CryptoCheckout } from '../shop/shop.js';
import { Support } from '../shop/support.js';
import { UsageQueries } from '../usage/usage-queries.js';
import type { EventName, EventPayload } from '../contract.js';
import type { Handlers } from './handlers.js';

export interface BusinessDeps {
  db: Db;
  logger: Logger;
  settings: () => Settings;
  publish: <E extends EventName>(stream: E, event: EventPayload<E>) => void;
  audit: (action: string, subject: string, detail: Record<string, unknown>) => void;
  proxy: () => ProxyService | undefined;
  /** The running bot, to tell customers and the owner; undefined while it is not running. */
  storefront: () => StorefrontEvents | undefined;
  crypto: CryptoCheckout;
  /** Proxy usage is written in batches this often (ms); 0 writes each at once. */
  writeBehindMs?: number;
}

/** `btc=2,eth=12` → confirmations per method (ERC-20 tokens follow eth; Stars need none). */
export function confirmationsPolicy(text: string): (method: PaymentMethod) => number {
  const map = new Map(text.split(',').map((p) => p.split('=') as [string, string]).map(([k, v]) => [k, Number(v)]));
  return (method) => (method === 'stars' ? 0 : method === 'btc' ? (map.get('btc') ?? 2) : (map.get('eth') ?? 12));
}

export class Business {
  readonly ledger: Ledger;
  readonly customers: Customers;
  readonly keys: KeyStore;
  readonly allowances: Allowances;
  readonly meter: Meter;
  readonly usage: UsageQueries;
  readonly overrides: OverrideStore;
  readonly packages: PackageStore;
  readonly proxyStats = new ProxyStatsWindow();
  readonly invoices: InvoiceStore;
  readonly engine: InvoiceEngine;
  readonly support: Support;
  readonly reports: OwnerReports;
  readonly shop: Shop;

  constructor(private readonly d: BusinessDeps) {
    const { db, logger } = d;
    this.ledger = new Ledger(db, {
      delayMs: d.writeBehindMs ?? 0,
      onError: (error, label, dropped) =>
        logger.error({ event: 'ledger.write_failed', what: label, dropped, err: String(error) }, dropped ? `a queued ledger write can never succeed and was dropped: ${label}` : `a queued ledger write failed; retrying: ${label}`),
      onBacklog: (waiting, behind) =>
        behind
          ? logger.warn({ event: 'ledger.writer_behind', batches: waiting }, `the ledger's writer thread is ${waiting} batches behind (the machine's CPU or disk is saturated); a crash now would lose those settlements uncharged`)
          : logger.info({ event: 'ledger.writer_caught_up', batches: waiting }, "the ledger's writer thread caught up"),
    });
    this.customers = new Customers(db);
    this.keys = new KeyStore(db);
    this.allowances = new Allowances(db, this.ledger);
    this.meter = new Meter(db, this.ledger, this.allowances);
    this.usage = new UsageQueries(db, () => this.ledger.flush());
    this.overrides = new OverrideStore(db);
    this.packages = new PackageStore(db);
    this.invoices = new InvoiceStore(db);
    this.support = new Support(db);
    this.reports = new OwnerReports(db, () => this.ledger.flush());
    const telegramOf = (customerId: string) => this.customers.get(customerId)?.telegramId ?? null;
    this.engine = new InvoiceEngine({
      store: this.invoices,
      ledger: this.ledger,
      logger,
      fulfilment: new OrderFulfilment({
        db,
        ledger: this.ledger,
        allowances: this.allowances,
        packages: this.packages,
        keys: this.keys,
        logger,
        notify: (n) => {
          const tg = telegramOf(n.order.customer_id);
          const bot = d.storefront();
          const told = tg !== null && bot ? bot.delivered(tg, n.item, n.newKey?.key ?? null) : Promise.resolve(false);
          void told.then((ok) => {
            if (!ok && n.newKey) {
              logger.warn({ event: 'order.key_not_shown', orderId: n.order.id, keyId: n.newKey.id }, 'a new key could not be shown to the customer');
              void bot?.ownerAlert(`⚠️ Order ${n.order.id}: the customer's new key could not be delivered; they can get a fresh one with /keys → Rotate.`);
            }
          });
          if (bot) void bot.ownerAlert(`💰 Sale: ${n.what} to ${this.customers.get(n.order.customer_id)?.name ?? n.order.customer_id} ($${(n.order.usd_micro / 1e6).toFixed(2)}, ${n.invoice.method})`);
        },
      }),
      confirmationsFor: (m) => confirmationsPolicy(d.settings()['payments.confirmations'])(m),
      underpayTolerancePercent: () => d.settings()['payments.underpayTolerancePercent'],
      onInvoiceChanged: (plain) => {
        const invoice = this.decorate(plain);
        d.publish('invoice.changed', invoice);
        const tg = telegramOf(invoice.customerId);
        const bot = d.storefront();
        if (tg !== null && bot) void bot.invoiceChanged(tg, invoice);
      },
      onAttention: (kind, invoice, detail) => {
        logger.warn({ event: `invoice.${kind}`, invoiceId: invoice.id, customerId: invoice.customerId, detail }, `invoice ${invoice.id}: ${detail}`);
        void d.storefront()?.ownerAlert(`⚠️ Invoice ${invoice.id} (${kind}): ${detail}`);
      },
    });
    this.shop = new Shop({
      db,
      customers: this.customers,
      ledger: this.ledger,
      allowances: this.allowances,
      keys: this.keys,
      packages: this.packages,
      usage: this.usage,
      invoices: this.invoices,
      engine: this.engine,
      support: this.support,
      ticketOpened: (ticket) => d.publish('support.changed', ticket),
      reports: this.reports,
      crypto: d.crypto,
      logger,
      settings: () => {
        const s = d.settings();
        return {
          ownerIds: s['telegram.ownerIds'],
          starsEnabled: s['payments.stars.enabled'],
          usdPerStar: s['payments.stars.usdPerStar'],
          invoiceTtlMinutes: s['payments.invoiceTtlMinutes'],
          proxyBaseUrl: s['proxy.publicUrl'] || d.proxy()?.localUrl() || `http://127.0.0.1:${s['proxy.port']}`,
        };
      },
      importPackages: (json) => this.importPackagesJson(json),
      decorate: (v) => this.decorate(v),
    });
  }

  /** What package prices are computed from right now. */
  pricingContext(): PricingContext {
    const proxy = this.d.proxy();
    return { lookup: (id) => proxy?.model(id), settings: pricingSettingsFrom(this.d.settings()), overrides: this.overrides.all() };
  }

  /** Brings package prices in line with the catalog and the pricing rules, logging each change. */
  repricePackages(why: string): void {
    for (const c of this.packages.reprice(this.pricingContext())) {
      this.d.logger.info(
        { event: 'pricing.package_repriced', packageId: c.id, model: c.model, tokens: c.tokens, beforeMicro: c.beforeMicro, afterMicro: c.afterMicro, why },
        `package ${c.id} (${c.model}) repriced`,
      );
    }
  }

  private importPackagesJson(json: string): ReturnType<PackageStore['importNew']> | { errors: string[] } {
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch (error) {
      return { errors: [`not valid JSON: ${(error as Error).message}`] };
    }
    const result = importPackageItems(this.packageImportDeps(), data, { via: 'telegram' });
    return result.ok ? { imported: result.imported, alreadyForSale: result.alreadyForSale } : { errors: result.errors };
  }

  private packageImportDeps(): PackageImportDeps {
    return { packages: this.packages, pricing: () => this.pricingContext(), knownModels: () => this.knownModels(), audit: this.d.audit };
  }

  /** The upstream catalog's model ids, or null before any catalog was loaded (owner input is then not checked). */
  knownModels(): ReadonlySet<string> | null {
    const models = this.d.proxy()?.models() ?? [];
    return models.length ? new Set(models.map((m) => m.id)) : null;
  }

  /** Housekeeping on a timer: expired allowances and invoices. */
  tick(): void {
    const lots = this.allowances.expire();
    if (lots) this.d.logger.info({ event: 'allowance.expired', lots }, `${lots} allowance lot(s) expired`);
    this.engine.expireDue();
  }

  handlers(): Omit<Handlers, 'system.status' | 'settings.get' | 'settings.update' | 'logs.tail' | 'setup.check' | 'system.attention'> {
    const { logger, audit } = this.d;
    return {
      ...customerHandlers({
        knownModels: () => this.knownModels(),
        customers: this.customers,
        ledger: this.ledger,
        keys: this.keys,
        usage: this.usage,
        allowances: this.allowances,
        invoicesOf: (customerId) => this.invoices.list({ customerId, limit: 50 }).map(toInvoiceView),
        lastActivity: () =>
          new Map(
            (
              this.d.db
                .prepare(
                  `SELECT customer_id AS id, MAX(at) AS at FROM (
                     SELECT customer_id, MAX(at) AS at FROM requests GROUP BY customer_id
                     UNION ALL SELECT customer_id, MAX(at) AS at FROM ledger_transactions WHERE customer_id IS NOT NULL GROUP BY customer_id
                   ) GROUP BY customer_id`,
                )
                .all() as { id: string; at: string }[]
            ).map((r) => [r.id, r.at]),
          ),
        logger,
        audit,
      }),
      ...keyHandlers({
        keys: this.keys,
        customers: this.customers,
        logger,
        audit,
        knownModels: () => this.knownModels(),
      }),
      ...proxyHandlers({ usage: this.usage, stats: this.proxyStats, requireCustomer: (id) => this.customers.require(id) }),
      ...reportHandlers({
        db: this.d.db,
        upstream: () => {
          const s = this.d.settings();
          return { configured: s['upstream.apiKey'] !== '', credit: this.d.proxy()?.credit() ?? null, lowCreditThresholdMicro: usdToMicro(s['upstream.lowCreditUsd']) };
        },
      }),
      ...packageHandlers({ ...this.packageImportDeps(), logger }),
      ...pricingHandlers({
        models: () => this.d.proxy()?.models() ?? [],
        catalogStatus: () => this.d.proxy()?.catalogStatus(),
        settings: () => pricingSettingsFrom(this.d.settings()),
        markupPercent: () => this.d.settings()['pricing.markupPercent'],
        overrides: this.overrides,
        lookup: (id) => this.d.proxy()?.model(id),
        packages: () => this.packages.list(true),
        onOverrideChanged: () => this.repricePackages('a price override changed'),
        logger,
        audit,
      }),
      ...invoiceHandlers({ store: this.invoices, engine: this.engine, decorate: (v) => this.decorate(v), refundStars: (id, memo) => this.refundStars(id, memo), audit }),
      ...supportHandlers({
        support: this.support,
        sendReply: async (ticket, text) => {
          const bot = this.d.storefront();
          const t = this.shop.ticketForReply(ticket.id);
          if (!t) return { delivered: false, reason: 'the customer has no Telegram chat with the bot' };
          if (!bot) return { delivered: false, reason: 'the Telegram bot is not running (see the Status screen); the reply is kept in the ticket' };
          return (await bot.ticketReply(t, text)) ? { delivered: true } : { delivered: false, reason: 'Telegram refused it (the customer may have blocked the bot)' };
        },
        onChanged: (ticket) => this.d.publish('support.changed', ticket),
        audit,
      }),
      'customers.message': async (input) => {
        const customer = this.customers.get(input.customerId);
        if (!customer) return fail('not_found', `no customer ${input.customerId}`);
        if (customer.telegramId === null) return fail('conflict', `${customer.name} has no Telegram id, so the bot cannot write to them`);
        const bot = this.d.storefront();
        if (!bot?.customerMessage) return fail('conflict', 'the Telegram bot is not running (see the Status screen); nothing was sent');
        const delivered = await bot.customerMessage(customer.telegramId, input.text);
        audit('customers.message', customer.id, { telegramId: customer.telegramId, delivered, chars: input.text.length });
        logger.info({ event: 'customers.messaged', customerId: customer.id, delivered }, `message to ${customer.id} ${delivered ? 'delivered' : 'not delivered'}`);
        return ok(delivered ? { delivered } : { delivered, reason: 'Telegram refused it (the customer may have blocked the bot or never started it)' });
      },
      'upstream.status': async () => {
        const proxy = this.d.proxy();
        const c = proxy?.catalogStatus();
        const s = this.d.settings();
        return ok({
          configured: s['upstream.apiKey'] !== '',
          baseUrl: s['upstream.baseUrl'],
          catalog: c ? { source: c.source, models: c.models, lastSuccessAt: c.lastSuccessAt, lastError: c.lastError } : null,
          credit: proxy?.credit() ?? null,
          lowCreditThresholdMicro: usdToMicro(s['upstream.lowCreditUsd']),
        });
      },
      'ledger.verify': async () => {
        const problems = this.ledger.checkInvariants();
        const transactions = this.d.db.prepare('SELECT COUNT(*) FROM ledger_transactions').pluck().get() as number;
        return ok({ ok: problems.length === 0, problems, openReservations: this.meter.openReservations(), transactions });
      },
    };
  }

  /** Adds what the UI and the bot show beside the stored invoice: the confirmations it needs. */
  decorate(invoice: InvoiceView): InvoiceView {
    return { ...invoice, requiredConfirmations: confirmationsPolicy(this.d.settings()['payments.confirmations'])(invoice.method as PaymentMethod) };
  }

  /**
   * Refunds a Stars payment through Telegram, then reverses it in the ledger: the package sale
   * (and what is left of its allowance) and the payment credit. Once per charge.
   */
  async refundStars(invoiceId: string, memo: string): Promise<InvoiceView> {
    const inv = this.invoices.invoice(invoiceId);
    if (!inv) throw Object.assign(new Error(`no invoice ${invoiceId}`), { code: 'not_found' });
    const payment = this.invoices.payments(invoiceId).find((p) => p.outpoint.startsWith('stars:') && p.status === 'confirmed');
    if (inv.method !== 'stars' || !payment) throw Object.assign(new Error(`invoice ${invoiceId} has no Stars payment to refund`), { code: 'conflict' });
    if (inv.flags.split(',').includes('refunded')) throw Object.assign(new Error(`invoice ${invoiceId} was already refunded`), { code: 'conflict' });
    const telegramId = this.customers.get(inv.customer_id)?.telegramId;
    const bot = this.d.storefront() as (StorefrontEvents & { refundStars?: (tg: number, charge: string) => Promise<void> }) | undefined;
    if (!telegramId || !bot?.refundStars) throw Object.assign(new Error('the Telegram bot must be running to refund Stars'), { code: 'conflict' });
    await bot.refundStars(telegramId, payment.outpoint.slice('stars:'.length));
    this.d.db.transaction(() => reverseStarsPayment(this.d.db, this.ledger, this.allowances, inv, payment.outpoint, memo))();
    this.d.logger.info({ event: 'invoice.refunded', invoiceId, customerId: inv.customer_id, memo }, `Stars payment for ${invoiceId} refunded`);
    const view = this.decorate(toInvoiceView(this.invoices.invoice(invoiceId)!));
    this.d.publish('invoice.changed', view);
    return view;
  }
}
