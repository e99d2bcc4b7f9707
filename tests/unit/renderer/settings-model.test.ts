import { describe, expect, it } from 'vitest';
import {
  describeShadowed,
  draftValue,
  groupSettings,
  initialInput,
  planChanges,
} from '../../../renderer/features/settings/model';
import { setting } from './fixtures';

describe('settings: grouping', () => {
  it('groups by the first path segment, in the order the host lists them', () => {
    const groups = groupSettings([
      setting('proxy.port'),
      setting('telegram.token'),
      setting('proxy.host'),
      setting('upstream.baseUrl'),
      setting('pricing.markup'),
    ]);
    expect(groups.map((g) => [g.name, g.settings.map((s) => s.key)])).toEqual([
      ['proxy', ['proxy.port', 'proxy.host']],
      ['telegram', ['telegram.token']],
      ['upstream', ['upstream.baseUrl']],
      ['pricing', ['pricing.markup']],
    ]);
  });
});

describe('settings: editor values', () => {
  it('starts a secret editor empty whatever the host sent', () => {
    expect(initialInput(setting('telegram.token', { secret: true, value: 'leak?', masked: '••••a1b2' }))).toBe('');
  });

  it('starts other editors from the effective value', () => {
    expect(initialInput(setting('proxy.port', { type: 'number', value: 8080 }))).toBe('8080');
    expect(initialInput(setting('bot.enabled', { type: 'boolean', value: true }))).toBe(true);
    expect(initialInput(setting('proxy.ports', { type: 'number[]', value: [1, 2] }))).toEqual(['1', '2']);
  });

  it('parses numbers and lists for their type', () => {
    expect(draftValue(setting('proxy.port', { type: 'number' }), { kind: 'set', input: ' 8081 ' })).toEqual({ ok: true, value: 8081 });
    expect(draftValue(setting('x.list', { type: 'number[]' }), { kind: 'set', input: ['1', '2.5'] })).toEqual({
      ok: true,
      value: [1, 2.5],
    });
    expect(draftValue(setting('x.tags', { type: 'string[]' }), { kind: 'set', input: [' a ', '', 'b'] })).toEqual({
      ok: true,
      value: ['a', 'b'],
    });
    expect(draftValue(setting('x.on', { type: 'boolean' }), { kind: 'set', input: false })).toEqual({ ok: true, value: false });
    expect(draftValue(setting('x.s'), { kind: 'clear' })).toEqual({ ok: true, value: null });
  });

  it('rejects text that is not a number, naming the key', () => {
    expect(draftValue(setting('proxy.port', { type: 'number' }), { kind: 'set', input: '80a' })).toEqual({
      ok: false,
      message: 'proxy.port: “80a” is not a number',
    });
    expect(draftValue(setting('proxy.port', { type: 'number' }), { kind: 'set', input: '' }).ok).toBe(false);
    expect(draftValue(setting('x.list', { type: 'number[]' }), { kind: 'set', input: ['1', 'two'] }).ok).toBe(false);
  });
});

describe('settings: planChanges', () => {
  const settings = [
    setting('proxy.port', { type: 'number', value: 8080, source: 'file' }),
    setting('proxy.host', { value: '127.0.0.1' }),
    setting('telegram.token', { secret: true, value: null, isSet: true, masked: '••••a1b2', source: 'file' }),
    setting('upstream.key', { secret: true, value: null, isSet: false }),
    setting('x.list', { type: 'string[]', value: ['a'] }),
  ];

  it('sends only keys whose value changes', () => {
    const plan = planChanges(settings, {
      'proxy.port': { kind: 'set', input: '8080' }, // unchanged
      'proxy.host': { kind: 'set', input: '0.0.0.0' },
      'x.list': { kind: 'set', input: ['a'] }, // unchanged
    });
    expect(plan).toEqual({ changes: { 'proxy.host': '0.0.0.0' }, errors: {} });
  });

  it('sends a new secret, never an empty one', () => {
    expect(planChanges(settings, { 'upstream.key': { kind: 'set', input: 'sk-new' } }).changes).toEqual({ 'upstream.key': 'sk-new' });
    expect(planChanges(settings, { 'upstream.key': { kind: 'set', input: '' } }).changes).toEqual({});
  });

  it('sends null to reset a file value or remove a secret', () => {
    expect(
      planChanges(settings, { 'proxy.port': { kind: 'clear' }, 'telegram.token': { kind: 'clear' } }).changes,
    ).toEqual({ 'proxy.port': null, 'telegram.token': null });
  });

  it('collects parse errors per key', () => {
    const plan = planChanges(settings, { 'proxy.port': { kind: 'set', input: 'abc' }, 'proxy.host': { kind: 'set', input: 'h' } });
    expect(plan.errors).toEqual({ 'proxy.port': 'proxy.port: “abc” is not a number' });
    expect(plan.changes).toEqual({ 'proxy.host': 'h' });
  });
});

describe('settings: shadowed warnings', () => {
  it('names the environment variable or flag that overrides the saved value', () => {
    expect(describeShadowed({ key: 'proxy.port', by: 'env', name: 'ARBDESK_PROXY_PORT' })).toBe(
      'proxy.port was saved, but the environment variable ARBDESK_PROXY_PORT overrides it; the saved value takes effect once that is removed.',
    );
    expect(describeShadowed({ key: 'proxy.port', by: 'flag', name: '--port' })).toContain('the command-line flag --port overrides it');
  });
});
