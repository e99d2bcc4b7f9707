/**
 * Watches the upstream credit and raises the low-credit alert once when it drops under the
 * threshold (and "recovered" once when it is topped up), instead of on every poll. Unknown
 * credit (a plain OpenAI-compatible upstream) never alerts.
 */
import pino from 'pino';
import type { Logger } from '../log/logger.js';
import { formatUsd } from '../money/units.js';
import type { CreditStatus } from './credits.js';

export interface CreditMonitorOptions {
  source: { fetchCredits(options?: { signal?: AbortSignal }): Promise<CreditStatus> };
  /** Alert below this many µUSD (e.g. 10_000_000 = $10). 0 disables the alert. */
  thresholdMicro: number;
  /** Poll interval. Default 5 minutes. */
  intervalMs?: number;
  logger?: Logger;
  onLow?: (status: CreditStatus) => void;
  onRecovered?: (status: CreditStatus) => void;
  /** After every successful reading. */
  onChecked?: (status: CreditStatus) => void;
}

export class CreditMonitor {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  /** Bumped by stop(): a reading that was on its way then is dropped. */
  private epoch = 0;
  private alerted = false;
  private latest: CreditStatus | null = null;
  private error: string | null = null;
  private readonly log: Logger;

  constructor(private readonly options: CreditMonitorOptions) {
    this.log = options.logger ?? pino({ level: 'silent' });
  }

  /** Last successful reading. */
  get last(): CreditStatus | null {
    return this.latest;
  }

  /** Message of the last failed reading, cleared by the next success. */
  get lastError(): string | null {
    return this.error;
  }

  /** Whether the low-credit alert is currently raised. */
  get low(): boolean {
    return this.alerted;
  }

  async start(): Promise<CreditStatus | null> {
    this.running = true;
    return this.check();
  }

  stop(): void {
    this.running = false;
    this.epoch += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Reads the credit now (also what the schedule calls). Never throws. */
  async check(): Promise<CreditStatus | null> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const epoch = this.epoch;
    try {
      const status = await this.options.source.fetchCredits();
      // Stopped while the reading was on its way: the proxy (and maybe the log) is gone.
      if (epoch !== this.epoch) return null;
      this.latest = status;
      this.error = null;
      const low = this.options.thresholdMicro > 0 && status.isLow(this.options.thresholdMicro);
      if (low && !this.alerted) {
        this.alerted = true;
        this.log.warn(
          { event: 'upstream.credit_low', remainingMicro: status.remainingMicro, thresholdMicro: this.options.thresholdMicro },
          `upstream credit low: ${formatUsd(status.remainingMicro ?? 0)} left (alert below ${formatUsd(this.options.thresholdMicro)})`,
        );
        this.options.onLow?.(status);
      } else if (!low && this.alerted) {
        this.alerted = false;
        this.log.info({ event: 'upstream.credit_recovered', remainingMicro: status.remainingMicro }, 'upstream credit back above the alert threshold');
        this.options.onRecovered?.(status);
      }
      this.options.onChecked?.(status);
      return status;
    } catch (error) {
      if (epoch !== this.epoch) return null;
      this.error = error instanceof Error ? error.message : String(error);
      this.log.warn({ event: 'upstream.credit_check_failed', err: this.error }, 'could not read the upstream credit');
      return null;
    } finally {
      this.schedule();
    }
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.check(), this.options.intervalMs ?? 300_000);
    this.timer.unref?.();
  }
}
