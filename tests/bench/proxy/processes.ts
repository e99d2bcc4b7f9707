/**
 * Starting, watching and stopping the bench's processes: each role (upstream stand-in, load
 * generator, bare pass-through, ArbDesk, the peer gateway) is its own OS process. Every wait is
 * bounded; stop() escalates from SIGTERM to SIGKILL. Also: free ports, health polling, and
 * per-process CPU time from /proc (Linux; null elsewhere).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { request } from 'undici';

export const REPO = new URL('../../../', import.meta.url);
export const repoPath = (rel: string): string => new URL(rel, REPO).pathname;

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Everything it printed (last 64 KB), for error messages. */
  output: () => string;
}

function capture(proc: ChildProcess): () => string {
  let out = '';
  const add = (d: Buffer) => {
    out += d.toString();
    if (out.length > 65_536) out = out.slice(-65_536);
  };
  proc.stdout?.on('data', add);
  proc.stderr?.on('data', add);
  return () => out;
}

/** A TypeScript role forked with tsx and an IPC channel; resolves with its first message. */
export function forkRole<M>(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, nodeFlags: string[] = [], timeoutMs = 20_000): Promise<{ child: Child; first: M }> {
  const proc = fork(repoPath(script), args, {
    cwd: REPO.pathname,
    execArgv: [...nodeFlags, '--import', 'tsx'],
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const child: Child = { name, proc, output: capture(proc) };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${timeoutMs} ms:\n${child.output()}`)), timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      proc.off('message', onMessage);
      proc.kill('SIGKILL');
      reject(e);
    };
    const onMessage = (m: unknown) => {
      clearTimeout(timer);
      proc.off('exit', onExit);
      resolve({ child, first: m as M });
    };
    const onExit = (code: number | null) => fail(new Error(`${name} exited (${code}) before it was ready:\n${child.output()}`));
    proc.once('message', onMessage);
    proc.once('exit', onExit);
  });
}

/** A plain Node process (ArbDesk, the peer); ready when `ready()` says so (polled, bounded). */
export async function spawnNode(name: string, args: string[], env: NodeJS.ProcessEnv, ready: (child: Child) => Promise<boolean>, timeoutMs = 30_000): Promise<Child> {
  const proc = spawn(process.execPath, args, { cwd: REPO.pathname, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const child: Child = { name, proc, output: capture(proc) };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${name} exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${child.output()}`);
    if (await ready(child).catch(() => false)) return child;
    await sleep(100);
  }
  await stop(child);
  throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${child.output()}`);
}

/** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process is gone. */
export function stop(child: Child, graceMs = 8_000): Promise<void> {
  const { proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A port free on 127.0.0.1 right now (for programs that must be told their port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** GET url → status and text, or null on any failure (2 s timeout). */
export async function httpGet(url: string): Promise<{ status: number; text: string } | null> {
  try {
    const r = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
    return { status: r.statusCode, text: await r.body.text() };
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms; null where /proc is missing. */
export function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], fields[12] = utime, stime (fields 14 and 15 of proc(5)), in clock ticks (100 Hz on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Machine-wide busy CPU time so far, ms summed over cores; null where /proc/stat is missing. */
export function machineBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return ((total - idle) * 1000) / 100;
  } catch {
    return null;
  }
}
