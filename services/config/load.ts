/**
 * Builds the effective settings from four layers, lowest first:
 *   defaults  <  config file (and secret store)  <  environment  <  command-line flags
 * and validates every value with its zod schema, failing with a message that names the key,
 * where the bad value came from, and what a good one looks like. Secret values are never
 * echoed in errors.
 */
import type { SettingSource } from '../contract.js';
import { describeZodError } from '../contract.js';
import {
  SETTING_KEYS,
  defaultSettings,
  envNamesFor,
  getDef,
  isSettingKey,
  suggestKey,
  type SettingKey,
  type Settings,
} from './schema.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface SettingOrigin {
  source: SettingSource;
  /** The env var or flag name, or the file path. */
  name?: string;
}

export interface LoadedConfig {
  settings: Settings;
  origins: Record<SettingKey, SettingOrigin>;
}

export interface ConfigLayers {
  /** Flat values from config.json (already flattened and key-checked). */
  file?: Partial<Record<SettingKey, unknown>>;
  /** Secrets from the secret store (flat key → string). */
  secrets?: Partial<Record<SettingKey, string>>;
  env?: Record<string, string | undefined>;
  /** Flag values as typed on the command line (strings) or already parsed. */
  flags?: Partial<Record<SettingKey, unknown>>;
  configFileName?: string;
}

/** Turns text from an env var, a flag or `arbdesk config set` into the setting's type. */
export function parseTextValue(key: SettingKey, raw: string): unknown {
  const type = getDef(key).type;
  const text = raw.trim();
  switch (type) {
    case 'number':
      return text === '' ? Number.NaN : Number(text);
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off)$/i.test(text)) return false;
      return text; // left for the schema to reject with a clear message
    case 'string[]':
      return text === '' ? [] : text.split(',').map((s) => s.trim()).filter(Boolean);
    case 'number[]':
      return text === '' ? [] : text.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    default:
      return raw;
  }
}

/** Validates one value; throws ConfigError naming the key and where the value came from. */
export function validateSetting(key: SettingKey, value: unknown, from: string, rawText?: string): unknown {
  const def = getDef(key);
  const parsed = def.schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const shown = def.secret ? '' : ` (got ${JSON.stringify(rawText ?? value)?.slice(0, 80)})`;
  const detail =
    typeof value === 'number' && Number.isNaN(value)
      ? 'must be a number'
      : describeZodError(parsed.error).replace(/^input: /, '');
  throw new ConfigError(`Invalid setting ${key} from ${from}: ${detail}${shown}. Expected ${def.type}: ${def.description}`);
}

export function loadConfig(layers: ConfigLayers): LoadedConfig {
  const settings = defaultSettings() as Record<SettingKey, unknown>;
  const origins = {} as Record<SettingKey, SettingOrigin>;
  const fileName = layers.configFileName ?? 'config.json';
  for (const key of SETTING_KEYS) origins[key] = { source: 'default' };

  for (const [key, value] of Object.entries(layers.file ?? {}) as [SettingKey, unknown][]) {
    settings[key] = validateSetting(key, value, fileName);
    origins[key] = { source: 'file', name: fileName };
  }
  for (const [key, value] of Object.entries(layers.secrets ?? {}) as [SettingKey, string][]) {
    if (!isSettingKey(key) || !getDef(key).secret) continue;
    settings[key] = validateSetting(key, value, 'the secret store');
    origins[key] = { source: 'file', name: 'secret store' };
  }
  const env = layers.env ?? {};
  for (const key of SETTING_KEYS) {
    // envNamesFor lists the ARBDESK_ name first; the first one set wins.
    const name = envNamesFor(key).find((n) => env[n] !== undefined && env[n] !== '');
    if (!name) continue;
    settings[key] = validateSetting(key, parseTextValue(key, env[name]!), `environment variable ${name}`, env[name]);
    origins[key] = { source: 'env', name };
  }
  for (const [key, value] of Object.entries(layers.flags ?? {}) as [SettingKey, unknown][]) {
    if (value === undefined) continue;
    const flag = getDef(key).flag ?? key;
    const typed = typeof value === 'string' ? parseTextValue(key, value) : value;
    settings[key] = validateSetting(key, typed, `flag ${flag}`, typeof value === 'string' ? value : undefined);
    origins[key] = { source: 'flag', name: flag };
  }
  return { settings: settings as Settings, origins };
}

/**
 * Flattens the nested config.json object ({ proxy: { port: 8787 } }) into dotted keys,
 * refusing unknown keys (with a "did you mean") and secrets (which belong in the secret store).
 */
export function flattenConfigFile(nested: unknown, fileName: string): Partial<Record<SettingKey, unknown>> {
  if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) {
    throw new ConfigError(`${fileName} must hold a JSON object such as {"proxy": {"port": 8787}}`);
  }
  const flat: Partial<Record<SettingKey, unknown>> = {};
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [part, value] of Object.entries(obj)) {
      const key = prefix ? `${prefix}.${part}` : part;
      if (isSettingKey(key)) {
        if (getDef(key).secret) {
          throw new ConfigError(
            `${fileName}: ${key} is a secret and must not be stored in the config file. ` +
              `Remove it there and set it with \`arbdesk config set ${key}\` (reads it from stdin) or the ${envNamesFor(key)[0]} environment variable.`,
          );
        }
        flat[key] = value;
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        walk(value as Record<string, unknown>, key);
      } else {
        const hint = suggestKey(key);
        throw new ConfigError(`${fileName}: unknown setting "${key}"${hint ? ` — did you mean "${hint}"?` : '.'} Run \`arbdesk config get\` to list settings.`);
      }
    }
  };
  walk(nested as Record<string, unknown>, '');
  return flat;
}

/** The inverse of flattenConfigFile, for writing config.json. */
export function nestConfig(flat: Partial<Record<SettingKey, unknown>>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return root;
}
