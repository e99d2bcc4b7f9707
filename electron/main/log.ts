/**
 * The main process's own log: JSON lines in <dataDir>/logs/desktop.log (next to the host's
 * logs, in a file of its own) and a readable line on stderr for `npm start`.
 *
 * Callers never pass secret values, only key names; there is nothing to redact here.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

type Level = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  log(level: Level, msg: string, fields?: LogFields): void;
}

export function createLogger(logDir: string | undefined): Logger {
  let stream: WriteStream | undefined;
  if (logDir) {
    try {
      mkdirSync(logDir, { recursive: true, mode: 0o700 });
      stream = createWriteStream(path.join(logDir, 'desktop.log'), { flags: 'a', mode: 0o600 });
      stream.on('error', () => {
        stream = undefined; // disk full or folder removed: keep going with stderr only
      });
    } catch {
      stream = undefined;
    }
  }
  const log = (level: Level, msg: string, fields?: LogFields): void => {
    const time = new Date().toISOString();
    stream?.write(JSON.stringify({ time, level, source: 'desktop', msg, ...fields }) + '\n');
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`[arbdesk desktop] ${level}: ${msg}${extra}\n`);
  };
  return {
    log,
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}
