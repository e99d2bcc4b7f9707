/**
 * How the CLI reaches a running host for a data dir: host.json gives the control URL, the
 * owner-token file gives the credential, and commands go through the same contract as the UI.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { CommandInput, CommandName, CommandOutput, Result } from '../contract.js';
import { dataFiles } from '../config/data-dir.js';
import { readHostInfo, type HostInfo } from '../host/host-info.js';

export interface HostConnection {
  info: HostInfo;
  token: string;
}

export function connectToHost(dataDir: string): HostConnection | undefined {
  const info = readHostInfo(dataDir);
  if (!info) return undefined;
  const tokenFile = dataFiles(dataDir).ownerToken;
  if (!existsSync(tokenFile)) return undefined;
  return { info, token: readFileSync(tokenFile, 'utf8').trim() };
}

export async function invokeHost<M extends CommandName>(
  conn: HostConnection,
  method: M,
  input?: CommandInput<M>,
): Promise<Result<CommandOutput<M>>> {
  let response: Response;
  try {
    response = await fetch(`${conn.info.controlUrl}/api/invoke/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${conn.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    return {
      ok: false,
      error: { code: 'host_unavailable', message: `cannot reach the running host at ${conn.info.controlUrl}: ${(error as Error).message}` },
    };
  }
  return (await response.json()) as Result<CommandOutput<M>>;
}

export function loginUrl(conn: HostConnection): string {
  return `${conn.info.controlUrl}/?token=${encodeURIComponent(conn.token)}`;
}
