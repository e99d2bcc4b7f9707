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
import { startCheckpoints } from '../db/checkpointer.js';
import { openDatabase, type Db } from '../db/database.js';
import { ProxyService } from '../proxy/proxy-service.js';
import { BotService } from '../bot/bot-service.js';
import type { StorefrontEvents } from '../bot/shop-port.js';
import { cryptoCheckout } from '../payments/crypto-checkout.js';
import { cryptoSetupCache, type CryptoSetup } from '../payments/crypto-accounts.js';
import { PaymentsService } from '../payments/payments-service.js';
import { Business } from './business.js';
import { WRITE_BEHIND_MS } from '../ledger/write-behind.js';
import { EventBatcher } from '../events/batcher.js';
import { createHostLogger, type HostLogger, type Logger } from '../log/logger.js';
import { VERSION } from '../version.js';
import { errorMessage } from './errors.js';
import { createHandlers, type Handlers } from './handlers.js';
import { builtInServices } from './service-catalog.js';
import { ALERT_STREAMS, OwnerAlerts } from '../setup/alerts.js';
import { setupHandlers } from '../setup/handlers.js';
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
  /** How often proxy usage is written to the database in one batch (default WRITE_BEHIND_MS; 0: at once). */
  writeBehindMs?: number;
}

/** How long a stopping host lets the proxy's generation look-ups finish (then settles them from an estimate). */
const LOOKUP_GRACE_MS = 3_000;

export class Host {
  readonly startedAt = new Date();
  readonly settings: SettingsService;
  readonly db: Db;
  readonly log: HostLogger;
  readonly runners: ServiceRunner[];
  /** Money, customers, keys, packages, invoices, the storefront (see business.ts). */
  readonly business: Business;
  /** The owner's crypto setup parsed from the settings (cached per change). */
  readonly cryptoSetup: () => CryptoSetup;
  private readonly batcher: EventBatcher;
  private readonly listeners = new Set<(batch: EventBatch) => void>();
  private readonly handlers: Handlers;
  /** One-off owner alerts (sale, new ticket, low credit, service down) from the host's own events. */
  readonly alerts: OwnerAlerts;
  private stopped = false;
  /** start() ran: a Host the CLI opens for one command (services never started) stops without a word. */
  private started = false;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private stopCheckpoints: (() => Promise<void>) | undefined;

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
    this.batcher = new EventBatcher({
      onFlush: (batch) => {
        if (ALERT_STREAMS.has(batch.stream)) this.alerts.apply(batch);
        this.listeners.forEach((l) => l(batch));
      },
    });
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
    this.cryptoSetup = cryptoSetupCache(() => this.settings.settings);
    this.business = new Business({
      db,
      writeBehindMs: options.writeBehindMs ?? WRITE_BEHIND_MS,
      logger: this.logger,
      settings: () => this.settings.settings,
      publish: (stream, event) => this.publish(stream, event),
      audit: (action, subject, detail) => this.audit('owner', action, subject, detail),
      proxy: () => this.proxyService(),
      storefront: () => this.storefront(),
      crypto: cryptoCheckout(
        () => this.cryptoSetup(),
        (chain) => this.business.invoices.nextIndex(chain),
        () => this.paymentsService()?.ethTip ?? null,
        this.logger,
      ),
    });

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
    const credit = () => this.proxyService()?.credit();
    this.alerts = new OwnerAlerts({
      enabled: () => this.settings.settings['notifications.enabled'],
      publish: (alert) => this.publish('owner.alert', alert),
      credit,
      customerName: (id) => this.business.customers.get(id)?.name,
      openTickets: () => this.business.support.list('open', 20),
    });
    this.handlers = {
      ...createHandlers(this),
      ...this.business.handlers(),
      ...setupHandlers({ db, settings: () => this.settings.settings, services: () => this.serviceStatuses(), credit }),
    };
  }

  get logger(): Logger {
    return this.log.logger;
  }

  get version(): string {
    return VERSION;
  }

  async start(): Promise<void> {
    this.started = true;
    const released = this.meter.reconcile();
    if (released) this.logger.warn({ event: 'metering.reconciled', released }, `released ${released} reservation(s) left by an unclean stop`);
    this.business.tick();
    const housekeeping = setInterval(() => this.business.tick(), 60_000);
    housekeeping.unref();
    this.timers.push(housekeeping);
    this.alerts.primeTickets();
    const creditWatch = setInterval(() => {
      this.alerts.checkCredit();
      this.alerts.checkTickets();
    }, 15_000);
    creditWatch.unref();
    this.timers.push(creditWatch);
    this.stopCheckpoints = startCheckpoints(this.db, 1000, (message) => this.logger.warn({ event: 'db.checkpoint_failed', err: message }, `WAL checkpoint failed: ${message}`));
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
    if (this.started) this.logger.info({ event: 'host.stopping', reason }, `stopping: ${reason}`);
    for (const t of this.timers.splice(0)) clearInterval(t);
    await this.stopCheckpoints?.();
    await Promise.all(this.runners.map((r) => r.stop(reason)));
    // Requests waiting for their cost from the upstream settle before the ledger closes.
    await this.proxyService()?.finishLookups(LOOKUP_GRACE_MS);
    await this.business.ledger.close();
    this.batcher.flush();
    this.batcher.stop();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
    if (this.started) this.logger.info({ event: 'host.stopped', reason }, `stopped: ${reason}`);
    await this.log.close();
  }

  /** Every command from every transport comes through here: allowlist, validation, handler. */
  async dispatch(method: unknown, input: unknown): Promise<Result<unknown>> {
    const checked = checkCommand(method, input);
    if (!checked.ok) return checked;
    // Commands read the journal with SQL: write what the proxy has queued first (cheap when empty).
    this.business.ledger.flush();
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

  /**
   * Queues an event for the UI (batched). With no UI connected only what the owner alerts read
   * is kept: the proxy publishes an event per request, and holding each for a batch nobody
   * receives would only feed the garbage collector's slow full collections (docs/benchmarks.md).
   */
  publish<E extends EventName>(stream: E, event: EventPayload<E>): void {
    if (this.listeners.size > 0 || ALERT_STREAMS.has(stream)) this.batcher.push(stream, event);
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

  // Shortcuts used by services and tests.
  get ledger() {
    return this.business.ledger;
  }
  get customers() {
    return this.business.customers;
  }
  get keys() {
    return this.business.keys;
  }
  get allowances() {
    return this.business.allowances;
  }
  get meter() {
    return this.business.meter;
  }
  get overrides() {
    return this.business.overrides;
  }
  get proxyStats() {
    return this.business.proxyStats;
  }

  repricePackages(why: string): void {
    this.business.repricePackages(why);
  }

  private proxyService(): ProxyService | undefined {
    return this.runners?.find((r) => r.service instanceof ProxyService)?.service as ProxyService | undefined;
  }

  private paymentsService(): PaymentsService | undefined {
    return this.runners?.find((r) => r.service instanceof PaymentsService)?.service as PaymentsService | undefined;
  }

  /** The storefront, while the bot runs. */
  private storefront(): StorefrontEvents | undefined {
    const runner = this.runners?.find((r) => r.service instanceof BotService);
    if (!runner || (runner.status.state !== 'running' && runner.status.state !== 'degraded')) return undefined;
    return runner.service as unknown as StorefrontEvents;
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
      this.business.repricePackages(`pricing settings changed: ${changed.filter((k) => k.startsWith('pricing.')).join(', ')}`);
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
