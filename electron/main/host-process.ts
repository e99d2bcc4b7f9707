/**
 * Starts the services host in an Electron utilityProcess — a Node.js child that Electron
 * manages (it gets `process.parentPort`, runs from inside app.asar, and shows up as
 * "ArbDesk services" in the OS task manager). Thin adapter for supervisor.ts.
 */
import { utilityProcess } from 'electron';
import type { Logger } from './log.js';
import type { HostChildHandlers, SpawnHost } from './supervisor.js';

export function utilityHostSpawner(modulePath: string, dataDir: string, log: Logger): SpawnHost {
  return (handlers: HostChildHandlers) => {
    const child = utilityProcess.fork(modulePath, ['--data-dir', dataDir], {
      serviceName: 'ArbDesk services',
      // Piped, not inherited: a packaged app has no terminal, and the host writes its own log
      // files; we echo its output to ours for `npm start` and crash diagnosis.
      stdio: 'pipe',
    });
    child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('spawn', () => log.info('services host started', { pid: child.pid }));
    child.on('error', (type, location) => log.error('services host hit a fatal V8 error', { type, location }));
    child.on('message', (message: unknown) => handlers.onMessage(message));
    child.on('exit', (code) => handlers.onExit(code));
    return {
      postMessage: (message) => child.postMessage(message),
      kill: () => {
        child.kill();
      },
      forceKill: () => {
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      },
    };
  };
}
