/**
 * host.json in the data dir says that a host is running there, with its pid and control URL,
 * so the CLI (`arbdesk status`, `arbdesk config set`) can talk to it, and a second host on the
 * same data dir refuses to start (SQLite has one writer: the host).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dataFiles } from '../config/data-dir.js';
import { writeFileAtomic } from '../config/files.js';

export interface HostInfo {
  pid: number;
  mode: 'desktop' | 'headless';
  version: string;
  startedAt: string;
  /** Base URL of the control server, e.g. http://127.0.0.1:8790 */
  controlUrl: string;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running host for this data dir, or undefined (a stale file from a crash is ignored). */
export function readHostInfo(dataDir: string): HostInfo | undefined {
  const file = dataFiles(dataDir).hostInfo;
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as HostInfo;
    if (typeof info.pid === 'number' && info.pid !== process.pid && isProcessAlive(info.pid)) return info;
  } catch {
    // unreadable: treat as stale
  }
  return undefined;
}

export function writeHostInfo(dataDir: string, info: HostInfo): void {
  writeFileAtomic(dataFiles(dataDir).hostInfo, JSON.stringify(info, null, 2) + '\n', 0o600);
}

export function removeHostInfo(dataDir: string): void {
  const file = dataFiles(dataDir).hostInfo;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as HostInfo;
    if (info.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // nothing to remove
  }
}
