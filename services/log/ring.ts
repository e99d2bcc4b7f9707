/** The last N log lines in memory, for logs.tail and the live log in the UI. */
import type { LogLevel, LogLine } from '../contract.js';
import { LOG_LEVELS } from '../contract.js';

export class LogRing {
  private readonly lines: LogLine[] = [];
  constructor(private readonly capacity = 2000) {}

  push(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  tail(limit: number, minLevel: LogLevel = 'trace'): LogLine[] {
    const min = LOG_LEVELS.indexOf(minLevel);
    const picked = min > 0 ? this.lines.filter((l) => LOG_LEVELS.indexOf(l.level) >= min) : this.lines;
    return picked.slice(-limit);
  }
}
