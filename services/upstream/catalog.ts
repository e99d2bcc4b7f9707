/**
 * The upstream's models and prices, in memory, kept fresh.
 *
 * - Refreshes every `refreshIntervalMs` (default 10 min) with ±10 % jitter, so several hosts
 *   (or restarts) do not all hit the upstream at the same second; and on demand (`refresh()`).
 *   Concurrent refreshes share one request.
 * - A failed refresh keeps the last good catalog, records the error, tells `onRefreshFailed`
 *   listeners, and retries sooner (30 s doubling, capped at the interval).
 * - Each successful refresh diffs prices against the previous catalog and tells `onChange`
 *   listeners what was added, removed or repriced, so package prices can follow (and the host
 *   can log it). The first load after start reports every model as added, with `initial: true`.
 * - With `persistPath`, the last good catalog is written to a JSON file (atomically) and read
 *   back at start, so a restart without network still knows prices.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import type { Logger } from '../log/logger.js';
import type { ModelsResult, UpstreamModel } from './models.js';

export interface ModelPrice {
  promptPico: number;
  completionPico: number;
  requestMicro: number;
}

export interface ModelChange {
  id: string;
  kind: 'added' | 'removed' | 'repriced';
  /** Price before; null if the model was absent or had no known price. */
  before: ModelPrice | null;
  /** Price after; null if the model is gone or has no known price. */
  after: ModelPrice | null;
}

export interface ChangeInfo {
  /** True for the first load of this catalog (nothing was known before). */
  initial: boolean;
}

export interface CatalogStatus {
  /** Where the models in memory came from. */
  source: 'empty' | 'file' | 'upstream';
  models: number;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  /** Message of the last failed refresh, cleared by the next success. */
  lastError: string | null;
  consecutiveFailures: number;
}

export type RefreshOutcome =
  | { ok: true; models: number; changes: ModelChange[] }
  | { ok: false; error: Error; keptModels: number };

export interface ModelSource {
  fetchModels(options?: { signal?: AbortSignal }): Promise<ModelsResult>;
}

export interface ModelCatalogOptions {
  source: ModelSource;
  logger?: Logger;
  /** Default 600 000 (10 minutes). */
  refreshIntervalMs?: number;
  /** Fraction of the interval added or removed at random. Default 0.1. */
  jitterRatio?: number;
  /** First retry delay after a failure; doubles up to the interval. Default 30 000. */
  failureRetryMs?: number;
  /** JSON file holding the last good catalog. */
  persistPath?: string;
  random?: () => number;
  now?: () => Date;
}

const modelSchema = z.union([
  z.object({
    id: z.string().min(1),
    name: z.string(),
    contextLength: z.number().int().positive().nullable(),
    maxCompletionTokens: z.number().int().positive().nullable(),
    priced: z.literal(true),
    promptPico: z.number().int().nonnegative(),
    completionPico: z.number().int().nonnegative(),
    requestMicro: z.number().int().nonnegative(),
  }),
  z.object({
    id: z.string().min(1),
    name: z.string(),
    contextLength: z.number().int().positive().nullable(),
    maxCompletionTokens: z.number().int().positive().nullable(),
    priced: z.literal(false),
    promptPico: z.null(),
    completionPico: z.null(),
    requestMicro: z.null(),
  }),
]);
const fileSchema = z.object({ version: z.literal(1), savedAt: z.string(), models: z.array(modelSchema) });

export class ModelCatalog {
  private models = new Map<string, UpstreamModel>();
  private readonly changeListeners = new Set<(changes: ModelChange[], info: ChangeInfo) => void>();
  private readonly failureListeners = new Set<(error: Error, status: CatalogStatus) => void>();
  private current: CatalogStatus = { source: 'empty', models: 0, lastSuccessAt: null, lastAttemptAt: null, lastError: null, consecutiveFailures: 0 };
  private inFlight: Promise<RefreshOutcome> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private abort: AbortController | null = null;
  private running = false;
  private loadedOnce = false;
  private readonly log: Logger;
  private readonly interval: number;
  private readonly jitter: number;
  private readonly failureRetry: number;
  private readonly random: () => number;
  private readonly now: () => Date;

  constructor(private readonly options: ModelCatalogOptions) {
    this.log = options.logger ?? pino({ level: 'silent' });
    this.interval = options.refreshIntervalMs ?? 600_000;
    this.jitter = options.jitterRatio ?? 0.1;
    this.failureRetry = options.failureRetryMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => new Date());
  }

  get(id: string): UpstreamModel | undefined {
    return this.models.get(id);
  }

  has(id: string): boolean {
    return this.models.has(id);
  }

  list(): UpstreamModel[] {
    return [...this.models.values()];
  }

  get size(): number {
    return this.models.size;
  }

  get status(): CatalogStatus {
    return { ...this.current };
  }

  /** Listener for price changes; returns an unsubscribe function. */
  onChange(listener: (changes: ModelChange[], info: ChangeInfo) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Listener for failed refreshes (the last good catalog stays); returns an unsubscribe function. */
  onRefreshFailed(listener: (error: Error, status: CatalogStatus) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /**
   * Loads the persisted catalog (if any), refreshes once (a failure is reported, not thrown:
   * the proxy can run on the persisted prices), and starts the schedule.
   */
  async start(): Promise<RefreshOutcome> {
    this.running = true;
    await this.loadPersisted();
    const outcome = await this.refresh();
    return outcome;
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort(new Error('catalog stopped'));
  }

  /** Fetches now. Concurrent calls share one fetch. Never throws. */
  refresh(): Promise<RefreshOutcome> {
    if (!this.inFlight) {
      this.inFlight = this.doRefresh().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  /** Replaces the catalog with `models` as a successful refresh would (used by refresh and tests). */
  apply(models: UpstreamModel[]): ModelChange[] {
    const initial = !this.loadedOnce;
    const next = new Map(models.map((m) => [m.id, m]));
    const changes = diff(this.models, next);
    this.models = next;
    this.loadedOnce = true;
    if (changes.length) this.emitChange(changes, { initial });
    return changes;
  }

  private async doRefresh(): Promise<RefreshOutcome> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const abort = new AbortController();
    this.abort = abort;
    this.current = { ...this.current, lastAttemptAt: this.now().toISOString() };
    let outcome: RefreshOutcome;
    try {
      const result = await this.options.source.fetchModels({ signal: abort.signal });
      if (result.models.length === 0 && this.models.size > 0) throw new Error('upstream listed no models; keeping the previous catalog');
      const changes = this.apply(result.models);
      this.current = {
        source: 'upstream',
        models: this.models.size,
        lastSuccessAt: this.now().toISOString(),
        lastAttemptAt: this.current.lastAttemptAt,
        lastError: null,
        consecutiveFailures: 0,
      };
      this.log.info(
        { event: 'upstream.catalog_refreshed', models: this.models.size, changes: changes.length, skipped: result.skipped.length },
        `upstream catalog: ${this.models.size} models, ${changes.length} change(s)`,
      );
      if (this.options.persistPath) await this.persist(this.options.persistPath);
      outcome = { ok: true, models: this.models.size, changes };
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      this.current = { ...this.current, lastError: error.message, consecutiveFailures: this.current.consecutiveFailures + 1 };
      if (!abort.signal.aborted) {
        // (an abort means stop() was called: nothing to report)
        this.log.warn(
          { event: 'upstream.catalog_refresh_failed', err: error.message, keptModels: this.models.size, failures: this.current.consecutiveFailures },
          `upstream catalog refresh failed; keeping ${this.models.size} known models`,
        );
        for (const listener of this.failureListeners) safeCall(() => listener(error, this.status), this.log);
      }
      outcome = { ok: false, error, keptModels: this.models.size };
    } finally {
      if (this.abort === abort) this.abort = null;
    }
    this.schedule(outcome.ok);
    return outcome;
  }

  private schedule(lastOk: boolean): void {
    if (!this.running) return;
    let delay: number;
    if (lastOk) {
      delay = this.interval * (1 + (this.random() * 2 - 1) * this.jitter);
    } else {
      delay = Math.min(this.interval, this.failureRetry * 2 ** Math.min(this.current.consecutiveFailures - 1, 20));
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, Math.max(1, Math.round(delay)));
    this.timer.unref?.();
  }

  private emitChange(changes: ModelChange[], info: ChangeInfo): void {
    for (const listener of this.changeListeners) safeCall(() => listener(changes, info), this.log);
  }

  private async loadPersisted(): Promise<void> {
    const file = this.options.persistPath;
    if (!file || this.loadedOnce) return;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log.warn({ event: 'upstream.catalog_file_unreadable', err: (error as Error).message }, 'cannot read the saved model catalog');
      }
      return;
    }
    const saved = parseSavedCatalog(text);
    if (!saved) {
      this.log.warn({ event: 'upstream.catalog_file_invalid' }, 'saved model catalog is invalid; ignoring it');
      return;
    }
    this.models = new Map(saved.models.map((m) => [m.id, m]));
    this.loadedOnce = true;
    this.current = { ...this.current, source: 'file', models: this.models.size, lastSuccessAt: saved.savedAt };
    this.log.info({ event: 'upstream.catalog_loaded', models: this.models.size, savedAt: saved.savedAt }, 'loaded the saved model catalog');
  }

  private async persist(file: string): Promise<void> {
    const body = JSON.stringify({ version: 1, savedAt: this.now().toISOString(), models: this.list() });
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(tmp, body, { mode: 0o600 });
      await rename(tmp, file); // atomic: a crash never leaves half a file
    } catch (error) {
      this.log.warn({ event: 'upstream.catalog_save_failed', err: (error as Error).message }, 'could not save the model catalog');
    }
  }
}

export interface SavedCatalog {
  savedAt: string;
  models: UpstreamModel[];
}

/** The catalog file a ModelCatalog saves (`persistPath`), or null when it is not one. */
export function parseSavedCatalog(text: string): SavedCatalog | null {
  const parsed = fileSchema.safeParse(safeJson(text));
  return parsed.success ? { savedAt: parsed.data.savedAt, models: parsed.data.models as UpstreamModel[] } : null;
}

/**
 * The saved catalog, read at once (null when missing or not valid): what the CLI prices from
 * on a data dir with no host running, where nothing fetches the upstream.
 */
export function readSavedCatalog(file: string): SavedCatalog | null {
  try {
    return parseSavedCatalog(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Price-level differences between two catalogs, sorted by id. */
export function diff(before: ReadonlyMap<string, UpstreamModel>, after: ReadonlyMap<string, UpstreamModel>): ModelChange[] {
  const changes: ModelChange[] = [];
  for (const [id, model] of after) {
    const old = before.get(id);
    if (!old) changes.push({ id, kind: 'added', before: null, after: priceOf(model) });
    else if (!samePrice(old, model)) changes.push({ id, kind: 'repriced', before: priceOf(old), after: priceOf(model) });
  }
  for (const [id, model] of before) {
    if (!after.has(id)) changes.push({ id, kind: 'removed', before: priceOf(model), after: null });
  }
  return changes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function priceOf(model: UpstreamModel): ModelPrice | null {
  return model.priced ? { promptPico: model.promptPico, completionPico: model.completionPico, requestMicro: model.requestMicro } : null;
}

function samePrice(a: UpstreamModel, b: UpstreamModel): boolean {
  return a.priced === b.priced && a.promptPico === b.promptPico && a.completionPico === b.completionPico && a.requestMicro === b.requestMicro;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function safeCall(fn: () => void, log: Logger): void {
  try {
    fn();
  } catch (error) {
    log.error({ event: 'upstream.catalog_listener_failed', err: (error as Error).message }, 'catalog listener threw');
  }
}
