/**
 * `arbdesk doctor`: which services are configured, what is missing, and what it would take to
 * start each, without starting anything.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dataFiles, resolveDataDir } from '../config/data-dir.js';
import { FileSecretStore } from '../config/files.js';
import { SettingsService } from '../config/settings-service.js';
import { configChecks } from '../host/service-catalog.js';
import { VERSION } from '../version.js';
import { connectToHost, invokeHost } from './host-client.js';
import { printJson, unwrap } from './output.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export async function doctor(options: { dataDir?: string; json?: boolean }): Promise<void> {
  const dataDir = resolveDataDir(options.dataDir);
  const files = dataFiles(dataDir);
  const checks: Check[] = [];
  const running = connectToHost(dataDir);
  checks.push(
    running
      ? { name: 'host', ok: true, detail: `running (pid ${running.info.pid}, ${running.info.mode}) at ${running.info.controlUrl}` }
      : { name: 'host', ok: true, detail: 'not running', fix: options.dataDir ? `start it with \`arbdesk serve --data-dir ${options.dataDir}\`` : 'start it with `npm start` or `arbdesk serve`' },
  );

  let settings;
  try {
    settings = new SettingsService({ configFile: files.config, secrets: new FileSecretStore(files.secrets), env: process.env, flags: {} }).settings;
    const from = existsSync(files.config) ? files.config : `no ${files.config} yet: defaults and environment variables`;
    checks.push({ name: 'config', ok: true, detail: `valid (${from})` });
  } catch (error) {
    checks.push({ name: 'config', ok: false, detail: (error as Error).message, fix: 'fix the named setting, then run doctor again' });
  }

  if (running) {
    // The running host's own view: it may have been started with environment variables this
    // shell does not have (OPENROUTER_API_KEY …), so a check of this shell's settings would mislead.
    const status = unwrap(await invokeHost(running, 'system.status'));
    for (const service of status.services) {
      const ok = service.state === 'running';
      checks.push({ name: service.id, ok, detail: `${service.state}: ${service.reason} (as the running host sees it)`, ...(ok ? {} : { fix: fixFor(service.id) }) });
    }
  } else if (settings) {
    for (const service of configChecks) {
      const missing = service.check(settings);
      checks.push(
        missing
          ? { name: service.id, ok: false, detail: missing, fix: fixFor(service.id) }
          : { name: service.id, ok: true, detail: 'configured' },
      );
    }
    for (const [key, host, port] of [
      ['proxy.port', settings['proxy.host'], settings['proxy.port']],
      ['control.port', settings['control.host'], settings['control.port']],
    ] as const) {
      if (port === 0) continue;
      const free = await portIsFree(host, port);
      checks.push(free
        ? { name: key, ok: true, detail: `${host}:${port} is free` }
        : { name: key, ok: false, detail: `${host}:${port} is in use by another program`, fix: `stop that program or set ${key}` });
    }
    if (!settings['upstream.apiKey']) {
      checks.push({ name: 'upstream', ok: false, detail: 'upstream.apiKey is empty: the proxy cannot forward paid requests yet', fix: 'printf %s "$OPENROUTER_API_KEY" | arbdesk config set upstream.apiKey' });
    }
  }

  if (options.json) return printJson({ dataDir, checks });
  console.log(`ArbDesk ${VERSION} doctor — data dir ${dataDir}\n`);
  for (const c of checks) {
    console.log(`${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}${c.fix ? `\n    → ${c.fix}` : ''}`);
  }
  if (checks.some((c) => c.name === 'config' && !c.ok)) process.exitCode = 1;
}

function fixFor(serviceId: string): string {
  if (serviceId === 'bot') return 'printf %s "$TELEGRAM_BOT_TOKEN" | arbdesk config set telegram.token   (or set TELEGRAM_BOT_TOKEN)';
  return 'see `arbdesk config get`';
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
