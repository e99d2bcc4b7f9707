/**
 * The owner's business commands from the shell, as README documents them: with a running host
 * (changes reach the proxy at once) and without one (directly on the data dir). Ends with
 * `ledger verify`. Needs `npm run build` (npm test builds first).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe, stopProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { freePort } from '../fakes/telegram-bot-api.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/upstream.js';

let upstream: FakeUpstream;
let cleanup: () => void;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  const t = tempDir();
  cleanup = t.cleanup;
  dir = t.dir;
  env = { OPENROUTER_BASE_URL: upstream.baseUrl, OPENROUTER_API_KEY: upstream.apiKey };
});

afterAll(async () => {
  await upstream?.stop();
  cleanup?.();
});

const cli = async (args: string[], input?: string) => {
  const r = await runCli([...args, '--data-dir', dir], { env, ...(input ? { input } : {}) });
  return r;
};
const json = async <T>(args: string[]): Promise<T> => {
  const r = await cli([...args, '--json']);
  if (r.code !== 0) throw new Error(`arbdesk ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};

describe('owner commands without a running host (directly on the data dir)', () => {
  it('adds a customer, credits them and shows the balance', async () => {
    const c = await json<{ id: string; name: string }>(['customers', 'add', '--name', 'Offline Olga', '--telegram-id', '555']);
    expect(c.id).toMatch(/^cus_/);
    const credit = await cli(['credit', c.id, '2.50', '--memo', 'cash']);
    expect(credit.code).toBe(0);
    expect(credit.stdout).toContain('Credited $2.50 to Offline Olga. Balance: $2.50.');
    const bal = await cli(['balance', c.id]);
    expect(bal.stdout).toContain('$2.50 available');
    const dup = await cli(['customers', 'add', '--name', 'Olga again', '--telegram-id', '555']);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain(`Telegram id 555 already belongs to Offline Olga (${c.id}); one Telegram account is one customer [conflict]`);
    const bad = await cli(['credit', c.id, '-5']);
    expect(bad.code).not.toBe(0);
    // Bad input is named as the owner typed it: the argument or the option, not the contract's field.
    const badAmount = await cli(['credit', c.id, '1.2.3']);
    expect(badAmount.stderr).toMatch(/^arbdesk: <usd> must be a positive amount in USD/);
    const noName = await cli(['customers', 'add', '--name', ' ']);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/^arbdesk: --name must not be empty/);
    const longMemo = await cli(['credit', c.id, '1', '--memo', 'x'.repeat(501)]);
    expect(longMemo.stderr).toMatch(/^arbdesk: --memo must be at most 500 characters/);
  });

  it('with --json, a failure is JSON on stdout too (the host\'s code, or one by exit code)', async () => {
    const missing = await cli(['keys', 'revoke', 'key_nope', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toEqual({ error: { code: 'not_found', message: expect.stringMatching(/key_nope/), exitCode: 2 } });
    expect(missing.stderr).toMatch(/^arbdesk: .*key_nope/);
    // A usage mistake is bad input too (exit 2), and JSON for a --json caller; --help is not a failure.
    const unknownOption = await cli(['keys', 'issue', 'cus_x', '--foo', '--json']);
    expect(unknownOption.code).toBe(2);
    expect(JSON.parse(unknownOption.stdout)).toEqual({ error: { code: 'invalid_input', message: "unknown option '--foo'", exitCode: 2 } });
    expect(unknownOption.stderr).toMatch(/unknown option '--foo'/);
    expect((await cli(['keys', 'issue'])).code).toBe(2);
    expect((await cli(['keys', '--help'])).code).toBe(0);
    const notRunning = await cli(['status', '--json']);
    expect(notRunning.code).toBe(3);
    expect(JSON.parse(notRunning.stdout)).toMatchObject({ error: { code: 'not_running', exitCode: 3 } });
    expect(notRunning.stderr).toContain(`\`arbdesk serve --data-dir ${dir}\``);
  });
});

describe('packages imported before any model catalog was loaded', () => {
  it('says the model ids were not checked, and once a catalog is loaded names the packages whose model it lacks', async () => {
    const t = tempDir();
    try {
      const file = path.join(t.dir, 'seeds.json');
      // The seeds' own example ids: `gpt-4` is not an OpenRouter id.
      writeFileSync(file, JSON.stringify([
        { model: 'gpt-4', tokens: 100000, description: 'GPT-4 - 100k tokens' },
        { model: 'openai/gpt-4o-mini', tokens: 100000, description: 'GPT-4o mini - 100k tokens' },
      ]));
      const imported = await runCli(['packages', 'import', file, '--data-dir', t.dir], { env });
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain('Imported 2 packages.');
      expect(imported.stdout).toContain('Note: no upstream model catalog is loaded yet, so the model ids were not checked');
      expect(imported.stdout).toMatch(/Not for sale \(2\):\n {2}pkg_\S+: no upstream model catalog is loaded yet/);

      writeFileSync(path.join(t.dir, 'config.json'), JSON.stringify({ proxy: { port: await freePort() } }));
      const serve = await startServe(['--data-dir', t.dir, '--control-port', '0', '--quiet'], env);
      try {
        const listed = await runCli(['packages', 'list', '--data-dir', t.dir], { env });
        expect(listed.stdout).toMatch(/Not for sale \(1\):\n {2}pkg_\S+: model "gpt-4" is not in the upstream catalog \(did you mean [^)]*openai\/gpt-4o-mini[^)]*\?\); retire it and import it again with a catalog model id/);
        const pkgs = JSON.parse((await runCli(['packages', 'list', '--json', '--data-dir', t.dir], { env })).stdout) as { model: string; forSale: boolean }[];
        expect(pkgs.map((p) => [p.model, p.forSale])).toEqual(expect.arrayContaining([['gpt-4', false], ['openai/gpt-4o-mini', true]]));
      } finally {
        await stopProcess(serve.child);
      }
    } finally {
      t.cleanup();
    }
  });
});

describe('owner commands against the running host', () => {
  it('issues a key that works on the proxy at once, imports packages, and the ledger verifies', async () => {
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ proxy: { port: await freePort() } }));
    const serve = await startServe(['--data-dir', dir, '--control-port', '0', '--quiet'], env);
    try {
      const c = await json<{ id: string }>(['customers', 'add', '--name', 'Alice']);
      await cli(['credit', c.id, '5']);
      // A typo in --models would sell a key that cannot use the model: refused, with the nearest ids.
      const typo = await cli(['keys', 'issue', c.id, '--models', 'openai/gpt-4o-mini,openai/gpt-4o-mnii']);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toMatch(/no key issued: model "openai\/gpt-4o-mnii" is not in the upstream catalog \(did you mean openai\/gpt-4o-mini\?\); `arbdesk pricing list` shows the model ids/);
      expect(await json<unknown[]>(['keys', 'list', c.id])).toEqual([]);
      const issued = await cli(['keys', 'issue', c.id, '--models', 'openai/gpt-4o-mini', '--rpm', '100', '--label', 'laptop']);
      const key = issued.stdout.match(/sk-arb-[\w-]{43}/)![0];
      const listed = await cli(['keys', 'list', c.id]);
      expect(listed.stdout).toContain(`sk-arb-…${key.slice(-4)}`);
      expect(listed.stdout).not.toContain(key);

      const status = await json<{ services: { id: string; detail: { url?: string } }[] }>(['status']);
      const proxyUrl = status.services.find((s) => s.id === 'proxy')!.detail.url!;
      const sdk = new OpenAI({ apiKey: key, baseURL: `${proxyUrl}/v1`, maxRetries: 0 });
      const reply = await sdk.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });
      expect(reply.choices[0]!.message.content).toBeTruthy();

      // A model the key may not use is refused (403) and still leaves its record, at no charge.
      await expect(sdk.chat.completions.create({ model: 'anthropic/claude-3.5-sonnet', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 403 });

      const usage = await json<{ recent: { model: string; chargeMicro: number; status: number }[]; byModel: { model: string; requests: number }[] }>(['usage', c.id]);
      expect(usage.byModel).toEqual([expect.objectContaining({ model: 'openai/gpt-4o-mini', requests: 1 })]);
      expect(usage.recent.map((r) => [r.status, r.model, r.chargeMicro > 0])).toEqual([
        [403, 'anthropic/claude-3.5-sonnet', false],
        [200, 'openai/gpt-4o-mini', true],
      ]);
      const usageText = await cli(['usage', c.id]);
      expect(usageText.stdout).toContain('Refused (not sent upstream, not charged): 1 × 403 model_not_allowed');
      expect(usageText.stdout).toMatch(/anthropic\/claude-3\.5-sonnet +403 model_not_allowed/);

      const seeds = path.join(dir, 'packages.json');
      writeFileSync(seeds, JSON.stringify([
        { model: 'openai/gpt-4o-mini', tokens: 100000, description: 'GPT-4o mini - 100k tokens', category_id: 1, subcategory_id: 1 },
        { model: 'anthropic/claude-3.5-sonnet', tokens: 2000000, description: 'Claude 3.5 Sonnet - 2M tokens', category_id: 1, subcategory_id: 2 },
      ]));
      const imported = await cli(['packages', 'import', seeds]);
      expect(imported.code).toBe(0);
      // The same file again adds nothing (each item is already for sale, field for field).
      const again = await cli(['packages', 'import', seeds]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('Imported 0 packages.');
      expect(again.stdout).toContain('2 already for sale with the same definition; not added again');
      const pkgs = await json<{ model: string; priceMicro: number; upstreamCostMicro: number; forSale: boolean }[]>(['packages', 'list']);
      expect(pkgs).toHaveLength(2);
      for (const p of pkgs) {
        expect(p.forSale).toBe(true);
        expect(p.priceMicro).toBeGreaterThan(p.upstreamCostMicro);
        expect(p.priceMicro % 10_000).toBe(0); // whole cents
      }
      const broken = path.join(dir, 'broken.json');
      writeFileSync(broken, JSON.stringify([{ model: 'openai/gpt-4o-mini', tokens: -5, description: 'x' }, { model: 'm', token: 1, description: 'y' }]));
      const refused = await cli(['packages', 'import', broken]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/nothing imported: item 1: tokens must be a positive whole number/);
      expect(refused.stderr).toMatch(/item 2:/);
      expect(await json<unknown[]>(['packages', 'list'])).toHaveLength(2);

      // Raising the markup reprices the packages (and the log says so).
      await cli(['config', 'set', 'pricing.markupPercent', '50']);
      // (The small gpt-4o-mini package is held up by the minimum-profit floor; the big one follows the markup.)
      const repriced = await json<{ model: string; priceMicro: number }[]>(['packages', 'list']);
      const claude = (list: { model: string; priceMicro: number }[]) => list.find((p) => p.model === 'anthropic/claude-3.5-sonnet')!.priceMicro;
      expect(claude(repriced)).toBeGreaterThan(claude(pkgs));

      // Per-model prices: the list shows cost and price per 1M tokens; an own markup applies at once on the proxy.
      const priced = await cli(['pricing', 'list', '--for-sale']);
      expect(priced.stdout).toMatch(/openai\/gpt-4o-mini\s+0\.15 \/ 0\.6\s+0\.225 \/ 0\.9\s+markup\s+yes/); // markup is 50% by now
      const set = await cli(['pricing', 'set', 'openai/gpt-4o-mini', '--markup', '100']);
      expect(set.stdout).toContain('openai/gpt-4o-mini now sells at 0.3 / 1.2 USD per 1M prompt/completion tokens');
      const models = await sdk.models.list();
      expect((models.data[0] as unknown as { pricing: { prompt: string } }).pricing.prompt).toBe('0.0000003');
      const fixed = await cli(['pricing', 'set', 'openai/gpt-4o-mini', '--prompt', '0.1', '--completion', '0.2']);
      expect(fixed.stdout).toMatch(/BELOW the upstream cost/);
      expect((await cli(['pricing', 'set', 'openai/gpt-4o-mini', '--markup', '10', '--prompt', '1'])).code).toBe(2);
      expect((await cli(['pricing', 'clear', 'openai/gpt-4o-mini'])).code).toBe(0);

      const keyId = (await json<{ id: string }[]>(['keys', 'list', c.id]))[0]!.id;
      expect((await cli(['keys', 'revoke', keyId])).code).toBe(0);
      await expect(sdk.models.list()).rejects.toMatchObject({ status: 401 });
      const twice = await cli(['keys', 'revoke', keyId]);
      expect(twice.code).toBe(0);
      expect(twice.stdout).toMatch(new RegExp(`${keyId} \\(sk-arb-…${key.slice(-4)}\\) was already revoked on \\d{4}-\\d\\d-\\d\\d; nothing changed`));
      expect(await json<{ id: string; alreadyRevoked: boolean }>(['keys', 'revoke', keyId])).toMatchObject({ id: keyId, status: 'revoked', alreadyRevoked: true });
      // A mistyped customer id is an error, not an empty list.
      for (const args of [['keys', 'list', 'cus_nope'], ['usage', 'cus_nope']]) {
        const missing = await cli(args);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toMatch(/cus_nope/);
      }
      // keys list shows every limit, and what replaced a rotated key.
      const limited = await json<{ record: { id: string } }>(['keys', 'issue', c.id, '--tpm', '5000', '--concurrency', '3']);
      const rotated = await json<{ record: { id: string } }>(['keys', 'rotate', limited.record.id]);
      const table = (await cli(['keys', 'list', c.id])).stdout;
      expect(table).toMatch(/TPM\s+CONCURRENT/);
      expect(table).toMatch(new RegExp(`${limited.record.id}.*rotated → ${rotated.record.id}.*5000\\s+3`));
      // Rotating the old key again names the key that replaced it.
      const rotateAgain = await cli(['keys', 'rotate', limited.record.id]);
      expect(rotateAgain.code).toBe(2);
      expect(rotateAgain.stderr).toContain(`key ${limited.record.id} was already rotated: its replacement is ${rotated.record.id}`);

      const verify = await cli(['ledger', 'verify']);
      expect(verify.code).toBe(0);
      expect(verify.stdout).toMatch(/^Ledger OK: \d+ transactions balance; 0 reservation\(s\) in flight\./);
    } finally {
      await stopProcess(serve.child);
    }
    const logs = (await import('node:fs')).readFileSync(path.join(dir, 'logs', 'arbdesk.log'), 'utf8');
    expect(logs).toContain('"event":"pricing.package_repriced"');
  }, 120_000); // some twenty-five CLI processes, each a Node start-up: ~25 s on 2 cores, more when other suites run beside it
});
