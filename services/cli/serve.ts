/** `arbdesk serve`: the whole product headless, with the dashboard on the control server. */
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../config/data-dir.js';
import type { SettingKey } from '../config/schema.js';
import { runHost } from '../host/run-host.js';
import { VERSION } from '../version.js';

export interface ServeOptions {
  dataDir?: string;
  controlPort?: string;
  host?: string;
  proxyPort?: string;
  proxyHost?: string;
  logLevel?: string;
  quiet?: boolean;
}

export async function serve(options: ServeOptions): Promise<void> {
  const dataDir = resolveDataDir(options.dataDir);
  const flags: Partial<Record<SettingKey, unknown>> = {
    'control.port': options.controlPort,
    'control.host': options.host,
    'proxy.port': options.proxyPort,
    'proxy.host': options.proxyHost,
    'log.level': options.logLevel,
  };
  const running = await runHost({
    dataDir,
    mode: 'headless',
    flags,
    stdoutLogs: !options.quiet,
    rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
  });
  // Plain lines, so the URL stands out among the JSON log lines. The URL holds the owner
  // token: it goes to the terminal only, never to a log file.
  process.stdout.write(
    `\nArbDesk ${VERSION} running headless — data dir ${dataDir}\n` +
      `Open the dashboard: ${running.loginUrl}\n` +
      `Proxy health: ${proxyHealthUrl(running)}\n` +
      'Press Ctrl+C to stop.\n\n',
  );

  // A launcher (npm start) forwards the terminal's Ctrl+C while the terminal also sends it to
  // the whole process group: a repeat within a second is the same press, not a second one.
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt && Date.now() - firstSignalAt < 1000) return;
    if (firstSignalAt) {
      process.stderr.write('Stopping immediately.\n');
      process.exit(130);
    }
    firstSignalAt = Date.now();
    process.stderr.write(`${signal}: stopping ArbDesk gracefully (press Ctrl+C again to force)…\n`);
    void running.stop(`received ${signal}`).then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function proxyHealthUrl(running: Awaited<ReturnType<typeof runHost>>): string {
  const proxy = running.host.serviceStatuses().find((x) => x.id === 'proxy');
  return proxy?.detail.health ?? `not listening (${proxy?.reason ?? 'unknown'}); see the Status screen`;
}
