/**
 * Structured JSON logs (pino) to a rotating file in the data dir, to stdout, and into the
 * in-memory ring that feeds logs.tail and the live `log` event. Every destination gets the
 * same line after secret scrubbing.
 */
import pino, { type Logger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import type { LogLevel, LogLine } from '../contract.js';
import { LogRing } from './ring.js';
import { SecretScrubber } from './scrubber.js';

export type { Logger };

const LEVEL_NAMES: Record<number, LogLevel> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Field names whose values are never written, wherever they appear one level deep. */
export const REDACT_PATHS = [
  'token', 'apiKey', 'secret', 'password', 'authorization', 'cookie',
  '*.token', '*.apiKey', '*.secret', '*.password', '*.authorization', '*.cookie',
  'headers.authorization', 'req.headers.authorization', 'req.headers.cookie',
];

export interface HostLoggerOptions {
  logsDir?: string;
  level: LogLevel;
  maxFileMb: number;
  maxFiles: number;
  stdout: boolean;
  onLine?: (line: LogLine) => void;
}

export interface HostLogger {
  logger: Logger;
  ring: LogRing;
  scrubber: SecretScrubber;
  setLevel(level: LogLevel): void;
  close(): Promise<void>;
}

export function createHostLogger(options: HostLoggerOptions): HostLogger {
  const ring = new LogRing();
  const scrubber = new SecretScrubber();
  let seq = 0;
  let file: RotatingFileStream | undefined;
  if (options.logsDir) {
    file = createStream('arbdesk.log', {
      path: options.logsDir,
      size: `${options.maxFileMb}M`,
      maxFiles: options.maxFiles,
      mode: 0o600,
    });
  }

  // One destination for pino; it scrubs once and fans out, so the three outputs agree.
  const fanOut = {
    write(chunk: string) {
      const text = scrubber.scrub(chunk);
      // A late line (a request that finished after the host closed the log) still reaches the
      // other outputs; writing it to the ended file would throw.
      if (file && !file.writableEnded) file.write(text);
      if (options.stdout) process.stdout.write(text);
      const line = toLogLine(text, ++seq);
      if (line) {
        ring.push(line);
        options.onLine?.(line);
      }
    },
  };

  const logger = pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (_label, number) => ({ level: LEVEL_NAMES[number] ?? 'info' }) },
    },
    fanOut,
  );

  return {
    logger,
    ring,
    scrubber,
    setLevel(level) {
      logger.level = level;
    },
    close() {
      return new Promise((resolve) => {
        if (!file) return resolve();
        file.end(() => resolve());
      });
    },
  };
}

function toLogLine(text: string, seq: number): LogLine | undefined {
  try {
    const { time, level, msg, event, service, ...fields } = JSON.parse(text) as Record<string, unknown>;
    return {
      seq,
      time: String(time ?? new Date().toISOString()),
      level: (typeof level === 'string' ? level : 'info') as LogLevel,
      msg: String(msg ?? ''),
      ...(typeof event === 'string' ? { event } : {}),
      ...(typeof service === 'string' ? { service } : {}),
      fields,
    };
  } catch {
    return undefined;
  }
}
