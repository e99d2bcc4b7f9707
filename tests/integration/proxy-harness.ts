/**
 * A running ArbDesk host with its proxy in front of the OpenRouter-compatible stand-in
 * (tests/fakes/upstream.ts), for tests that call the proxy as a customer's program does (the
 * official `openai` SDK). useProxyHost() registers the file's hooks: every test ends with the
 * ledger's invariants checked, and the file ends with no customer key, key hash or upstream
 * secret in any log file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { Host } from '../../services/host/host.js';
import { hashKey } from '../../services/keys/key-format.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

export type UsageList = {
  recent: { model: string; status: number; outcome: string; chargeMicro: number; promptTokens: number }[];
  refused: { status: number; code: string; requests: number }[];
};

export interface ProxyHarness {
  upstream: FakeUpstream;
  host: Host;
  proxyUrl: string;
  dataDir: string;
  /** A contract command on the host; throws with its message when it fails. */
  call<T>(method: string, input: unknown): Promise<T>;
  /** A new customer credited with `usd` and a key for them (remembered for the log check). */
  customerWithKey(usd: string, keyOptions?: Record<string, unknown>): Promise<{ customerId: string; key: string; keyId: string }>;
  client(key: string, prefix?: string): OpenAI;
  /** The customer's usage once it holds `n` records (refusals are recorded when the call's socket closes). */
  usageOf(customerId: string, n: number): Promise<UsageList>;
  balance(customerId: string): Promise<{ availableMicro: number; heldMicro: number }>;
}

export function useProxyHost(): ProxyHarness {
  const issuedKeys: string[] = [];
  let cleanup: (() => void) | undefined;
  const h = {
    async call<T>(method: string, input: unknown): Promise<T> {
      const r = await h.host.dispatch(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as T;
    },
    async customerWithKey(usd: string, keyOptions: Record<string, unknown> = {}) {
      const customer = await h.call<{ id: string }>('customers.add', { name: `Customer ${issuedKeys.length + 1}` });
      if (usd !== '0') await h.call('customers.credit', { customerId: customer.id, usd, memo: 'test top-up' });
      const issued = await h.call<{ key: string; record: { id: string } }>('keys.issue', { customerId: customer.id, ...keyOptions });
      issuedKeys.push(issued.key);
      return { customerId: customer.id, key: issued.key, keyId: issued.record.id };
    },
    client: (key: string, prefix = '') => new OpenAI({ apiKey: key, baseURL: `${h.proxyUrl}${prefix}/v1`, maxRetries: 0, timeout: 20_000 }),
    usageOf: (customerId: string, n: number) =>
      waitFor(() => h.call<UsageList>('usage.list', { customerId }), (u) => u.recent.length >= n, { what: `${n} usage records` }),
    balance: async (customerId: string) => (await h.call<{ customer: { availableMicro: number; heldMicro: number } }>('customers.get', { customerId })).customer,
  } as ProxyHarness;

  beforeAll(async () => {
    h.upstream = await startFakeUpstream({ completionWords: 8 });
    const t = tempDir();
    cleanup = t.cleanup;
    h.dataDir = t.dir;
    h.host = new Host({
      dataDir: h.dataDir,
      mode: 'headless',
      env: { OPENROUTER_BASE_URL: h.upstream.baseUrl, OPENROUTER_API_KEY: h.upstream.apiKey },
      flags: { 'proxy.port': 0, 'control.port': 0 },
    });
    await h.host.start();
    const proxy = h.host.serviceStatuses().find((s) => s.id === 'proxy')!;
    expect(proxy.state).toBe('running');
    h.proxyUrl = proxy.detail.url!;
  });

  afterEach(() => {
    expect(h.host.ledger.checkInvariants()).toEqual([]);
  });

  afterAll(async () => {
    await h.host?.stop();
    await h.upstream?.stop();
    const logs = readdirSync(path.join(h.dataDir, 'logs')).map((f) => readFileSync(path.join(h.dataDir, 'logs', f), 'utf8')).join('\n');
    for (const key of issuedKeys) {
      expect(logs).not.toContain(key);
      expect(logs).not.toContain(key.slice(7));
      expect(logs).not.toContain(hashKey(key));
    }
    expect(logs).not.toContain(h.upstream.apiKey);
    cleanup?.();
  });

  return h;
}
