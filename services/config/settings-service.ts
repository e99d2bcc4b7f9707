/**
 * The live settings of a running host: loads the layers, answers settings.get with secrets
 * masked, applies settings.update to config.json or the secret store, and tells listeners
 * which keys changed so the affected services restart.
 */
import type { SettingView } from '../contract.js';
import { readConfigFile, updateConfigFile, type SecretStore } from './files.js';
import { ConfigError, loadConfig, validateSetting, type LoadedConfig } from './load.js';
import { SETTING_KEYS, envNamesFor, getDef, isSettingKey, suggestKey, type SettingKey, type Settings } from './schema.js';

export interface SettingsServiceOptions {
  configFile: string;
  secrets: SecretStore;
  env: Record<string, string | undefined>;
  flags: Partial<Record<SettingKey, unknown>>;
}

export type SettingsListener = (changed: SettingKey[], settings: Settings) => void;

/** `••••a1b2` — enough for the owner to recognise which secret is set, never enough to use it. */
export function maskSecret(value: string): string {
  if (!value) return '';
  return value.length <= 8 ? '••••' : `••••${value.slice(-4)}`;
}

export class SettingsService {
  private loaded: LoadedConfig;
  private readonly listeners = new Set<SettingsListener>();

  constructor(private readonly options: SettingsServiceOptions) {
    this.loaded = this.load();
  }

  get settings(): Settings {
    return this.loaded.settings;
  }

  get configFile(): string {
    return this.options.configFile;
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private load(): LoadedConfig {
    return loadConfig({
      file: readConfigFile(this.options.configFile),
      secrets: this.options.secrets.all(),
      env: this.options.env,
      flags: this.options.flags,
      configFileName: this.options.configFile,
    });
  }

  views(): SettingView[] {
    return SETTING_KEYS.map((key) => {
      const def = getDef(key);
      const value = this.loaded.settings[key];
      const origin = this.loaded.origins[key];
      return {
        key,
        value: def.secret ? null : value,
        secret: Boolean(def.secret),
        isSet: def.secret ? value !== '' : true,
        masked: def.secret ? maskSecret(String(value)) : '',
        source: origin.source,
        envVars: envNamesFor(key),
        ...(origin.source === 'env' && origin.name ? { fromEnv: origin.name } : {}),
        ...(def.flag ? { flag: def.flag } : {}),
        type: def.type,
        description: def.description,
        ...(def.service ? { restartsService: def.service } : {}),
      };
    });
  }

  /**
   * Validates all changes first (nothing is written when one is bad), then writes them.
   * `null` removes a key from the file (back to the default) or deletes a secret.
   */
  update(changes: Record<string, unknown>): { updated: SettingKey[]; shadowed: { key: string; by: 'env' | 'flag'; name: string }[] } {
    const fileChanges: Partial<Record<SettingKey, unknown>> = {};
    const secretChanges: [SettingKey, string | null][] = [];
    for (const [key, raw] of Object.entries(changes)) {
      if (!isSettingKey(key)) {
        const hint = suggestKey(key);
        throw new ConfigError(`Unknown setting "${key}"${hint ? ` — did you mean "${hint}"?` : ''}`);
      }
      const def = getDef(key);
      if (raw === null) {
        if (def.secret) secretChanges.push([key, null]);
        else fileChanges[key] = undefined;
        continue;
      }
      const value = validateSetting(key, raw, 'your change');
      if (def.secret) secretChanges.push([key, String(value)]);
      else fileChanges[key] = value;
    }
    const before = this.loaded.settings;
    if (Object.keys(fileChanges).length) updateConfigFile(this.options.configFile, fileChanges);
    for (const [key, value] of secretChanges) this.options.secrets.set(key, value);
    this.loaded = this.load();

    const updated = Object.keys(changes) as SettingKey[];
    const shadowed = updated.flatMap((key) => {
      const origin = this.loaded.origins[key];
      return origin.source === 'env' || origin.source === 'flag' ? [{ key, by: origin.source, name: origin.name ?? '' }] : [];
    });
    const changed = SETTING_KEYS.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(this.loaded.settings[key]));
    if (changed.length) for (const listener of this.listeners) listener(changed, this.loaded.settings);
    return { updated, shadowed };
  }
}
