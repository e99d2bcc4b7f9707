import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirFromArgs, resolveDataDir } from '../../../electron/main/data-dir.js';

describe('data dir', () => {
  it('takes --data-dir in either form, wherever Electron puts it in argv', () => {
    expect(dataDirFromArgs(['/usr/bin/electron', 'dist/electron/main.cjs', '--data-dir', '/tmp/a'])).toBe('/tmp/a');
    expect(dataDirFromArgs(['/opt/ArbDesk/arbdesk', '--data-dir=/tmp/b', '--inspect=0'])).toBe('/tmp/b');
    expect(dataDirFromArgs(['/opt/ArbDesk/arbdesk', '--data-dir'])).toBeUndefined();
    expect(dataDirFromArgs(['/opt/ArbDesk/arbdesk'])).toBeUndefined();
  });

  it('prefers the flag, then ARBDESK_DATA_DIR, then the per-OS folder, as an absolute path', () => {
    const osDefault = '/home/owner/.config/ArbDesk';
    expect(resolveDataDir(['x', '--data-dir', '/srv/flag'], { ARBDESK_DATA_DIR: '/srv/env' }, osDefault)).toBe(path.resolve('/srv/flag'));
    expect(resolveDataDir(['x'], { ARBDESK_DATA_DIR: '/srv/env' }, osDefault)).toBe(path.resolve('/srv/env'));
    expect(resolveDataDir(['x'], {}, osDefault)).toBe(path.resolve(osDefault));
    expect(resolveDataDir(['x', '--data-dir', 'rel/dir'], {}, osDefault)).toBe(path.resolve('rel/dir'));
  });
});
