/**
 * The data dir, chosen the same way as `arbdesk serve` does so both modes share one folder:
 * `--data-dir <dir>` (or `--data-dir=<dir>`), else ARBDESK_DATA_DIR, else the per-OS app data
 * folder, which Electron gives as app.getPath('userData') once the app is named "ArbDesk".
 * Pure (no electron import).
 */
import path from 'node:path';

export function dataDirFromArgs(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--data-dir') return argv[i + 1] || undefined;
    if (arg.startsWith('--data-dir=')) return arg.slice('--data-dir='.length) || undefined;
  }
  return undefined;
}

export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, osDefault: string): string {
  return path.resolve(dataDirFromArgs(argv) || env.ARBDESK_DATA_DIR || osDefault);
}
