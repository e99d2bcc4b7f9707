/**
 * config.json (ordinary settings, nested JSON) and the secret stores.
 *
 * Writes are atomic (temp file + rename) so a crash never leaves a half-written file.
 * Headless, secrets live in secrets.json with mode 0600; in the desktop app the Electron main
 * process keeps them encrypted with safeStorage and hands them to the host (MemorySecretStore).
 */
import { existsSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { ConfigError, flattenConfigFile, nestConfig } from './load.js';
import { getDef, isSettingKey, type SettingKey } from './schema.js';

export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
  chmodSync(file, mode);
}

function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON (${(err as Error).message}). Fix or delete it.`);
  }
}

export function readConfigFile(file: string): Partial<Record<SettingKey, unknown>> {
  if (!existsSync(file)) return {};
  return flattenConfigFile(readJson(file), file);
}

/** Sets (value) or removes (undefined) keys in config.json, keeping the others. */
export function updateConfigFile(file: string, changes: Partial<Record<SettingKey, unknown>>): void {
  const current = readConfigFile(file);
  for (const [key, value] of Object.entries(changes) as [SettingKey, unknown][]) {
    if (value === undefined) delete current[key];
    else current[key] = value;
  }
  writeFileAtomic(file, JSON.stringify(nestConfig(current), null, 2) + '\n', 0o600);
}

export interface SecretStore {
  readonly description: string;
  all(): Partial<Record<SettingKey, string>>;
  /** Stores a secret, or removes it when value is null. */
  set(key: SettingKey, value: string | null): void;
}

/** Headless: secrets.json, 0600, never logged. */
export class FileSecretStore implements SecretStore {
  readonly description: string;
  constructor(private readonly file: string) {
    this.description = file;
  }

  all(): Partial<Record<SettingKey, string>> {
    if (!existsSync(this.file)) return {};
    const data = readJson(this.file);
    if (!data || typeof data !== 'object') throw new ConfigError(`${this.file} must hold a JSON object`);
    const out: Partial<Record<SettingKey, string>> = {};
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (isSettingKey(key) && getDef(key).secret && typeof value === 'string') out[key] = value;
    }
    return out;
  }

  set(key: SettingKey, value: string | null): void {
    const current = this.all();
    if (value === null) delete current[key];
    else current[key] = value;
    writeFileAtomic(this.file, JSON.stringify(current, null, 2) + '\n', 0o600);
  }
}

/** Desktop: values decrypted by Electron main; changes are sent back to it to encrypt. */
export class MemorySecretStore implements SecretStore {
  readonly description = 'the desktop keychain (Electron safeStorage)';
  private readonly values: Partial<Record<SettingKey, string>> = {};
  constructor(
    initial: Record<string, string>,
    private readonly persist: (key: SettingKey, value: string | null) => void,
  ) {
    for (const [key, value] of Object.entries(initial)) {
      if (isSettingKey(key) && getDef(key).secret) this.values[key] = value;
    }
  }
  all(): Partial<Record<SettingKey, string>> {
    return { ...this.values };
  }
  set(key: SettingKey, value: string | null): void {
    if (value === null) delete this.values[key];
    else this.values[key] = value;
    this.persist(key, value);
  }
}
