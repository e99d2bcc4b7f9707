import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretVault, chooseSecretMode, type SecretCipher } from '../../../electron/main/secrets.js';

/** A reversible stand-in for safeStorage whose output never contains the plain text. */
const cipher: SecretCipher = {
  encrypt: (plain) => Buffer.concat([Buffer.from('enc:'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]),
  decrypt: (data) => {
    if (data.subarray(0, 4).toString() !== 'enc:') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(data.subarray(4).map((b) => b ^ 0x5a)).toString('utf8');
  },
};

let dir: string;
let warnings: { msg: string; fields?: Record<string, unknown> }[];
const log = {
  warn: (msg: string, fields?: Record<string, unknown>) => warnings.push({ msg, fields }),
  info: () => undefined,
};
const readJson = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, string>;
const modeOf = (file: string) => statSync(path.join(dir, file)).mode & 0o777;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'arbdesk-secrets-'));
  warnings = [];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('choosing where secrets live', () => {
  it('encrypts when the OS has a real key store', () => {
    expect(chooseSecretMode('darwin', true, undefined)).toBe('encrypted');
    expect(chooseSecretMode('win32', true, undefined)).toBe('encrypted');
    expect(chooseSecretMode('linux', true, 'gnome_libsecret')).toBe('encrypted');
    expect(chooseSecretMode('linux', true, 'kwallet5')).toBe('encrypted');
  });

  it('falls back to the 0600 file when there is none (Linux without a keyring)', () => {
    expect(chooseSecretMode('linux', true, 'basic_text')).toBe('plaintext');
    expect(chooseSecretMode('linux', false, 'unknown')).toBe('plaintext');
    expect(chooseSecretMode('darwin', false, undefined)).toBe('plaintext');
  });
});

describe('encrypted mode', () => {
  it('stores each secret encrypted in secrets.enc.json (0600) and gives it back decrypted', () => {
    const vault = new SecretVault(dir, 'encrypted', cipher, log);
    vault.persist('telegram.token', '123456:ABC-secret');
    vault.persist('upstream.apiKey', 'sk-or-v1-xyz');

    const onDisk = readFileSync(path.join(dir, 'secrets.enc.json'), 'utf8');
    expect(onDisk).not.toContain('ABC-secret');
    expect(onDisk).not.toContain('sk-or-v1-xyz');
    expect(Buffer.from(readJson('secrets.enc.json')['telegram.token'] ?? '', 'base64').subarray(0, 4).toString()).toBe('enc:');
    if (process.platform !== 'win32') expect(modeOf('secrets.enc.json')).toBe(0o600);
    expect(existsSync(path.join(dir, 'secrets.json'))).toBe(false);

    expect(new SecretVault(dir, 'encrypted', cipher, log).load()).toEqual({
      'telegram.token': '123456:ABC-secret',
      'upstream.apiKey': 'sk-or-v1-xyz',
    });
  });

  it('deletes a secret when the host persists null', () => {
    const vault = new SecretVault(dir, 'encrypted', cipher, log);
    vault.persist('telegram.token', 'a');
    vault.persist('upstream.apiKey', 'b');
    vault.persist('telegram.token', null);
    expect(vault.load()).toEqual({ 'upstream.apiKey': 'b' });
  });

  it('also offers secrets entered in headless mode, and retires their plaintext copy once changed here', () => {
    writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ 'telegram.token': 'from-headless', 'upstream.apiKey': 'old' }));
    const vault = new SecretVault(dir, 'encrypted', cipher, log);
    expect(vault.load()).toEqual({ 'telegram.token': 'from-headless', 'upstream.apiKey': 'old' });

    vault.persist('upstream.apiKey', 'new');
    vault.persist('telegram.token', null);
    expect(readJson('secrets.json')).toEqual({});
    // A deleted secret does not come back from the old file.
    expect(vault.load()).toEqual({ 'upstream.apiKey': 'new' });
  });

  it('skips a value it cannot decrypt, warning with the key name only', () => {
    writeFileSync(
      path.join(dir, 'secrets.enc.json'),
      JSON.stringify({
        'telegram.token': Buffer.from('garbage-from-another-keyring').toString('base64'),
        'upstream.apiKey': cipher.encrypt('ok').toString('base64'),
      }),
    );
    const vault = new SecretVault(dir, 'encrypted', cipher, log);
    expect(vault.load()).toEqual({ 'upstream.apiKey': 'ok' });
    expect(warnings).toEqual([{ msg: expect.stringContaining('could not decrypt'), fields: { key: 'telegram.token' } }]);
  });

  it('refuses to overwrite a corrupt file, naming it', () => {
    writeFileSync(path.join(dir, 'secrets.enc.json'), '{ not json');
    const vault = new SecretVault(dir, 'encrypted', cipher, log);
    expect(() => vault.persist('telegram.token', 'x')).toThrow(/secrets\.enc\.json is not valid JSON/);
    expect(readFileSync(path.join(dir, 'secrets.enc.json'), 'utf8')).toBe('{ not json');
  });

  it('still hands over the readable secrets when one file is damaged, and says which file', () => {
    writeFileSync(path.join(dir, 'secrets.json'), '[1, 2');
    writeFileSync(path.join(dir, 'secrets.enc.json'), JSON.stringify({ 'upstream.apiKey': cipher.encrypt('k').toString('base64') }));
    expect(new SecretVault(dir, 'encrypted', cipher, log).load()).toEqual({ 'upstream.apiKey': 'k' });
    expect(warnings.map((w) => w.msg)).toEqual([expect.stringMatching(/secrets\.json is not valid JSON .* Fix or delete it\./)]);
  });

  it('refuses names that would touch an object prototype', () => {
    const vault = new SecretVault(dir, 'encrypted', cipher, log);
    expect(() => vault.persist('__proto__', 'x')).toThrow(/refusing/);
    expect(() => vault.persist('', 'x')).toThrow(/refusing/);
  });
});

describe('plaintext fallback', () => {
  it('keeps secrets in secrets.json with mode 0600, as headless mode does', () => {
    const vault = new SecretVault(dir, 'plaintext', cipher, log);
    vault.persist('telegram.token', 't');
    expect(readJson('secrets.json')).toEqual({ 'telegram.token': 't' });
    if (process.platform !== 'win32') expect(modeOf('secrets.json')).toBe(0o600);
    expect(vault.load()).toEqual({ 'telegram.token': 't' });
    expect(existsSync(path.join(dir, 'secrets.enc.json'))).toBe(false);
  });

  it('leaves secrets encrypted earlier untouched, and says so', () => {
    const encrypted = JSON.stringify({ 'telegram.token': cipher.encrypt('t').toString('base64') });
    writeFileSync(path.join(dir, 'secrets.enc.json'), encrypted);
    const vault = new SecretVault(dir, 'plaintext', cipher, log);
    expect(vault.load()).toEqual({});
    vault.persist('upstream.apiKey', 'k');
    expect(readFileSync(path.join(dir, 'secrets.enc.json'), 'utf8')).toBe(encrypted);
    expect(warnings[0]?.msg).toMatch(/not available now/);
    expect(warnings[0]?.fields).toEqual({ keys: ['telegram.token'] });
  });
});
