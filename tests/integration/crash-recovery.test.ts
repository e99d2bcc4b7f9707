/**
 * `kill -9` of the host while streamed requests are in flight, then a restart: the ledger still
 * balances, no reservation is left hanging, and the customer's balance is whole (every hold
 * released, every settled request charged once). Needs `npm run build`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, startServe, stopProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';
import { freePort } from '../fakes/telegram-bot-api.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';

let upstream: FakeUpstream;
let cleanup: () => void;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  // Slow streams, so requests are mid-flight when the host dies.
  upstream = await startFakeUpstream({ chunkDelayMs: 50, completionWords: 40 });
  const t = tempDir();
  cleanup = t.cleanup;
  dir = t.dir;
  env = { OPENROUTER_BASE_URL: upstream.baseUrl, OPENROUTER_API_KEY: upstream.apiKey };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ proxy: { port: await freePort() } }));
});

afterAll(async () => {
  await upstream?.stop();
  cleanup?.();
});

const json = async <T>(args: string[]): Promise<T> => {
  const r = await runCli([...args, '--data-dir', dir, '--json'], { env });
  if (r.code !== 0) throw new Error(`arbdesk ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};

it('survives kill -9 under load: ledger balances, no hanging reservation, balance whole', async () => {
  const first = await startServe(['--data-dir', dir, '--control-port', '0', '--quiet'], env);
  const customer = await json<{ id: string }>(['customers', 'add', '--name', 'Crash Carl']);
  await json(['credit', customer.id, '1']);
  const { key } = await json<{ key: string }>(['keys', 'issue', customer.id]);
  const status = await json<{ services: { id: string; detail: { url?: string } }[] }>(['status']);
  const sdk = new OpenAI({ apiKey: key, baseURL: `${status.services.find((s) => s.id === 'proxy')!.detail.url}/v1`, maxRetries: 0 });

  // A few that finish before the crash, then twenty that are cut off by it.
  for (let i = 0; i < 3; i++) await sdk.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `done ${i}` }], max_tokens: 5 });
  const inFlight = Array.from({ length: 20 }, (_, i) =>
    (async () => {
      const s = await sdk.chat.completions.create({ model: 'anthropic/claude-3.5-sonnet', messages: [{ role: 'user', content: `cut ${i}` }], max_tokens: 200, stream: true });
      for await (const _ of s) {
        // drain until the connection dies
      }
    })().catch(() => 'cut'),
  );
  await waitFor(() => upstream.inFlight, (n) => n >= 20, { what: 'twenty streams in flight' });
  // A request in flight longer than PERSIST_AFTER_MS has a reservation row: wait until all twenty do.
  const peek = new Database(path.join(dir, 'arbdesk.db'), { readonly: true });
  try {
    await waitFor(() => peek.prepare('SELECT COUNT(*) FROM reservations').pluck().get() as number, (n) => n === 20, { what: 'twenty requests recorded as in flight' });
  } finally {
    peek.close();
  }
  first.child.kill('SIGKILL');
  await stopProcess(first.child);
  await Promise.all(inFlight);

  const second = await startServe(['--data-dir', dir, '--control-port', '0', '--quiet'], env);
  try {
    const verify = await json<{ ok: boolean; problems: string[]; openReservations: number }>(['ledger', 'verify']);
    expect(verify).toMatchObject({ ok: true, problems: [], openReservations: 0 });
    const usage = await json<{ recent: { outcome: string; chargeMicro: number }[] }>(['usage', customer.id, '--limit', '100']);
    const done = usage.recent.filter((r) => r.outcome === 'ok');
    const interrupted = usage.recent.filter((r) => r.outcome === 'interrupted');
    expect(done).toHaveLength(3);
    expect(interrupted).toHaveLength(20);
    const charged = usage.recent.reduce((sum, r) => sum + r.chargeMicro, 0);
    const bal = await json<{ availableMicro: number; heldMicro: number }>(['balance', customer.id]);
    expect(bal.heldMicro).toBe(0);
    expect(bal.availableMicro + charged).toBe(1_000_000);
    expect(second.output()).not.toContain('"level":"error"');
  } finally {
    await stopProcess(second.child);
  }
});
