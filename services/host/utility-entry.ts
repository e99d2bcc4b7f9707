/**
 * Entry of the services host inside the Electron utility process (desktop mode).
 * Talks to the main process through `process.parentPort` (provided by Electron; no import of
 * `electron` here). Waits for `init` with the secrets main decrypted via safeStorage, starts
 * the host, then relays invokes, results and event batches. See parent-protocol.ts.
 */
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../config/data-dir.js';
import { MemorySecretStore } from '../config/files.js';
import type { HostToParent, ParentToHost } from './parent-protocol.js';
import { runHost, type RunningHost } from './run-host.js';

interface ParentPort {
  on(event: 'message', listener: (message: { data: ParentToHost }) => void): void;
  postMessage(message: HostToParent): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('utility.js runs inside the ArbDesk desktop app; for a server use `arbdesk serve`.');
  process.exit(2);
}
const port: ParentPort = parentPort;
const send = (message: HostToParent) => port.postMessage(message);

const argIndex = process.argv.indexOf('--data-dir');
const dataDir = resolveDataDir(argIndex > 0 ? process.argv[argIndex + 1] : undefined);
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
let running: RunningHost | undefined;
const early: ParentToHost[] = [];

port.on('message', ({ data }) => {
  if (data.type === 'init') void start(data.secrets);
  else if (data.type === 'shutdown') void shutdown('the desktop app is quitting');
  else if (!running) early.push(data);
  else void handle(running, data);
});

async function start(secrets: Record<string, string>): Promise<void> {
  try {
    running = await runHost({
      dataDir,
      mode: 'desktop',
      stdoutLogs: true,
      rendererDir,
      secrets: new MemorySecretStore(secrets, (key, value) => send({ type: 'secret.persist', key, value })),
    });
  } catch (error) {
    send({ type: 'fatal', message: (error as Error).message });
    process.exit(1);
  }
  running.host.subscribe((batch) => send({ type: 'events', batch }));
  send({ type: 'ready', status: running.host.systemStatus() });
  for (const message of early.splice(0)) await handle(running, message);
}

async function handle(host: RunningHost, message: ParentToHost): Promise<void> {
  if (message.type !== 'invoke') return;
  const result = await host.host.dispatch(message.method, message.input);
  send({ type: 'result', id: message.id, result });
}

async function shutdown(reason: string): Promise<void> {
  await running?.stop(reason);
  process.exit(0);
}
