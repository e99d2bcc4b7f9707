/**
 * The `arbdesk` command line as a new owner uses it (needs `npm run build` first; `npm test`
 * builds): config get/set with secrets from stdin, doctor, serve, status against the running
 * host, and changes applied to the running host.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe, stopProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

beforeAll(() => {
  if (!existsSync(new URL('../../dist/services/cli.js', import.meta.url))) {
    throw new Error('dist/services/cli.js is missing: run `npm run build` before the CLI tests (npm test does).');
  }
});

function dataDir() {
  const t = tempDir();
  cleanup = t.cleanup;
  return t.dir;
}

describe('arbdesk config', () => {
  it('sets ordinary settings from arguments and secrets from stdin, never showing them', async () => {
    const dir = dataDir();
    // Plain http is saved (local tests use it) but called out: customers' keys would cross the internet in clear.
    const plain = await runCli(['config', 'set', 'proxy.publicUrl', 'http://ai.example.com/ai-proxy', '--data-dir', dir]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("Note: Customers' programs send their keys to this address: use https:// (not http://)");
    const set = await runCli(['config', 'set', 'proxy.publicUrl', 'https://ai.example.com/ai-proxy', '--data-dir', dir]);
    expect(set.code).toBe(0);
    expect(set.stdout).not.toContain('Note:');
    const secret = await runCli(['config', 'set', 'upstream.apiKey', '--data-dir', dir], { input: 'sk-or-v1-verysecretvalue\n' });
    expect(secret.code).toBe(0);
    expect(secret.stdout + secret.stderr).not.toContain('verysecret');
    const get = await runCli(['config', 'get', '--data-dir', dir]);
    expect(get.stdout).toMatch(/proxy\.publicUrl\s+https:\/\/ai\.example\.com\/ai-proxy\s+file/);
    expect(get.stdout).toMatch(/upstream\.apiKey\s+••••alue\s+file/);
    expect(get.stdout).not.toContain('verysecret');
    const one = await runCli(['config', 'get', 'proxy.publicUrl', '--data-dir', dir]);
    expect(one.stdout.trim()).toBe('https://ai.example.com/ai-proxy');
    // A group lists just the settings under it.
    const group = await runCli(['config', 'get', 'upstream', '--data-dir', dir]);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/upstream\.apiKey\s+••••alue\s+file/);
    expect(group.stdout).toMatch(/upstream\.baseUrl\s+https?:\/\/\S+\s+(default|env)/);
    expect(group.stdout).not.toContain('proxy.publicUrl');
    const groupJson = await runCli(['config', 'get', 'proxy.', '--json', '--data-dir', dir]);
    expect((JSON.parse(groupJson.stdout) as { key: string }[]).every((v) => v.key.startsWith('proxy.'))).toBe(true);
    expect((await runCli(['config', 'get', 'upstrem', '--data-dir', dir])).stderr).toMatch(/Unknown setting "upstrem" — did you mean "upstream"\? Run `arbdesk config get`/);
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).not.toContain('verysecret');
  });

  it('refuses a secret on the command line, an unknown key and a bad value, with what to do', async () => {
    const dir = dataDir();
    const onArgs = await runCli(['config', 'set', 'telegram.token', '123:abc', '--data-dir', dir]);
    expect(onArgs.code).toBe(2);
    expect(onArgs.stderr).toMatch(/read from stdin/);
    const unknown = await runCli(['config', 'set', 'proxy.prot', '1', '--data-dir', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/did you mean "proxy\.port"/);
    const bad = await runCli(['config', 'set', 'proxy.port', 'eighty', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/proxy\.port .*must be a number \(got "eighty"\)/);
  });

  it('shows where a value comes from when the environment sets it', async () => {
    const dir = dataDir();
    const get = await runCli(['config', 'get', 'upstream.baseUrl', '--json', '--data-dir', dir], { env: { OPENROUTER_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(JSON.parse(get.stdout)).toMatchObject({ value: 'http://127.0.0.1:9/v1', source: 'env', fromEnv: 'OPENROUTER_BASE_URL' });
    // The table names the variable the value came from, not the ARBDESK_ name it could have used.
    const table = await runCli(['config', 'get', 'upstream', '--data-dir', dir], { env: { OPENROUTER_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(table.stdout).toMatch(/upstream\.baseUrl\s+http:\/\/127\.0\.0\.1:9\/v1\s+env\s+OPENROUTER_BASE_URL/);
  });
});

describe('arbdesk doctor', () => {
  it('says which services are configured and what each needs', async () => {
    const dir = dataDir();
    const out = await runCli(['doctor', '--data-dir', dir]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/✓ proxy: configured/);
    expect(out.stdout).toMatch(/✗ bot: not configured: telegram\.token is empty/);
    expect(out.stdout).toMatch(/arbdesk config set telegram\.token/);
    // A fresh data dir has no config.json: doctor does not pretend to have read one.
    expect(out.stdout).toMatch(/✓ config: valid \(no \S+config\.json yet: defaults and environment variables\)/);
  });

  it('names a bad setting from the environment', async () => {
    const dir = dataDir();
    const out = await runCli(['doctor', '--data-dir', dir], { env: { ARBDESK_PROXY_PORT: 'abc' } });
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/✗ config: Invalid setting proxy\.port from environment variable ARBDESK_PROXY_PORT/);
  });
});

describe('arbdesk serve and status', () => {
  it('says when nothing is running', async () => {
    const dir = dataDir();
    const out = await runCli(['status', '--data-dir', dir]);
    expect(out.code).toBe(3);
    expect(out.stderr).toMatch(/not running for .*arbdesk serve/);
  });

  it('prints a login URL, reports status to the CLI, applies config changes live, and stops cleanly', async () => {
    const dir = dataDir();
    const serve = await startServe(['--data-dir', dir, '--control-port', '0', '--proxy-port', '0']);
    try {
      expect(serve.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{40,}$/);
      const status = await runCli(['status', '--data-dir', dir]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/proxy\s+degraded\s+listening on http:\/\/127\.0\.0\.1:\d+; not selling yet: upstream\.apiKey is empty/);
      expect(status.stdout).toMatch(/bot\s+off\s+not configured/);

      // doctor reports what the running host sees (its environment may differ from this shell's).
      const doctor = await runCli(['doctor', '--data-dir', dir]);
      expect(doctor.stdout).toMatch(/✓ host: running/);
      expect(doctor.stdout).toMatch(/proxy: \w+: .*\(as the running host sees it\)/);
      const second = await runCli(['serve', '--data-dir', dir, '--control-port', '0', '--proxy-port', '0']);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/already running for/);

      const set = await runCli(['config', 'set', 'log.level', 'debug', '--data-dir', dir]);
      expect(set.stdout).toMatch(/applied to the running host/);
      const got = await runCli(['config', 'get', 'log.level', '--data-dir', dir]);
      expect(got.stdout).toMatch(/debug[\s\S]*\(as the running host sees it; its environment may differ from this shell's\)/);
      const url = await runCli(['url', '--data-dir', dir]);
      expect(url.stdout.trim()).toBe(serve.loginUrl);
      const urlJson = await runCli(['url', '--json', '--data-dir', dir]);
      expect(JSON.parse(urlJson.stdout)).toEqual({ url: serve.loginUrl, controlUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    } finally {
      expect(await stopProcess(serve.child)).toBe(0);
    }
    expect(existsSync(path.join(dir, 'host.json'))).toBe(false);
    const logFile = readFileSync(path.join(dir, 'logs', 'arbdesk.log'), 'utf8');
    expect(logFile).toContain('"event":"host.stopping"');
    expect(logFile).toContain('"event":"host.stopped"');
    // A command run straight on the data dir (no host) leaves no start/stop lines behind.
    expect((await runCli(['customers', 'list', '--data-dir', dir])).code).toBe(0);
    const after = readFileSync(path.join(dir, 'logs', 'arbdesk.log'), 'utf8');
    expect(after.split('\n').filter((l) => l.includes('"event":"host.stop'))).toHaveLength(2);
    expect(after).not.toContain('cli command done');
    const token = readFileSync(path.join(dir, 'owner-token'), 'utf8').trim();
    expect(logFile).not.toContain(token);
  });
});
