/**
 * Where the desktop app keeps secrets (bot token, upstream key, exchange keys).
 *
 * In the desktop app the host keeps secrets in memory only; main decrypts them for `init` and
 * stores what the host sends in `secret.persist`. Two modes, chosen once at start-up:
 *
 * - encrypted (normal): each value is encrypted with Electron safeStorage (Keychain, DPAPI,
 *   libsecret/kwallet) and kept as base64 in <dataDir>/secrets.enc.json, mode 0600.
 * - plaintext fallback: when the OS offers no real key store (Linux without a keyring, where
 *   safeStorage would fall back to a hard-coded key), we say so in the log and keep secrets
 *   exactly where headless mode keeps them: <dataDir>/secrets.json, mode 0600. Persist is still
 *   handled here, so the host needs no flag and behaves the same in both modes.
 *
 * secrets.json is also read in encrypted mode, below the encrypted values, so secrets entered
 * in headless mode are there in the desktop app. When the desktop app stores or deletes a key,
 * its plaintext copy is removed from secrets.json: the newest value then lives only encrypted,
 * and a deleted secret cannot come back from the old file.
 *
 * No electron import: the cipher is injected (safeStorage in index.ts, a fake in tests).
 */
import { existsSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from './log.js';

export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

export type SecretMode = 'encrypted' | 'plaintext';

/**
 * Whether safeStorage really protects anything. On Linux, `basic_text` means no keyring was
 * found and values would be "encrypted" with a key compiled into Chromium.
 */
export function chooseSecretMode(platform: NodeJS.Platform, encryptionAvailable: boolean, linuxBackend: string | undefined): SecretMode {
  if (!encryptionAvailable) return 'plaintext';
  if (platform === 'linux' && (linuxBackend === 'basic_text' || linuxBackend === 'unknown')) return 'plaintext';
  return 'encrypted';
}

type Dict = Record<string, string>;

function emptyDict(): Dict {
  return Object.create(null) as Dict;
}

function validKey(key: string): boolean {
  return key.length > 0 && key.length <= 200 && key !== '__proto__' && key !== 'constructor' && key !== 'prototype';
}

export class SecretVault {
  readonly encryptedFile: string;
  readonly plainFile: string;

  constructor(
    dataDir: string,
    readonly mode: SecretMode,
    private readonly cipher: SecretCipher,
    private readonly log: Pick<Logger, 'warn' | 'info'>,
  ) {
    this.encryptedFile = path.join(dataDir, 'secrets.enc.json');
    this.plainFile = path.join(dataDir, 'secrets.json');
  }

  /**
   * Every secret as plain text, for the host's `init`. A damaged file is reported and skipped,
   * so one bad file does not keep the other secrets from the host.
   */
  load(): Record<string, string> {
    const out = { ...this.readOrWarn(this.plainFile) };
    const encrypted = this.readOrWarn(this.encryptedFile);
    const names = Object.keys(encrypted);
    if (this.mode === 'plaintext') {
      if (names.length) {
        this.log.warn(
          `${names.length} secret(s) in secrets.enc.json were encrypted with the OS keyring, which is not available now; they are left untouched and not used`,
          { keys: names },
        );
      }
      return out;
    }
    for (const key of names) {
      try {
        out[key] = this.cipher.decrypt(Buffer.from(encrypted[key] ?? '', 'base64'));
      } catch {
        // The keyring changed (new OS user, reinstalled system): the value is unrecoverable.
        this.log.warn('could not decrypt a stored secret; enter it again in Settings', { key });
      }
    }
    return out;
  }

  /** Stores (value) or deletes (null) one secret. Throws with the file name when it cannot. */
  persist(key: string, value: string | null): void {
    if (!validKey(key)) throw new Error(`refusing to store a secret under the name "${key.slice(0, 40)}"`);
    if (this.mode === 'plaintext') {
      this.update(this.plainFile, key, value);
      return;
    }
    this.update(this.encryptedFile, key, value === null ? null : this.cipher.encrypt(value).toString('base64'));
    if (existsSync(this.plainFile) && key in this.readDict(this.plainFile)) this.update(this.plainFile, key, null);
  }

  private readOrWarn(file: string): Dict {
    try {
      return this.readDict(file);
    } catch (err) {
      this.log.warn(`${(err as Error).message} Its secrets are not available until then.`);
      return emptyDict();
    }
  }

  private update(file: string, key: string, value: string | null): void {
    const dict = this.readDict(file);
    if (value === null) delete dict[key];
    else dict[key] = value;
    writeAtomic(file, JSON.stringify(dict, null, 2) + '\n');
  }

  /** A flat { key: string } file; missing ⇒ empty; anything else ⇒ an error naming the file. */
  private readDict(file: string): Dict {
    const dict = emptyDict();
    if (!existsSync(file)) return dict;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file} is not valid JSON (${(err as Error).message}). Fix or delete it.`, { cause: err });
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new Error(`${file} must hold a JSON object. Fix or delete it.`);
    }
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (validKey(key) && typeof value === 'string') dict[key] = value;
    }
    return dict;
  }
}

/** Temp file + rename, so a crash never leaves half a secrets file; 0600 from the first byte. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
  chmodSync(file, 0o600);
}
