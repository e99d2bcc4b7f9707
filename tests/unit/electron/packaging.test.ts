/**
 * electron-builder cannot run here (it downloads Electron), so its config is checked the way
 * electron-builder itself checks it first: against the JSON schema of the installed version.
 * ajv and js-yaml come with electron-builder (and electron-store), hence createRequire.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const yaml = require('js-yaml') as { load(text: string): unknown };
const Ajv = require('ajv') as new (options: object) => {
  validate(schema: unknown, data: unknown): boolean;
  errors?: { instancePath: string; message?: string }[] | null;
};

interface BuilderConfig {
  appId: string;
  productName: string;
  files: unknown[];
  npmRebuild: boolean;
  asarUnpack: unknown;
  electronFuses: Record<string, boolean>;
  linux: { target: unknown; icon: string };
  mac: { target: unknown; icon: string };
  win: { target: unknown; icon: string };
}

const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('is valid for the installed electron-builder', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const valid = ajv.validate(schema, config);
    expect(valid ? [] : ajv.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  });

  it('packs the built app and the icons, rebuilds better-sqlite3 for Electron and unpacks its addon', () => {
    expect(config.appId).toBe('local.arbdesk.app');
    expect(config.productName).toBe('ArbDesk');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'package.json', 'resources/icon.png', 'resources/tray/*.png']));
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toEqual(['**/node_modules/better-sqlite3/build/Release/*.node']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });

  it('names icons that exist, with a tray icon (and its @2x) for every status level', () => {
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) {
      expect(existsSync(path.join(root, icon)), icon).toBe(true);
    }
    const png = readFileSync(path.join(root, 'resources/icon.png'));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    for (const level of ['ok', 'warn', 'error', 'idle']) {
      for (const [file, size] of [
        [`tray-${level}.png`, 16],
        [`tray-${level}@2x.png`, 32],
      ] as const) {
        const bytes = readFileSync(path.join(root, 'resources/tray', file));
        expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], file).toEqual([size, size]);
      }
    }
  });
});
