/**
 * Starts a complete host for a data dir: the services host, its control server (dashboard and
 * CLI access, owner token required) and host.json for discovery. Used by `arbdesk serve` and by
 * the Electron utility-process entry, so both modes run exactly the same things.
 */
import { dataFiles } from '../config/data-dir.js';
import type { SecretStore } from '../config/files.js';
import type { SettingKey } from '../config/schema.js';
import { startControlServer, type ControlServer } from '../control/control-server.js';
import { loadOrCreateOwnerToken } from '../control/owner-token.js';
import { tuneGarbageCollector } from './gc-tuning.js';
import { Host } from './host.js';
import { readHostInfo, removeHostInfo, writeHostInfo } from './host-info.js';

export interface RunHostOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  flags?: Partial<Record<SettingKey, unknown>>;
  secrets?: SecretStore;
  stdoutLogs: boolean;
  rendererDir: string;
  env?: Record<string, string | undefined>;
}

export interface RunningHost {
  host: Host;
  control: ControlServer;
  /** Opens the dashboard and signs the browser in. Contains the owner token: print, never log. */
  loginUrl: string;
  stop(reason?: string): Promise<void>;
}

export async function runHost(options: RunHostOptions): Promise<RunningHost> {
  const running = readHostInfo(options.dataDir);
  if (running) {
    throw new Error(
      `ArbDesk is already running for ${options.dataDir} (pid ${running.pid}, ${running.mode}, dashboard ${running.controlUrl}). ` +
        'Use that one (`arbdesk url` prints its login URL), stop it, or choose another --data-dir.',
    );
  }
  // Before the host allocates its heap: fewer full collections under proxy traffic (gc-tuning.ts).
  const heapGrowth = tuneGarbageCollector();
  const host = new Host({
    dataDir: options.dataDir,
    mode: options.mode,
    flags: options.flags ?? {},
    stdoutLogs: options.stdoutLogs,
    ...(options.env ? { env: options.env } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  let control: ControlServer;
  let loginUrl: string;
  try {
    const token = loadOrCreateOwnerToken(dataFiles(options.dataDir).ownerToken);
    const s = host.settings.settings;
    control = await startControlServer({
      host: s['control.host'],
      port: s['control.port'],
      token,
      rendererDir: options.rendererDir,
      logger: host.logger.child({ service: 'control' }),
      dispatch: (method, input) => host.dispatch(method, input),
      subscribe: (listener) => host.subscribe(listener),
      currentStatuses: () => host.serviceStatuses(),
    });
    host.logger.debug({ event: 'host.gc_tuning', heapGrowth }, `heap growth: ${heapGrowth}`);
    host.logger.info({ event: 'control.listening', url: control.url }, `control server on ${control.url}`);
    writeHostInfo(options.dataDir, {
      pid: process.pid,
      mode: options.mode,
      version: host.version,
      startedAt: host.startedAt.toISOString(),
      controlUrl: control.url,
    });
    loginUrl = `${control.url}/?token=${encodeURIComponent(token)}`;
  } catch (error) {
    await host.stop('could not start the control server');
    throw error;
  }
  await host.start();
  let stopping: Promise<void> | undefined;
  return {
    host,
    control,
    loginUrl,
    stop(reason = 'shutting down') {
      stopping ??= (async () => {
        await control.close().catch(() => undefined);
        await host.stop(reason);
        removeHostInfo(options.dataDir);
      })();
      return stopping;
    },
  };
}
