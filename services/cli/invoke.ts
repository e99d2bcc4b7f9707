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
  return inCliTerms(method, await dispatch(dataDir, method, input));
}

async function dispatch<M extends CommandName>(dataDir: string, method: M, input?: CommandInput<M>): Promise<Result<CommandOutput<M>>> {
  const conn = connectToHost(dataDir);
  if (conn) return invokeHost(conn, method, input);
  const host = new Host({ dataDir, mode: 'headless', stdoutLogs: false });
  try {
    return (await host.dispatch(method, input)) as Result<CommandOutput<M>>;
  } finally {
    await host.stop('cli command done');
  }
}

/**
 * A bad-input message names the contract's command and fields (`customers.add: name: …`); the
 * owner typed `arbdesk customers add --name …`. Each field becomes what was typed: an option
 * given on the command line (`--telegram-id`), else the argument (`<customerId>`).
 */
export function inCliTerms<T>(method: string, result: Result<T>, argv: readonly string[] = process.argv): Result<T> {
  if (result.ok || result.error.code !== 'invalid_input' || !result.error.message.startsWith(`${method}: `)) return result;
  const issues = result.error.message.slice(method.length + 2).split('; ');
  const message = issues
    .map((issue) =>
      issue.replace(/^([A-Za-z]+): (\1 )?(must )?/, (_, field: string, repeated?: string, must?: string) => {
        const option = `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        const typed = argv.some((a) => a === option || a.startsWith(`${option}=`));
        // "name: name must not be empty" → "--name must not be empty"; other wordings keep the colon.
        return `${typed ? option : `<${field}>`}${repeated || must ? ' ' : ': '}${must ?? ''}`;
      }),
    )
    .join('; ');
  return { ok: false, error: { ...result.error, message } };
}
