import { describe, expect, it } from 'vitest';
import { parseHostMessage } from '../../../electron/main/host-messages.js';
import { fakeStatus } from './fakes/fake-host.js';

describe('messages from the services host', () => {
  it('accepts every message type of the protocol', () => {
    const messages = [
      { type: 'ready', status: fakeStatus() },
      { type: 'result', id: 7, result: { ok: true, value: null } },
      { type: 'result', id: 8, result: { ok: false, error: { code: 'not_found', message: 'no such order' } } },
      { type: 'events', batch: { stream: 'log', events: [] } },
      { type: 'secret.persist', key: 'telegram.token', value: 'x' },
      { type: 'secret.persist', key: 'telegram.token', value: null },
      { type: 'fatal', message: 'cannot open arbdesk.db' },
    ];
    for (const message of messages) expect(parseHostMessage(message)).toEqual(message);
  });

  it('rejects anything else', () => {
    for (const raw of [
      null,
      'ready',
      [],
      { type: 'exec', command: 'rm -rf /' },
      { type: 'ready', status: {} },
      { type: 'result', id: '7', result: { ok: true, value: 1 } },
      { type: 'result', id: 7, result: { ok: false, error: 'boom' } },
      { type: 'result', id: 7, result: { ok: true } },
      { type: 'events', batch: { stream: 'nope', events: [] } },
      { type: 'events', batch: { stream: 'log', events: 'x' } },
      { type: 'secret.persist', key: '', value: 'x' },
      { type: 'secret.persist', key: 'k', value: 1 },
      { type: 'fatal' },
    ]) {
      expect(parseHostMessage(raw), JSON.stringify(raw)).toBeNull();
    }
  });
});
