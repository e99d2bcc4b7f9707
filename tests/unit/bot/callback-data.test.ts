import { describe, expect, it } from 'vitest';
import { encodeCallback, parseCallback, type CallbackData } from '../../../services/bot/callback-data.js';

describe('callback data', () => {
  const samples: CallbackData[] = [
    { action: 'lang', language: 'ru' },
    { action: 'terms' },
    { action: 'menu', item: 'keys' },
    { action: 'cat', page: 12 },
    { action: 'pkg', packageId: 'pkg_AbC-12_xyz' },
    { action: 'buy', packageId: 'pkg_AbC-12_xyz' },
    { action: 'top', cents: 2500 },
    { action: 'topc' },
    { action: 'payp', packageId: 'pkg_AbC-12_xyz', method: 'erc20:USDT' },
    { action: 'payt', cents: 1250, method: 'stars' },
    { action: 'chk', invoiceId: 'inv_0123456789ab' },
    { action: 'key', op: 'revok', keyId: 'key_0123456789ab' },
    { action: 'tkt', ticketId: 'tkt_0001' },
    { action: 'ann', op: 'go', draftId: 'AbCdEf12' },
  ];

  it('round-trips every action in at most 64 bytes', () => {
    for (const data of samples) {
      const text = encodeCallback(data);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(64);
      expect(text.startsWith('v1|')).toBe(true);
      expect(parseCallback(text)).toEqual(data);
    }
  });

  it('refuses anything forged, stale or malformed', () => {
    for (const raw of [
      undefined,
      42,
      '',
      'pkg|pkg_x', // no version
      'v0|pkg|pkg_x', // another version
      'v1|nope|x',
      'v1|pkg', // missing argument
      'v1|pkg|pkg_x|extra', // extra argument (e.g. a price)
      'v1|payp|pkg_x|stars|0.01',
      'v1|pkg|pkg x', // space
      'v1|pkg|../../etc',
      'v1|pkg|' + 'a'.repeat(41),
      'v1|cat|-1',
      'v1|cat|1e2',
      'v1|cat|01',
      'v1|cat|',
      'v1|top|0',
      'v1|top|12.5',
      'v1|top|999999999',
      'v1|payp|pkg_x|paypal',
      'v1|payp|pkg_x|erc20:',
      'v1|lang|de',
      'v1|menu|admin',
      'v1|key|delete|key_x',
      'v1|ann|go|a b',
      'v1|pkg|é'.repeat(30), // over 64 bytes
    ]) {
      expect(parseCallback(raw), String(raw)).toBeNull();
    }
  });

  it('will not build a button over Telegram\'s 64-byte limit', () => {
    expect(() => encodeCallback({ action: 'payp', packageId: 'p'.repeat(40), method: 'erc20:ABCDEFGHIJKL' })).toThrow(/64 bytes/);
  });
});
