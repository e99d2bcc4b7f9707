/**
 * A headless ArbDesk for browser tests: `arbdesk serve` on a temporary data dir, with the shop
 * bot connected to telegram-test-api (the Bot API stand-in), both on 127.0.0.1.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServe, stopProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { freePort, startFakeTelegram, type FakeTelegram } from '../fakes/telegram-bot-api.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';

export const BOT_TOKEN = '777001:E2E-shop-bot-token';
export const SCREENSHOTS = path.resolve('tests/artifacts/screenshots');

export interface Headless {
  dataDir: string;
  loginUrl: string;
  baseUrl: string;
  telegram: FakeTelegram;
  upstream: FakeUpstream;
  child: ChildProcess;
  output(): string;
  /** Runs a contract command as the owner (HTTP, owner token); throws with the host's message on failure. */
  invoke<T = unknown>(method: string, input?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startHeadless(extraEnv: Record<string, string> = {}): Promise<Headless> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const t = tempDir('arbdesk-e2e-');
  const telegram = await startFakeTelegram();
  const upstream = await startFakeUpstream();
  // The proxy port goes in config.json, not a flag, so the Settings screen can change it
  // (a flag would override the file).
  writeFileSync(path.join(t.dir, 'config.json'), JSON.stringify({ proxy: { port: await freePort() } }));
  const serve = await startServe(['--data-dir', t.dir, '--control-port', '0'], {
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ADMIN_ID_LIST: '4242',
    OPENROUTER_BASE_URL: upstream.baseUrl,
    OPENROUTER_API_KEY: upstream.apiKey,
    ...extraEnv,
  });
  const baseUrl = new URL(serve.loginUrl).origin;
  const token = new URL(serve.loginUrl).searchParams.get('token');
  return {
    dataDir: t.dir,
    loginUrl: serve.loginUrl,
    baseUrl,
    telegram,
    upstream,
    child: serve.child,
    output: serve.output,
    async invoke<T>(method: string, input: unknown = {}): Promise<T> {
      const res = await fetch(`${baseUrl}/api/invoke/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
      if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
      return body.value;
    },
    async stop() {
      await stopProcess(serve.child);
      await telegram.stop().catch(() => undefined);
      await upstream.stop().catch(() => undefined);
      t.cleanup();
    },
  };
}
