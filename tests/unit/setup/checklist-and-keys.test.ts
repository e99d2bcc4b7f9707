/**
 * The renderer's pure parts of the first-run checklist (what a step shows about a saved value,
 * progress, the value sent for the markup) and the Alt+<n> screen shortcuts.
 */
import { describe, expect, it } from 'vitest';
import type { SettingView } from '../../../services/contract.js';
import { SETUP_ITEMS } from '../../../services/contract-views.js';
import { ROUTES } from '../../../renderer/router/routes.js';
import { screenForShortcut, shortcutLabel } from '../../../renderer/components/keyboard.js';
import { SETUP_STEPS, progress, savedSummary, stateLabel, typedValue } from '../../../renderer/features/settings/setup-steps.js';

const step = (item: string) => SETUP_STEPS.find((s) => s.item === item)!;

function view(key: string, over: Partial<SettingView>): SettingView {
  return { key, value: null, secret: false, isSet: true, masked: '', source: 'file', envVars: [], type: 'string', description: '', ...over };
}

describe('first-run checklist steps', () => {
  it('has one step per setup.check item, and the secret ones are the schema\'s secrets', () => {
    expect(SETUP_STEPS.map((s) => s.item).sort()).toEqual([...SETUP_ITEMS].sort());
    expect(SETUP_STEPS.filter((s) => s.secret).map((s) => s.item)).toEqual(['telegram.token', 'upstream.apiKey', 'payments.btc.xpub', 'payments.eth.xpub']);
  });

  it('says only set / not set about a saved secret, even when a masked hint is there', () => {
    expect(savedSummary(step('telegram.token'), view('telegram.token', { secret: true, isSet: true, masked: '••••a1b2', value: null }))).toBe('set');
    expect(savedSummary(step('upstream.apiKey'), view('upstream.apiKey', { secret: true, isSet: false }))).toBe('not set');
    expect(savedSummary(step('proxy.publicUrl'), view('proxy.publicUrl', { value: 'https://ai.example.com' }))).toBe('https://ai.example.com');
  });

  it('labels states, optional steps and progress over the required ones', () => {
    expect(stateLabel(step('payments.btc.xpub'), 'todo')).toBe('Optional');
    expect(stateLabel(step('telegram.token'), 'todo')).toBe('Not done');
    expect(progress({ 'telegram.token': { state: 'done', message: '' }, 'payments.btc.xpub': { state: 'done', message: '' } })).toEqual({ done: 1, required: 5 });
  });

  it('sends the markup as a number and other values trimmed', () => {
    expect(typedValue(step('pricing.markupPercent'), ' 30 ')).toBe(30);
    expect(typedValue(step('pricing.markupPercent'), 'lots')).toBe('lots');
    expect(typedValue(step('proxy.publicUrl'), ' https://x.example.com ')).toBe('https://x.example.com');
  });
});

describe('Alt+<n> shortcuts', () => {
  const key = (code: string, mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = { altKey: true }) => ({ altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods, code });

  it('open the screens in navbar order, by key position (Option+1 on a Mac types ¡)', () => {
    expect(screenForShortcut(key('Digit1'))).toBe(ROUTES[0]!.id);
    expect(screenForShortcut(key('Numpad2'))).toBe(ROUTES[1]!.id);
    expect(shortcutLabel(0)).toBe('Alt+1');
    expect(shortcutLabel(9)).toBeUndefined();
  });

  it('ignore other modifiers and keys', () => {
    expect(screenForShortcut(key('Digit1', {}))).toBeNull();
    expect(screenForShortcut(key('Digit1', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(screenForShortcut(key('Digit0'))).toBeNull();
    expect(screenForShortcut(key('KeyG'))).toBeNull();
  });
});
