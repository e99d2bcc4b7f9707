/**
 * Where ArbDesk keeps its data: `--data-dir`, else ARBDESK_DATA_DIR, else the per-OS app data
 * folder — the same folder Electron's app.getPath('userData') gives for the app name "ArbDesk",
 * so the desktop app and `arbdesk serve` share one data dir by default.
 */
import { mkdirSync, accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const APP_NAME = 'ArbDesk';

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), APP_NAME);
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag || env.ARBDESK_DATA_DIR || defaultDataDir(process.platform, env);
  return path.resolve(chosen);
}

/** Creates the data dir (0700) and its logs folder; fails with a message saying what to do. */
export function ensureDataDir(dir: string): void {
  try {
    mkdirSync(path.join(dir, 'logs'), { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new Error(
      `Cannot use data dir ${dir}: ${(err as Error).message}. Choose another with --data-dir or ARBDESK_DATA_DIR.`,
      { cause: err },
    );
  }
}

export const dataFiles = (dir: string) => ({
  config: path.join(dir, 'config.json'),
  secrets: path.join(dir, 'secrets.json'),
  database: path.join(dir, 'arbdesk.db'),
  logs: path.join(dir, 'logs'),
  ownerToken: path.join(dir, 'owner-token'),
  hostInfo: path.join(dir, 'host.json'),
});
