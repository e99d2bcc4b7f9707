/**
 * One way for CLI commands to run a contract command: through the running host for the data
 * dir when there is one (so its caches and the UI stay in step), or directly on the data dir
 * when there is not (a short-lived Host that opens the database, answers, and closes —
 * services are not started).
 */
import type { CommandInput, CommandName, CommandOutput, Result } from '../contract.js';
import { Host } from '../host/host.js';
import { connectToHost, invokeHost } from './host-client.js';

export async function invoke<M extends CommandName>(dataDir: string, method: M, input?: CommandInput<M>): Promise<Result<CommandOutput<M>>> {
  const conn = connectToHost(dataDir);
  if (conn) return invokeHost(conn, method, input);
  const host = new Host({ dataDir, mode: 'headless', stdoutLogs: false });
  try {
    return (await host.dispatch(method, input)) as Result<CommandOutput<M>>;
  } finally {
    await host.stop('cli command done');
  }
}
