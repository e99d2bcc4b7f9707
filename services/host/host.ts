/**
 * The services host: the composition root that owns the data dir, SQLite, settings, logs and
 * every service, and answers the contract. The same class runs inside the Electron utility
 * process (desktop) and inside `arbdesk serve` (headless); only the transport around it differs.
 *
 * Capabilities get what they need passed in here (settings, a logger, the database); there is
 * no global state and no DI framework.
 */
import type { CommandName, EventBatch, EventName, EventPayload, Result, ServiceStatus, SystemStatus } from '../contract.js';
import { checkCommand, fail } from '../contract.js';
import { dataFiles, ensureDataDir } from '../config/data-dir.js';
import { FileSecretStore, type SecretStore } from '../config/files.js';
import { ConfigError } from '../config/load.js';
import { getDef, SETTING_KEYS, type SettingKey } from '../config/schema.js';
import { SettingsService } from '../config/settings-service.js';
import { openDatabase, type Db } from '../db/database.js';
import { Customers } from '../customers/customers.js';
import { customerHandlers } from '../customers/handlers.js';
import { KeyStore } from '../keys/key-store.js';
import { keyHandlers } from '../keys/handlers.js';
import { Ledger } from '../ledger/ledger.js';
import { Meter } from '../metering/meter.js';
import { Allowances } from '../allowances/allowances.js';
import { OverrideStore } from '../pricing/override-store.js';
import { proxyHandlers } from '../proxy/handlers.js';
import { ProxyStatsWindow } from '../proxy/stats.js';
import { UsageQueries } from '../usage/usage-queries.js';
import { PackageStore, type PricingContext } from '../packages/package-store.js';
import { packageHandlers } from '../packages/handlers.js';
import { pricingHandlers } from '../pricing/handlers.js';
import { pricingSettingsFrom } from '../pricing/settings.js';
import { ProxyService } from '../proxy/proxy-service.js';
import { ok } from '../contract.js';
import { usdToMicro } from '../money/units.js';
import { EventBatcher } from '../events/batcher.js';
import { createHostLogger, type HostLogger, type Logger } from '../log/logger.js';
import { VERSION } from '../version.js';
import { errorMessage } from './errors.js';
import { createHandlers, type Handlers } from './handlers.js';
import { builtInServices } from './service-catalog.js';
import { ServiceRunner, type ManagedService } from './service-runner.js';

export interface HostOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  env?: Record<string, string | undefined>;
  /** Settings given as command-line flags. */
  flags?: Partial<Record<SettingKey, unknown>>;
  /** Defaults to secrets.json (0600) in the data dir. */
  secrets?: SecretStore;
  /** Also write logs to stdout (headless). */
  stdoutLogs?: boolean;
  /** Replace the built-in services (tests). */
  services?: (host: Host) => ManagedService[];
  /** Supervisor backoff start, ms (tests use small values). */
  initialBackoffMs?: number;
}

export class Host {
  readonly startedAt = new Date();
  readonly settings: SettingsService;
  readonly db: Db;
  readonly log: HostLogger;
  readonly runners: ServiceRunner[];
  // The reselling business: money, customers, keys, usage. Shared by the proxy and the handlers.
  readonly ledger: Ledger;
  readonly customers: Customers;
  readonly keys: KeyStore;
  readonly meter: Meter;
  readonly allowances: Allowances;
  readonly usage: UsageQueries;
  readonly overrides: OverrideStore;
  readonly packages: PackageStore;
  readonly proxyStats = new ProxyStatsWindow();
  private readonly batcher: EventBatcher;
  private readonly listeners = new Set<(batch: EventBatch) => void>();
  private readonly handlers: Handlers;
  private stopped = false;
  private readonly timers: ReturnType<typeof setInterval>[] = [];

  /** Throws ConfigError (bad setting) or Error (data dir unusable) with a message for the owner. */
  constructor(readonly options: HostOptions) {
    ensureDataDir(options.dataDir);
    const files = dataFiles(options.dataDir);
    this.settings = new SettingsService({
      configFile: files.config,
      secrets: options.secrets ?? new FileSecretStore(files.secrets),
      env: options.env ?? process.env,
      flags: options.flags ?? {},
    });
    this.batcher = new EventBatcher({ onFlush: (batch) => this.listeners.forEach((l) => l(batch)) });
    const s = this.settings.settings;
    this.log = createHostLogger({
      logsDir: files.logs,
      level: s['log.level'] as HostLoggerLevel,
      maxFileMb: s['log.maxFileMb'],
      maxFiles: s['log.maxFiles'],
      stdout: options.stdoutLogs ?? false,
      onLine: (line) => this.batcher.push('log', line),
    });
    this.refreshScrubber();
    const { db, applied } = openDatabase(files.database);
    this.db = db;
    for (const m of applied) this.logger.info({ event: 'db.migrated', version: m.version, name: m.name }, `database migrated to version ${m.version}`);
    this.ledger = new Ledger(db);
    this.customers = new Customers(db);
    this.keys = new KeyStore(db);
    this.allowances = new Allowances(db, this.ledger);
    this.meter = new Meter(db, this.ledger, this.allowances);
    this.usage = new UsageQueries(db);
    this.overrides = new OverrideStore(db);
    this.packages = new PackageStore(db);

    const services = options.services ? options.services(this) : builtInServices(this);
    this.runners = services.map(
      (service) =>
        new ServiceRunner(service, {
          getSettings: () => this.settings.settings,
          logger: this.logger,
          onStatus: (status) => this.batcher.push('service.status', status),
          describeError: (error) => this.log.scrubber.scrub(errorMessage(error)),
          ...(options.initialBackoffMs ? { initialBackoffMs: options.initialBackoffMs } : {}),
        }),
    );
    this.settings.onChange((changed) => void this.applySettingsChange(changed));
    const audit = (action: string, subject: string, detail: Record<string, unknown>) => this.audit('owner', action, subject, detail);
    this.handlers = {
      ...createHandlers(this),
      ...customerHandlers({ customers: this.customers, ledger: this.ledger, keys: this.keys, usage: this.usage, allowances: this.allowances, logger: this.logger, audit }),
      ...keyHandlers({ keys: this.keys, customers: this.customers, logger: this.logger, audit }),
      ...proxyHandlers({ usage: this.usage, stats: this.proxyStats }),
      ...packageHandlers({ packages: this.packages, pricing: () => this.pricingContext(), logger: this.logger, audit }),
      ...pricingHandlers({
        models: () => this.proxyService()?.models() ?? [],
        catalogStatus: () => this.proxyService()?.catalogStatus(),
        settings: () => pricingSettingsFrom(this.settings.settings),
        markupPercent: () => this.settings.settings['pricing.markupPercent'],
        overrides: this.overrides,
        logger: this.logger,
        audit,
      }),
      'upstream.status': async () => {
        const proxy = this.proxyService();
        const c = proxy?.catalogStatus();
        const s = this.settings.settings;
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
        const transactions = this.db.prepare('SELECT COUNT(*) FROM ledger_transactions').pluck().get() as number;
        return ok({ ok: problems.length === 0, problems, openReservations: this.meter.openReservations(), transactions });
      },
    };
  }

  get logger(): Logger {
    return this.log.logger;
  }

  get version(): string {
    return VERSION;
  }

  async start(): Promise<void> {
    const released = this.meter.reconcile();
    if (released) this.logger.warn({ event: 'metering.reconciled', released }, `released ${released} reservation(s) left by an unclean stop`);
    this.expireAllowances();
    const hourly = setInterval(() => this.expireAllowances(), 3_600_000);
    hourly.unref();
    this.timers.push(hourly);
    this.logger.info(
      { event: 'host.started', mode: this.options.mode, version: VERSION, dataDir: this.options.dataDir, pid: process.pid },
      `ArbDesk ${VERSION} services host started (${this.options.mode})`,
    );
    await Promise.all(this.runners.map((r) => r.start()));
  }

  /** Graceful: stops services, flushes events and logs, closes the database. Idempotent. */
  async stop(reason = 'shutting down'): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.logger.info({ event: 'host.stopping', reason }, `stopping: ${reason}`);
    for (const t of this.timers.splice(0)) clearInterval(t);
    await Promise.all(this.runners.map((r) => r.stop(reason)));
    this.batcher.flush();
    this.batcher.stop();
    this.db.close();
    await this.log.close();
  }

  /** Every command from every transport comes through here: allowlist, validation, handler. */
  async dispatch(method: unknown, input: unknown): Promise<Result<unknown>> {
    const checked = checkCommand(method, input);
    if (!checked.ok) return checked;
    try {
      return await this.handlers[checked.method as CommandName](checked.input as never);
    } catch (error) {
      if (error instanceof ConfigError) return fail('invalid_input', this.log.scrubber.scrub(error.message));
      const code = (error as { code?: unknown }).code;
      if (code === 'not_found' || code === 'conflict' || code === 'invalid_input') return fail(code, (error as Error).message);
      const message = this.log.scrubber.scrub(errorMessage(error));
      this.logger.error({ event: 'command.failed', method: checked.method, err: message }, `${checked.method} failed`);
      return fail('internal', `${checked.method} failed: ${message}`);
    }
  }

  /** Queues an event for the UI (batched). */
  publish<E extends EventName>(stream: E, event: EventPayload<E>): void {
    this.batcher.push(stream, event);
  }

  /** Batched events (≤ 1 batch per stream per 100 ms). */
  subscribe(listener: (batch: EventBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  serviceStatuses(): ServiceStatus[] {
    return this.runners.map((r) => r.status);
  }

  systemStatus(): SystemStatus {
    return {
      version: VERSION,
      mode: this.options.mode,
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt.getTime()) / 1000),
      dataDir: this.options.dataDir,
      services: this.serviceStatuses(),
    };
  }

  audit(actor: string, action: string, subject: string, detail: Record<string, unknown>): void {
    this.db
      .prepare('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), actor, action, subject, JSON.stringify(detail));
  }

  private expireAllowances(): void {
    const expired = this.allowances.expire();
    if (expired) this.logger.info({ event: 'allowance.expired', lots: expired }, `${expired} allowance lot(s) expired`);
  }

  private proxyService(): ProxyService | undefined {
    return this.runners.find((r) => r.service instanceof ProxyService)?.service as ProxyService | undefined;
  }

  /** What package prices are computed from right now. */
  pricingContext(): PricingContext {
    const proxy = this.proxyService();
    return {
      lookup: (id) => proxy?.model(id),
      settings: pricingSettingsFrom(this.settings.settings),
      overrides: this.overrides.all(),
    };
  }

  /** Brings package prices in line with the catalog and the pricing rules, logging each change. */
  repricePackages(why: string): void {
    const changes = this.packages.reprice(this.pricingContext());
    for (const c of changes) {
      this.logger.info(
        { event: 'pricing.package_repriced', packageId: c.id, model: c.model, tokens: c.tokens, beforeMicro: c.beforeMicro, afterMicro: c.afterMicro, why },
        `package ${c.id} (${c.model}) repriced`,
      );
    }
  }

  private refreshScrubber(): void {
    const s = this.settings.settings as Record<string, unknown>;
    this.log.scrubber.setSecrets(SETTING_KEYS.filter((k) => getDef(k).secret).map((k) => String(s[k] ?? '')));
  }

  private async applySettingsChange(changed: SettingKey[]): Promise<void> {
    this.refreshScrubber();
    if (changed.includes('log.level')) this.log.setLevel(this.settings.settings['log.level'] as HostLoggerLevel);
    if (changed.some((k) => k.startsWith('pricing.'))) {
      this.proxyService()?.prices?.rebuild();
      this.repricePackages(`pricing settings changed: ${changed.filter((k) => k.startsWith('pricing.')).join(', ')}`);
    }
    const affected = new Set(changed.map((k) => getDef(k).service).filter(Boolean));
    for (const runner of this.runners) {
      if (affected.has(runner.service.id)) {
        const keys = changed.filter((k) => getDef(k).service === runner.service.id).join(', ');
        await runner.restart(`settings changed: ${keys}`);
      }
    }
  }
}

type HostLoggerLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
