import { statSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../services/config/files.js';
import { ConfigError, flattenConfigFile, loadConfig } from '../../services/config/load.js';
import { envNameFor, envNamesFor } from '../../services/config/schema.js';
import { SettingsService } from '../../services/config/settings-service.js';
import { tempDir } from '../helpers/temp.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function service(env: Record<string, string> = {}, flags = {}) {
  const t = tempDir();
  cleanup = t.cleanup;
  const files = { config: path.join(t.dir, 'config.json'), secrets: path.join(t.dir, 'secrets.json') };
  const make = () => new SettingsService({ configFile: files.config, secrets: new FileSecretStore(files.secrets), env, flags });
  return { files, make, dir: t.dir };
}

describe('setting names', () => {
  it('derives ARBDESK_ env names from the dotted path', () => {
    expect(envNameFor('proxy.publicUrl')).toBe('ARBDESK_PROXY_PUBLIC_URL');
    expect(envNameFor('telegram.ownerIds')).toBe('ARBDESK_TELEGRAM_OWNER_IDS');
    expect(envNameFor('proxy.port')).toBe('ARBDESK_PROXY_PORT');
  });
  it("keeps the seeds' names, ARBDESK_ first", () => {
    expect(envNamesFor('upstream.apiKey')).toEqual(['ARBDESK_UPSTREAM_API_KEY', 'OPENROUTER_API_KEY']);
    expect(envNamesFor('telegram.token')).toEqual(['ARBDESK_TELEGRAM_TOKEN', 'TELEGRAM_BOT_TOKEN', 'TOKEN']);
  });
});

describe('precedence: defaults < file < env < flags', () => {
  it('takes each layer over the one below, and says where the value came from', () => {
    const file = { 'proxy.port': 9001, 'proxy.host': '0.0.0.0', 'pricing.markupPercent': 30 };
    const env = { ARBDESK_PROXY_PORT: '9002', TOKEN_MARKUP_PERCENTAGE: '40' };
    const flags = { 'proxy.port': '9003' };
    const { settings, origins } = loadConfig({ file, env, flags });
    expect(settings['proxy.port']).toBe(9003);
    expect(origins['proxy.port']).toEqual({ source: 'flag', name: '--proxy-port' });
    expect(settings['proxy.host']).toBe('0.0.0.0');
    expect(origins['proxy.host'].source).toBe('file');
    expect(settings['pricing.markupPercent']).toBe(40);
    expect(origins['pricing.markupPercent']).toEqual({ source: 'env', name: 'TOKEN_MARKUP_PERCENTAGE' });
    expect(settings['control.port']).toBe(8790);
    expect(origins['control.port'].source).toBe('default');
  });

  it('prefers the ARBDESK_ name over a seed alias, and TELEGRAM_BOT_TOKEN over TOKEN', () => {
    const both = loadConfig({ env: { ARBDESK_UPSTREAM_API_KEY: 'sk-a', OPENROUTER_API_KEY: 'sk-b' } });
    expect(both.settings['upstream.apiKey']).toBe('sk-a');
    const tokens = loadConfig({ env: { TOKEN: '1:old', TELEGRAM_BOT_TOKEN: '2:new' } });
    expect(tokens.settings['telegram.token']).toBe('2:new');
  });

  it('parses lists from env vars (ADMIN_ID_LIST)', () => {
    const { settings } = loadConfig({ env: { ADMIN_ID_LIST: '111, 222' } });
    expect(settings['telegram.ownerIds']).toEqual([111, 222]);
  });
});

describe('clear errors', () => {
  it('names the key, where the value came from and what is expected', () => {
    expect(() => loadConfig({ env: { ARBDESK_PROXY_PORT: 'eighty' } })).toThrowError(
      /Invalid setting proxy\.port from environment variable ARBDESK_PROXY_PORT: must be a number \(got "eighty"\)/,
    );
    expect(() => loadConfig({ flags: { 'proxy.port': '70000' } })).toThrowError(/proxy\.port from flag --proxy-port: .*port from 0 to 65535/);
  });

  it('never echoes a secret value in an error', () => {
    let message = '';
    try {
      loadConfig({ env: { TELEGRAM_BOT_TOKEN: 'not a token with spaces SECRETVALUE' } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/telegram\.token/);
    expect(message).not.toContain('SECRETVALUE');
  });

  it('refuses unknown keys in config.json with a suggestion, and secrets stored there', () => {
    expect(() => flattenConfigFile({ proxy: { prot: 1 } }, 'config.json')).toThrowError(/unknown setting "proxy\.prot" — did you mean "proxy\.port"/);
    expect(() => flattenConfigFile({ telegram: { token: '1:abc' } }, 'config.json')).toThrowError(ConfigError);
    expect(() => flattenConfigFile({ telegram: { token: '1:abc' } }, 'config.json')).toThrowError(/is a secret/);
  });

  it('reports invalid JSON in the config file', () => {
    const { files, make } = service();
    writeFileSync(files.config, '{ "proxy": ');
    expect(() => make()).toThrowError(/config\.json is not valid JSON/);
  });
});

describe('SettingsService', () => {
  it('writes ordinary settings to config.json and secrets to a 0600 secrets.json, masked in views', () => {
    const { files, make } = service();
    const s = make();
    s.update({ 'proxy.port': 9100, 'telegram.token': '123456:ABCDEFsecretvalue' });
    expect(JSON.parse(readFileSync(files.config, 'utf8'))).toEqual({ proxy: { port: 9100 } });
    expect(readFileSync(files.config, 'utf8')).not.toContain('ABCDEF');
    expect(statSync(files.secrets).mode & 0o777).toBe(0o600);
    const token = s.views().find((v) => v.key === 'telegram.token')!;
    expect(token).toMatchObject({ secret: true, isSet: true, value: null, masked: '••••alue' });
    expect(JSON.stringify(s.views())).not.toContain('ABCDEFsecret');
    expect(make().settings['proxy.port']).toBe(9100);
  });

  it('writes nothing when one change of several is invalid', () => {
    const { files, make } = service();
    const s = make();
    expect(() => s.update({ 'proxy.port': 9100, 'proxy.host': '' })).toThrowError(/proxy\.host/);
    expect(existsSync(files.config)).toBe(false);
  });

  it('reports changes hidden by an env var, and tells listeners what changed', () => {
    const { make } = service({ ARBDESK_PROXY_PORT: '9500' });
    const s = make();
    const seen: string[][] = [];
    s.onChange((keys) => seen.push(keys));
    const result = s.update({ 'proxy.port': 9100, 'proxy.publicUrl': 'https://ai.example.com' });
    expect(result.shadowed).toEqual([{ key: 'proxy.port', by: 'env', name: 'ARBDESK_PROXY_PORT' }]);
    expect(s.settings['proxy.port']).toBe(9500);
    expect(seen).toEqual([['proxy.publicUrl']]);
  });

  it('null removes a setting (back to default) or deletes a secret', () => {
    const { make } = service();
    const s = make();
    s.update({ 'proxy.port': 9100, 'upstream.apiKey': 'sk-or-v1-abcdef' });
    s.update({ 'proxy.port': null, 'upstream.apiKey': null });
    expect(s.settings['proxy.port']).toBe(8787);
    expect(s.settings['upstream.apiKey']).toBe('');
  });
});
