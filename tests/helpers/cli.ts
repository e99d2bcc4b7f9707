/** Runs the built `arbdesk` CLI (bin/arbdesk.js → dist/services/cli.js) as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SETTING_KEYS, envNamesFor } from '../../services/config/schema.js';

export const BIN = fileURLToPath(new URL('../../bin/arbdesk.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...cleanEnv(), ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Starts `arbdesk serve` and resolves once it printed the login URL. */
export function startServe(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; loginUrl: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = out.match(/Open the dashboard: (http:\/\/\S+)/);
      if (m) resolve({ child, loginUrl: m[1]!, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`arbdesk serve exited (${code}) before printing the login URL:\n${out}`)));
  });
}

export function stopProcess(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/** The test runner's own settings variables (ARBDESK_… and the seeds' names) must not leak into the CLI under test. */
const SETTING_ENV = new Set(SETTING_KEYS.flatMap((k) => envNamesFor(k)));
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('ARBDESK_') || SETTING_ENV.has(k)) continue;
    env[k] = v;
  }
  return env;
}
