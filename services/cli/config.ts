/**
 * `arbdesk config get [key|group]`, `config set <key> [value]`, `config unset <key>`.
 * With a host running for the data dir, changes go through it (settings.update), so the
 * affected service restarts at once; otherwise the files in the data dir are edited directly.
 * Secrets are read from stdin (or typed without echo), never taken from the command line.
 */
import type { SettingView } from '../contract.js';
import { dataFiles, ensureDataDir, resolveDataDir } from '../config/data-dir.js';
import { FileSecretStore } from '../config/files.js';
import { parseTextValue, validateSetting } from '../config/load.js';
import { getDef, isSettingKey, nearest, SETTING_KEYS, suggestKey, type SettingKey } from '../config/schema.js';
import { SettingsService } from '../config/settings-service.js';
import { connectToHost, invokeHost } from './host-client.js';
import { checkPublicUrl } from '../setup/check.js';
import { CliError, printJson, table, unwrap } from './output.js';
import { readSecret } from './read-secret.js';

interface ConfigOptions {
  dataDir?: string;
  json?: boolean;
}

function localSettings(dataDir: string): SettingsService {
  const files = dataFiles(dataDir);
  return new SettingsService({ configFile: files.config, secrets: new FileSecretStore(files.secrets), env: process.env, flags: {} });
}

/** `upstream`, `proxy`, …: what `config get <group>` lists. */
const GROUPS = [...new Set(SETTING_KEYS.map((k) => k.slice(0, k.indexOf('.'))))];

/** `allowGroups`: the name may also be a group (config get), and a near-miss of one is suggested (`upstrem`). */
function checkKey(key: string, allowGroups = false): SettingKey {
  if (isSettingKey(key)) return key;
  const group = allowGroups ? nearest(key.replace(/\.$/, ''), GROUPS, 2) : undefined;
  const hint = suggestKey(key) ?? group;
  throw new CliError(`Unknown setting "${key}"${hint ? ` — did you mean "${hint}"?` : '.'} Run \`arbdesk config get\` to list them.`, 2);
}

function shown(view: SettingView): string {
  if (view.secret) return view.isSet ? view.masked || '(set)' : '(not set)';
  return Array.isArray(view.value) ? view.value.join(',') : String(view.value);
}

export async function configGet(key: string | undefined, options: ConfigOptions): Promise<void> {
  const dataDir = resolveDataDir(options.dataDir);
  const conn = connectToHost(dataDir);
  const views = conn ? unwrap(await invokeHost(conn, 'settings.get')).settings : localSettings(dataDir).views();
  // A group (`upstream`, `proxy.`) lists the settings under it, like the full list does.
  const group = key === undefined || isSettingKey(key) ? [] : views.filter((v) => v.key.startsWith(`${key.replace(/\.$/, '')}.`));
  const view = group.length === 0 && key !== undefined ? views.find((v) => v.key === checkKey(key, true))! : undefined;
  const result = view ?? (group.length ? group : views);
  if (options.json) return printJson(result);
  console.log(view ? shown(view) : settingsTable(result as SettingView[]));
  // Env vars set in this shell do not reach a host already running: say whose view this is.
  if (conn) console.log(`(as the running host sees it; its environment may differ from this shell's)`);
}

function settingsTable(views: SettingView[]): string {
  // ENV: the variable the value came from, else the one that would set it.
  return table([['KEY', 'VALUE', 'SOURCE', 'ENV'], ...views.map((v) => [v.key, shown(v), v.source, v.fromEnv ?? v.envVars[0] ?? ''])]);
}

export async function configSet(key: string, value: string | undefined, options: ConfigOptions & { unset?: boolean }): Promise<void> {
  const k = checkKey(key);
  const def = getDef(k);
  let typed: unknown = null;
  if (!options.unset) {
    if (def.secret) {
      if (value !== undefined) {
        throw new CliError(
          `${k} is a secret: it is read from stdin so it stays out of shell history and process lists.\n` +
            `  printf %s "$VALUE" | arbdesk config set ${k}\n  or run \`arbdesk config set ${k}\` and type it (not echoed).`,
          2,
        );
      }
      typed = await readSecret(`${k}: `);
      if (!typed) throw new CliError(`No value given for ${k}; nothing changed. To remove it use \`arbdesk config unset ${k}\`.`, 2);
    } else {
      if (value === undefined) throw new CliError(`Give a value: arbdesk config set ${k} <value>  (${def.type}; ${def.description})`, 2);
      typed = parseTextValue(k, value);
      try {
        // Checked here, where the text typed is still known ("abc", not the NaN it parses to).
        validateSetting(k, typed, 'your change', value);
      } catch (error) {
        throw new CliError((error as Error).message, 2);
      }
    }
  }
  const dataDir = resolveDataDir(options.dataDir);
  const conn = connectToHost(dataDir);
  let shadowed: { key: string; name: string }[];
  if (conn) {
    shadowed = unwrap(await invokeHost(conn, 'settings.update', { changes: { [k]: typed as never } })).shadowed;
  } else {
    ensureDataDir(dataDir);
    try {
      shadowed = localSettings(dataDir).update({ [k]: typed }).shadowed;
    } catch (error) {
      throw new CliError((error as Error).message, 2);
    }
  }
  // Saved (the schema allows http:// for local tests), but what the setup checklist would flag is said now.
  const notes = k === 'proxy.publicUrl' && typeof typed === 'string' && typed !== '' ? [checkPublicUrl(typed)].filter((c) => c.state === 'problem').map((c) => c.message) : [];
  if (options.json) return printJson({ key: k, updated: true, appliedToRunningHost: Boolean(conn), shadowed, notes });
  const what = options.unset ? 'removed' : def.secret ? 'stored (not shown)' : `set to ${value}`;
  console.log(`${k} ${what}${conn ? ' — applied to the running host' : ''}.`);
  for (const s of shadowed) console.log(`Note: ${s.name} is set and overrides this value while it is.`);
  for (const n of notes) console.log(`Note: ${n}`);
}
