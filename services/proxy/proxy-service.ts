/**
 * The reselling proxy as a managed service of the host: the customer-facing server plus what it
 * needs at run time — the upstream client (keep-alive pool), the model catalog (refreshed on a
 * schedule, persisted so a restart without network still knows prices), the price book and the
 * upstream credit monitor. Restarted by the host when proxy.* or upstream.* settings change.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import type { ProxyRequestEvent } from '../contract.js';
import type { Allowances } from '../allowances/allowances.js';
import type { Customers } from '../customers/customers.js';
import type { Db } from '../db/database.js';
import type { ManagedService, ServiceContext } from '../host/service-runner.js';
import type { KeyStore } from '../keys/key-store.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Meter } from '../metering/meter.js';
import { formatUsd, usdToMicro } from '../money/units.js';
import type { OverrideStore } from '../pricing/override-store.js';
import { pricingSettingsFrom } from '../pricing/settings.js';
import type { Settings } from '../config/schema.js';
import { ModelCatalog, readSavedCatalog, type CatalogStatus, type SavedCatalog } from '../upstream/catalog.js';
import type { UpstreamModel } from '../upstream/models.js';
import { UpstreamClient } from '../upstream/client.js';
import { UpstreamTroubleLog } from './upstream-trouble.js';
import { CreditMonitor } from '../upstream/credit-monitor.js';
import { LivePriceBook } from './price-book.js';
import { createProxyServer, listen } from './proxy-server.js';
import { RateLimiter } from './rate-limits.js';
import { AuthFailureGuard } from './auth-guard.js';
import type { ProxyStatsWindow } from './stats.js';
import { usageParsing } from './usage-parsing.js';
import { RefusalRetention } from '../usage/refusal-retention.js';

export interface ProxyServiceDeps {
  version: string;
  dataDir: string;
  /** Read side, for pruning old refusals (proxy.refusedRetentionDays). */
  db: Db;
  keys: KeyStore;
  customers: Customers;
  ledger: Ledger;
  allowances: Allowances;
  meter: Meter;
  overrides: OverrideStore;
  stats: ProxyStatsWindow;
  getSettings: () => Settings;
  onRequest: (event: ProxyRequestEvent) => void;
  /** The catalog, an override or the start-up changed what things cost (packages follow); `why` is logged. */
  onPricesChanged: (why: string) => void;
}

export class ProxyService implements ManagedService {
  readonly id = 'proxy';
  readonly name = 'Reselling proxy';
  private server: Server | undefined;
  private upstream: UpstreamClient | undefined;
  private catalog: ModelCatalog | undefined;
  private credits: CreditMonitor | undefined;
  private retention: RefusalRetention | undefined;
  /** Clients of earlier runs still finishing generation look-ups (stop()). */
  private readonly retiring = new Map<UpstreamClient, Promise<void>>();
  private unsubscribe: (() => void)[] = [];
  private detail: Record<string, string> = {};
  private saved: SavedCatalog | null | undefined;
  /** The price book of the running proxy (for the pricing screens). */
  prices: LivePriceBook | undefined;

  /** The upstream model as last loaded (for package prices). */
  model(id: string): UpstreamModel | undefined {
    return this.catalog ? this.catalog.get(id) : this.savedCatalog()?.models.find((m) => m.id === id);
  }

  /** The proxy's own URL while it listens (for quick-starts when no public URL is set). */
  localUrl(): string | undefined {
    return this.detail.url;
  }

  models(): UpstreamModel[] {
    return this.catalog ? this.catalog.list() : (this.savedCatalog()?.models ?? []);
  }

  catalogStatus(): CatalogStatus | undefined {
    if (this.catalog) return this.catalog.status;
    const saved = this.savedCatalog();
    return saved ? { source: 'file', models: saved.models.length, lastSuccessAt: saved.savedAt, lastAttemptAt: null, lastError: null, consecutiveFailures: 0 } : undefined;
  }

  /**
   * Never started (the CLI on a data dir with no host running): the catalog the last run saved,
   * so prices and packages read the same offline as online.
   */
  private savedCatalog(): SavedCatalog | null {
    if (this.saved === undefined) this.saved = readSavedCatalog(this.catalogFile());
    return this.saved;
  }

  private catalogFile(): string {
    return path.join(this.deps.dataDir, 'cache', 'upstream-models.json');
  }

  /** The last upstream credit reading, and whether the low-credit alert is raised. */
  credit(): { remainingMicro: number | null; low: boolean; checkedAt: string | null; error: string | null } | undefined {
    if (!this.credits) return undefined;
    const last = this.credits.last;
    return { remainingMicro: last?.remainingMicro ?? null, low: this.credits.low, checkedAt: last ? String(last.checkedAt) : null, error: this.credits.lastError };
  }
  /** The port actually bound (useful when proxy.port is 0). */
  port = 0;

  constructor(private readonly deps: ProxyServiceDeps) {}

  checkConfig(_settings: Settings): string | null {
    return null; // serves /health and key status without an upstream; chat requests say what is missing
  }

  async start(ctx: ServiceContext) {
    const s = ctx.settings;
    this.detail = {};
    const log = ctx.logger;
    const timeoutMs = s['upstream.timeoutSeconds'] * 1000;
    const upstream = new UpstreamClient({
      baseUrl: s['upstream.baseUrl'],
      apiKey: s['upstream.apiKey'],
      ...(s['upstream.appUrl'] ? { referer: s['upstream.appUrl'] } : {}),
      ...(s['upstream.appTitle'] ? { title: s['upstream.appTitle'] } : {}),
      headersTimeoutMs: timeoutMs,
      bodyTimeoutMs: timeoutMs,
      logger: log,
    });
    this.upstream = upstream;
    const catalog = new ModelCatalog({
      source: upstream,
      logger: log,
      refreshIntervalMs: s['upstream.catalogRefreshMinutes'] * 60_000,
      persistPath: this.catalogFile(),
    });
    this.catalog = catalog;
    const prices = new LivePriceBook(() => catalog.list(), () => pricingSettingsFrom(this.deps.getSettings()), () => this.deps.overrides.all());
    this.prices = prices;
    /** Prices follow what is loaded now; the count on the status line too, once it shows one. */
    const reprice = (why: string) => {
      prices.rebuild();
      if (this.detail.models !== undefined) {
        this.detail = { ...this.detail, models: String(prices.all().length) };
        ctx.setDetail(this.detail);
      }
      this.deps.onPricesChanged(why);
    };
    this.unsubscribe.push(
      catalog.onChange((changes, info) => {
        reprice('upstream prices changed');
        if (!info.initial) {
          for (const c of changes.slice(0, 50)) log.info({ event: 'pricing.upstream_price_changed', model: c.id, kind: c.kind, before: c.before, after: c.after }, `upstream price ${c.kind}: ${c.id}`);
        }
      }),
      catalog.onRefreshFailed((error) => ctx.degraded(`cannot refresh the model catalog from ${upstream.baseUrl} (${error.message}); selling at the last known prices`)),
      this.deps.overrides.onChange(() => reprice('a price override changed')),
    );
    // Without an upstream key the proxy contacts nobody: it serves /health and key status, and
    // refuses chat requests saying what is missing (a fresh install, or a machine offline).
    const configured = s['upstream.apiKey'] !== '';
    const first = configured ? await catalog.start() : { ok: true as const, models: 0, changes: [] };
    // Price from what is loaded now, whether or not the start changed anything: a catalog read
    // from the saved file that matches the upstream reports no change, and the pricing settings
    // may have changed while the proxy was stopped (packages follow them too). Without an
    // upstream key nothing was loaded: packages keep their prices until there is one.
    if (configured) reprice('the proxy started');

    this.credits = new CreditMonitor({
      source: upstream,
      thresholdMicro: usdToMicro(s['upstream.lowCreditUsd']),
      intervalMs: s['upstream.creditCheckMinutes'] * 60_000,
      logger: log,
      onChecked: (status) => {
        if (status.remainingMicro === null) return;
        this.detail = { ...this.detail, upstreamCredit: `${formatUsd(status.remainingMicro)} left${this.credits?.low ? ' (LOW)' : ''}` };
        ctx.setDetail(this.detail);
      },
    });
    if (configured) void this.credits.start();

    this.retention = new RefusalRetention(this.deps.db, this.deps.ledger, s['proxy.refusedRetentionDays'], log);
    this.retention.start();

    const troubleLog = new UpstreamTroubleLog(log);
    this.server = createProxyServer(
      { version: this.deps.version, publicUrl: s['proxy.publicUrl'] },
      {
        keys: this.deps.keys,
        customers: this.deps.customers,
        ledger: this.deps.ledger,
        allowances: this.deps.allowances,
        stats: this.deps.stats,
        authGuard: new AuthFailureGuard(),
        trustedProxies: new Set(s['proxy.trustedProxies']),
        meter: this.deps.meter,
        limiter: new RateLimiter(),
        prices,
        upstream,
        usage: usageParsing,
        logger: log,
        policy: () => ({ maxBodyBytes: Math.round(s['proxy.maxBodyMb'] * 1_048_576), defaultMaxTokens: s['proxy.defaultMaxTokens'], upstreamConfigured: configured }),
        onUpstreamTrouble: (trouble) => troubleLog.report(trouble),
        onRequest: (event) => {
          this.deps.stats.record(event.outcome === 'ok' ? 'ok' : event.outcome, event.latencyMs, event.chargedMicro, event.upstreamCostMicro);
          this.deps.onRequest(event);
        },
        // Counted in the stats by the server itself (proxy-call.ts); here only to the UI's feed.
        onRefused: (event) => this.deps.onRequest(event),
      },
    );
    const address = await listen(this.server, s['proxy.host'], s['proxy.port']);
    this.port = address.port;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    const offered = prices.all().length;
    // The first credit reading may already have arrived; keep it.
    const detail = { ...this.detail, url, health: `${url}/health`, upstream: upstream.baseUrl, models: String(offered) };
    this.detail = detail;
    if (!configured) {
      return { reason: `listening on ${url}; not selling yet: upstream.apiKey is empty (arbdesk config set upstream.apiKey)`, detail, degraded: true };
    }
    if (!first.ok && offered === 0) {
      return { reason: `listening on ${url}, but no models to sell: the catalog could not be loaded from ${upstream.baseUrl} (${first.error.message})`, detail, degraded: true };
    }
    if (!first.ok) return { reason: `listening on ${url}; selling ${offered} models at saved prices (catalog refresh failed: ${first.error.message})`, detail, degraded: true };
    return { reason: `listening on ${url}; ${offered} models for sale`, detail };
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    this.catalog?.stop();
    this.credits?.stop();
    this.retention?.stop();
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    // Its generation look-ups settle requests already answered: they finish on the old client
    // while a restarted proxy serves with a new one (a shutdown cuts them short: finishLookups).
    const upstream = this.upstream;
    this.upstream = undefined;
    if (upstream) {
      const closed: Promise<void> = upstream
        .close()
        .catch(() => undefined)
        .finally(() => this.retiring.delete(upstream));
      this.retiring.set(upstream, closed);
    }
  }

  /**
   * At host shutdown, before the ledger closes: look-ups still running get `graceMs` to finish,
   * then are aborted, and their requests settle from the estimate (never left unsettled).
   */
  async finishLookups(graceMs: number): Promise<void> {
    const closing = [...this.retiring.values()];
    if (closing.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const outcome = await Promise.race([Promise.all(closing).then(() => 'done' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') await Promise.all([...this.retiring.keys()].map((u) => u.destroy().catch(() => undefined)));
  }
}
