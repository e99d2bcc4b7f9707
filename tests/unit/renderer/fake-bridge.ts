/**
 * A fake `window.arbdesk` (the contract's ArbdeskBridge) for looking at the renderer without
 * the services host: canned answers for every command, and `window.__fakeArbdesk` to emit
 * event batches from a test. Installed with Playwright's `page.addInitScript(installFakeBridge,
 * options)`, so the function must be self-contained (it is serialised into the page).
 */
import type { ArbdeskBridge, EventBatch, LogLine, ServiceStatus, SettingView } from '../../../services/contract';

export interface FakeBridgeOptions {
  /** Answer every command with this error code instead (e.g. 'unauthorized', 'host_unavailable'). */
  failWith?: string;
  /** Initial log lines to answer logs.tail with. */
  tailLines?: number;
  /** Fixed "now" for times in the canned data (ms). */
  now: number;
}

export interface FakeControls {
  emit(batch: EventBatch): void;
  calls: { method: string; input: unknown }[];
  logLine(seq: number, level: LogLine['level'], msg: string, service?: string): LogLine;
  services: ServiceStatus[];
}

export function installFakeBridge(options: FakeBridgeOptions): void {
  const now = options.now;
  const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
  const listeners = new Set<(batch: EventBatch) => void>();
  const calls: { method: string; input: unknown }[] = [];

  const services: ServiceStatus[] = [
    {
      id: 'proxy',
      name: 'Reselling proxy',
      state: 'running',
      reason: 'listening on http://127.0.0.1:8787',
      since: iso(42 * 60_000),
      restarts: 0,
      detail: { url: 'http://127.0.0.1:8787/v1', health: 'http://127.0.0.1:8787/health' },
    },
    {
      id: 'bot',
      name: 'Telegram shop bot',
      state: 'degraded',
      reason: 'Bot API slow: 3 timeouts in the last 5 minutes (long polling to https://api.telegram.org keeps timing out)',
      since: iso(4 * 60_000),
      restarts: 1,
      detail: { username: '@ArbDeskShopBot' },
    },
    {
      id: 'payments',
      name: 'Payments watcher',
      state: 'failed',
      reason: 'cannot reach the Ethereum node at http://127.0.0.1:8545',
      since: iso(90_000),
      restarts: 3,
      detail: {},
    },
    {
      id: 'scanner',
      name: 'Price scanner',
      state: 'off',
      reason: 'not configured: scanners.enabled is false',
      since: iso(42 * 60_000),
      restarts: 0,
      detail: {},
    },
  ];

  const levels: LogLine['level'][] = ['debug', 'info', 'info', 'info', 'warn', 'info', 'error', 'trace'];
  const messages = [
    'services host started',
    'proxy listening on http://127.0.0.1:8787',
    'bot connected as @ArbDeskShopBot',
    'customer 4242 sent /start',
    'upstream answered in 812 ms',
    'request metered: 1,204 tokens, 0.0031 USD',
    'Bot API timeout after 10 s; retrying',
    'scheduler tick',
  ];
  const logLine = (seq: number, level: LogLine['level'], msg: string, service?: string): LogLine => ({
    seq,
    time: new Date(now - (1000 - seq) * 1500).toISOString(),
    level,
    msg,
    service,
    event: level === 'info' ? 'demo.event' : undefined,
    fields: {},
  });
  const tail: LogLine[] = [];
  for (let i = 1; i <= (options.tailLines ?? 40); i++) {
    const k = i % messages.length;
    tail.push(logLine(i, levels[k]!, messages[k]!, ['host', 'proxy', 'bot', 'payments'][i % 4]));
  }

  const settings: SettingView[] = [
    {
      key: 'proxy.port',
      value: 8787,
      secret: false,
      isSet: true,
      masked: '',
      source: 'file',
      envVars: ['ARBDESK_PROXY_PORT', 'PROXY_PORT'],
      flag: '--proxy-port',
      type: 'number',
      description: 'Port the OpenAI-compatible proxy listens on.',
      restartsService: 'proxy',
    },
    {
      key: 'proxy.host',
      value: '127.0.0.1',
      secret: false,
      isSet: true,
      masked: '',
      source: 'default',
      envVars: ['ARBDESK_PROXY_HOST'],
      type: 'string',
      description: 'Address the proxy binds to. Keep 127.0.0.1 unless a tunnel needs otherwise.',
      restartsService: 'proxy',
    },
    {
      key: 'telegram.token',
      value: null,
      secret: true,
      isSet: true,
      masked: '••••a1b2',
      source: 'env',
      envVars: ['ARBDESK_TELEGRAM_TOKEN', 'TELEGRAM_BOT_TOKEN'],
      type: 'string',
      description: 'Bot token from @BotFather.',
      restartsService: 'bot',
    },
    {
      key: 'telegram.adminIds',
      value: [4242],
      secret: false,
      isSet: true,
      masked: '',
      source: 'file',
      envVars: ['ARBDESK_TELEGRAM_ADMIN_IDS', 'ADMIN_ID_LIST'],
      type: 'number[]',
      description: 'Telegram user ids allowed to use admin commands.',
    },
    {
      key: 'upstream.apiKey',
      value: null,
      secret: true,
      isSet: false,
      masked: '',
      source: 'default',
      envVars: ['ARBDESK_UPSTREAM_API_KEY', 'OPENROUTER_API_KEY'],
      type: 'string',
      description: 'API key for the upstream (OpenRouter by default).',
    },
    {
      key: 'upstream.baseUrl',
      value: 'https://openrouter.ai/api/v1',
      secret: false,
      isSet: true,
      masked: '',
      source: 'default',
      envVars: ['ARBDESK_UPSTREAM_BASE_URL'],
      type: 'string',
      description: 'Base URL of the OpenAI-compatible upstream.',
    },
    {
      key: 'pricing.markupPercent',
      value: 35,
      secret: false,
      isSet: true,
      masked: '',
      source: 'flag',
      envVars: ['ARBDESK_PRICING_MARKUP_PERCENT'],
      flag: '--markup',
      type: 'number',
      description: 'Markup over the upstream price, in percent.',
    },
    {
      key: 'scanners.enabled',
      value: false,
      secret: false,
      isSet: true,
      masked: '',
      source: 'default',
      envVars: ['ARBDESK_SCANNERS_ENABLED'],
      type: 'boolean',
      description: 'Run the price and marketplace scanners.',
    },
  ];

  const ok = (value: unknown) => ({ ok: true as const, value });
  const answer = (method: string, input: unknown): unknown => {
    if (options.failWith) return { ok: false, error: { code: options.failWith, message: `fake: ${options.failWith}` } };
    switch (method) {
      case 'system.status':
        return ok({
          version: '0.1.0',
          mode: 'desktop',
          pid: 31337,
          startedAt: iso(42 * 60_000),
          uptimeSeconds: 42 * 60,
          dataDir: '/home/owner/.config/ArbDesk',
          services,
        });
      case 'logs.tail':
        return ok({ lines: tail });
      case 'settings.get':
        return ok({ settings, configFile: '/home/owner/.config/ArbDesk/config.json' });
      case 'settings.update': {
        const changes = (input as { changes: Record<string, unknown> }).changes;
        for (const [key, value] of Object.entries(changes)) {
          if (key === 'proxy.port' && (typeof value !== 'number' || value < 1 || value > 65535)) {
            return { ok: false, error: { code: 'invalid_input', message: 'settings.update: proxy.port: must be a port number (1–65535)' } };
          }
        }
        const shadowed: { key: string; by: string; name: string }[] = [];
        for (const key of Object.keys(changes)) {
          const s = settings.find((x) => x.key === key);
          if (s && (s.source === 'env' || s.source === 'flag')) {
            shadowed.push({ key, by: s.source, name: s.source === 'env' ? s.envVars[0]! : s.flag ?? '' });
          } else if (s) {
            const v = changes[key];
            if (s.secret) {
              s.isSet = v !== null;
              s.masked = typeof v === 'string' ? `••••${v.slice(-4)}` : '';
              s.source = v === null ? 'default' : 'file';
            } else {
              s.value = v;
              s.source = v === null ? 'default' : 'file';
            }
          }
        }
        return ok({ updated: Object.keys(changes), shadowed, settings });
      }
      default:
        return { ok: false, error: { code: 'unknown_command', message: `"${method}" is not a command of the ArbDesk contract` } };
    }
  };

  const bridge = {
    invoke: async (method: string, input?: unknown) => {
      calls.push({ method, input });
      return JSON.parse(JSON.stringify(answer(method, input)));
    },
    subscribe: (listener: (batch: EventBatch) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as ArbdeskBridge;

  const controls: FakeControls = {
    emit: (batch) => listeners.forEach((l) => l(JSON.parse(JSON.stringify(batch)))),
    calls,
    logLine,
    services,
  };
  const g = globalThis as unknown as { arbdesk: ArbdeskBridge; __fakeArbdesk: FakeControls };
  g.arbdesk = bridge;
  g.__fakeArbdesk = controls;
}
