/**
 * Pure logic of the Settings screen: grouping, turning what the owner typed into contract
 * values, and the list of changes to send with `settings.update`.
 */
import type { CommandOutput, SettingView } from '../../../services/contract';

export type SettingValue = string | number | boolean | (string | number)[] | null;

/** What the owner has typed for one setting, before it is saved. */
export type Draft =
  | { kind: 'set'; input: string | boolean | string[] }
  | /** Remove the value from the config file (back to the default), or remove a secret. */ { kind: 'clear' };

export type Drafts = Readonly<Record<string, Draft>>;
export type Shadowed = CommandOutput<'settings.update'>['shadowed'][number];

export interface SettingGroup {
  name: string;
  settings: SettingView[];
}

/** Groups by the first path segment (`proxy.port` → proxy), in the order the host lists them. */
export function groupSettings(settings: readonly SettingView[]): SettingGroup[] {
  const groups = new Map<string, SettingView[]>();
  for (const setting of settings) {
    const name = setting.key.split('.')[0] || setting.key;
    let list = groups.get(name);
    if (!list) {
      list = [];
      groups.set(name, list);
    }
    list.push(setting);
  }
  return [...groups].map(([name, list]) => ({ name, settings: list }));
}

/** The editor's starting content for a setting (secrets always start empty). */
export function initialInput(setting: SettingView): string | boolean | string[] {
  const { value } = setting;
  switch (setting.type) {
    case 'boolean':
      return value === true;
    case 'string[]':
    case 'number[]':
      return Array.isArray(value) ? value.map(String) : [];
    default:
      if (setting.secret || value === null || value === undefined) return '';
      return String(value);
  }
}

function parseNumber(key: string, text: string): { ok: true; value: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) return { ok: false, message: `${key}: “${text}” is not a number` };
  return { ok: true, value };
}

export type Parsed = { ok: true; value: SettingValue } | { ok: false; message: string };

/** Turns a draft into the value `settings.update` expects for this setting's type. */
export function draftValue(setting: SettingView, draft: Draft): Parsed {
  if (draft.kind === 'clear') return { ok: true, value: null };
  const { input } = draft;
  switch (setting.type) {
    case 'boolean':
      return { ok: true, value: input === true };
    case 'number':
      return typeof input === 'string' ? parseNumber(setting.key, input) : { ok: false, message: `${setting.key}: expected a number` };
    case 'string[]':
      return { ok: true, value: (Array.isArray(input) ? input : []).map((s) => s.trim()).filter(Boolean) };
    case 'number[]': {
      const out: number[] = [];
      for (const item of Array.isArray(input) ? input : []) {
        const parsed = parseNumber(setting.key, item);
        if (!parsed.ok) return parsed;
        out.push(parsed.value);
      }
      return { ok: true, value: out };
    }
    default:
      return { ok: true, value: typeof input === 'string' ? input : String(input) };
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** Whether sending `value` would change anything (an empty secret field changes nothing). */
export function changesSomething(setting: SettingView, value: SettingValue): boolean {
  if (setting.secret) return value === null ? setting.isSet : value !== '';
  if (value === null) return setting.source === 'file';
  return !sameValue(setting.value, value);
}

export interface PlannedChanges {
  changes: Record<string, SettingValue>;
  /** Key → what is wrong with what was typed. Nothing is sent while this is not empty. */
  errors: Record<string, string>;
}

export function planChanges(settings: readonly SettingView[], drafts: Drafts): PlannedChanges {
  const changes: Record<string, SettingValue> = {};
  const errors: Record<string, string> = {};
  for (const setting of settings) {
    const draft = drafts[setting.key];
    if (!draft) continue;
    const parsed = draftValue(setting, draft);
    if (!parsed.ok) errors[setting.key] = parsed.message;
    else if (changesSomething(setting, parsed.value)) changes[setting.key] = parsed.value;
  }
  return { changes, errors };
}

/** "proxy.port was saved, but the environment variable ARBDESK_PROXY_PORT overrides it." */
export function describeShadowed(s: Shadowed): string {
  const by =
    s.by === 'env'
      ? `the environment variable ${s.name}`
      : s.by === 'flag'
        ? `the command-line flag ${s.name}`
        : `${s.by} ${s.name}`;
  return `${s.key} was saved, but ${by} overrides it; the saved value takes effect once that is removed.`;
}
