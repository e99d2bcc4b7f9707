import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../services/contract.js';
import { createHostLogger } from '../../services/log/logger.js';
import { tempDir } from '../helpers/temp.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('host logger', () => {
  it('writes JSON lines to the log file, the ring and the live listener alike', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const seen: LogLine[] = [];
    const log = createHostLogger({ logsDir: t.dir, level: 'info', maxFileMb: 1, maxFiles: 2, stdout: false, onLine: (l) => seen.push(l) });
    log.logger.child({ service: 'bot' }).info({ event: 'bot.command', command: 'start' }, '/start');
    log.logger.debug('not at info level');
    await log.close();
    const file = readFileSync(path.join(t.dir, 'arbdesk.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(file).toHaveLength(1);
    expect(file[0]).toMatchObject({ level: 'info', service: 'bot', event: 'bot.command', msg: '/start' });
    expect(seen).toEqual([expect.objectContaining({ seq: 1, service: 'bot', event: 'bot.command', msg: '/start', fields: { command: 'start' } })]);
    expect(log.ring.tail(10)).toEqual(seen);
  });

  it('a line logged after close() still reaches the ring and the listener, and does not throw', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const seen: LogLine[] = [];
    const log = createHostLogger({ logsDir: t.dir, level: 'info', maxFileMb: 1, maxFiles: 2, stdout: false, onLine: (l) => seen.push(l) });
    log.logger.info('before');
    const closing = log.close();
    log.logger.warn({ event: 'upstream.credit_check_failed' }, 'late'); // while the file is being closed
    await closing;
    log.logger.warn('later'); // and after
    // A write to the ended file fails on the next tick ('error' with no listener: an uncaught
    // exception that fails the run): let queued callbacks run before checking.
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.map((l) => l.msg)).toEqual(['before', 'late', 'later']);
    expect(readFileSync(path.join(t.dir, 'arbdesk.log'), 'utf8')).not.toContain('late');
  });

  it('never writes secrets: redacts known fields and scrubs known values anywhere', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const log = createHostLogger({ logsDir: t.dir, level: 'info', maxFileMb: 1, maxFiles: 2, stdout: false });
    log.scrubber.setSecrets(['123456:SECRET-bot-token', 'sk-or-v1-upstreamsecret']);
    log.logger.info({ token: 'field-token-value', headers: { authorization: 'Bearer abc' } }, 'login');
    log.logger.error({ err: 'request to https://api.telegram.org/bot123456:SECRET-bot-token/getMe failed' }, 'boom with sk-or-v1-upstreamsecret');
    await log.close();
    const text = readdirSync(t.dir).map((f) => readFileSync(path.join(t.dir, f), 'utf8')).join('');
    for (const secret of ['field-token-value', 'Bearer abc', 'SECRET-bot-token', 'upstreamsecret']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(log.ring.tail(10).map((l) => JSON.stringify(l)).join('')).not.toContain('SECRET-bot-token');
  });

  it('tails by level', () => {
    const log = createHostLogger({ level: 'trace', maxFileMb: 1, maxFiles: 1, stdout: false });
    log.logger.info('a');
    log.logger.warn('b');
    log.logger.error('c');
    expect(log.ring.tail(10, 'warn').map((l) => l.msg)).toEqual(['b', 'c']);
    expect(log.ring.tail(1).map((l) => l.msg)).toEqual(['c']);
  });
});
