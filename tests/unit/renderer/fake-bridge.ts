/**
 * A fake `window.arbdesk` (the contract's ArbdeskBridge) for looking at the renderer without
 * the services host: canned answers for every command, and `window.__fakeArbdesk` to emit
 * event batches from a test. Installed with Playwright's `page.addInitScript(installFakeBridge,
 * options)`, so the function must be self-contained (it is serialised into the page).
 */
import type { ArbdeskBridge, CustomerView, EventBatch, LogLine, ModelUsage, ProxyRequestEvent, ServiceStatus, SettingView } from '../../../services/contract';

export interface FakeBridgeOptions {
  /** Answer every command with this error code instead (e.g. 'unauthorized', 'host_unavailable'). */
  failWith?: string;
  /** Initial log lines to answer logs.tail with. */
  tailLines?: number;
  /** Fixed "now" for times in the canned data (ms). */
  now: number;
  /** Proxy: no requests ever (usage.list and proxy.stats answer empty). */
  proxyEmpty?: boolean;
}

export interface FakeControls {
  emit(batch: EventBatch): void;
  calls: { method: string; input: unknown }[];
  logLine(seq: number, level: LogLine['level'], msg: string, service?: string): LogLine;
  services: ServiceStatus[];
  /**
   * Emits `proxy.request` batches the way the host's batcher does: `batchesPerSecond` batches a
   * second carrying `perSecond` events in all. `proxy.stats` answers follow what was emitted.
   */
  startProxyFlood(perSecond: number, batchesPerSecond?: number): void;
  stopProxyFlood(): void;
  /** Live proxy events emitted so far. */
  proxyEmitted(): number;
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

  // --- proxy: customers, history, a deterministic request generator and live stats -----------
  let seed = 42;
  const random = () => {
    // mulberry32: the same "random" traffic every run, so screenshots are comparable.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const customers: CustomerView[] = [
    ['cus_alice001', 'Alice Trading', 12_400_000],
    ['cus_bob00002', "Bob's Bots", 3_150_000],
    ['cus_carol003', 'Carol Labs', 48_000_000],
    ['cus_dave0004', 'Dave K.', 250_000],
  ].map(([id, name, availableMicro]) => ({ id: id as string, name: name as string, telegramId: null, createdAt: iso(86_400_000 * 9), availableMicro: availableMicro as number, heldMicro: 0, activeKeys: 1 }));
  // A customer added after customers.list was read: the screen shows their id until it re-reads.
  const customerIds = [...customers.map((c) => c.id), 'cus_newbie05'];
  const customerWeights = [0.35, 0.25, 0.25, 0.1, 0.05];
  // µUSD per 1,000 tokens (prompt, completion), upstream price; the shop sells at +35 %.
  const models: [string, number, number][] = [
    ['openai/gpt-4o-mini', 150, 600],
    ['anthropic/claude-3.5-sonnet', 3_000, 15_000],
    ['meta-llama/llama-3.1-70b-instruct', 520, 750],
    ['google/gemini-flash-1.5', 75, 300],
  ];
  const pick = <T,>(items: readonly T[], weights?: readonly number[]): T => {
    let r = random();
    if (weights) {
      for (let i = 0; i < items.length; i++) {
        r -= weights[i]!;
        if (r <= 0) return items[i]!;
      }
      return items[items.length - 1]!;
    }
    return items[Math.floor(r * items.length)]!;
  };
  let requestSeq = 0;
  const makeRequest = (atMs: number): ProxyRequestEvent => {
    requestSeq += 1;
    const customerId = pick(customerIds, customerWeights);
    const [model, promptPrice, completionPrice] = pick(models);
    const r = random();
    const outcome = r < 0.02 ? 'upstream_error' : r < 0.03 ? 'client_aborted' : r < 0.034 ? 'timeout' : 'ok';
    const status = outcome === 'ok' ? 200 : outcome === 'upstream_error' ? 502 : outcome === 'timeout' ? 504 : 499;
    const promptTokens = 40 + Math.floor(random() * 1800);
    const completionTokens = outcome === 'upstream_error' ? 0 : 5 + Math.floor(random() * 700);
    const upstreamCostMicro = outcome === 'upstream_error' ? 0 : Math.ceil((promptTokens * promptPrice + completionTokens * completionPrice) / 1000);
    const chargedMicro = Math.ceil((upstreamCostMicro * 135) / 100);
    const slow = random() < 0.02;
    const latencyMs = Math.round((slow ? 2500 : 120) + random() * (slow ? 4000 : 700) * random());
    return {
      requestId: `req_${requestSeq.toString(36).padStart(8, '0')}`,
      at: new Date(atMs).toISOString(),
      keyId: `key_${customerId.slice(4, 10)}k1`,
      customerId,
      model,
      stream: random() < 0.6,
      status,
      outcome,
      latencyMs,
      promptTokens,
      completionTokens,
      chargedMicro,
      upstreamCostMicro,
      profitMicro: chargedMicro - upstreamCostMicro,
      allowanceTokens: 0,
    };
  };
  const history: ProxyRequestEvent[] = [];
  if (!options.proxyEmpty) {
    for (let i = 0; i < 80; i++) history.push(makeRequest(now - 30 * 60_000 + i * 20_000));
    history.reverse(); // newest first, as usage.list answers
  }
  const byModel = (): ModelUsage[] => {
    const totals = new Map<string, ModelUsage>();
    for (const [model] of models) totals.set(model, { model, requests: 0, promptTokens: 0, completionTokens: 0, chargeMicro: 0, upstreamCostMicro: 0, profitMicro: 0 });
    for (const e of [...history, ...liveLog]) {
      const t = totals.get(e.model)!;
      t.requests += 1;
      t.promptTokens += e.promptTokens;
      t.completionTokens += e.completionTokens;
      t.chargeMicro += e.chargedMicro;
      t.upstreamCostMicro += e.upstreamCostMicro;
      t.profitMicro += e.profitMicro;
    }
    return [...totals.values()].filter((t) => t.requests > 0).sort((a, b) => b.chargeMicro - a.chargeMicro);
  };
  /** Per-second tallies of what was emitted (for proxy.stats) and the last few hundred requests (for usage.list). */
  const perSecond = new Map<number, { n: number; errors: Record<string, number>; charged: number; cost: number; latencies: number[] }>();
  const liveLog: ProxyRequestEvent[] = [];
  let emitted = 0;
  const record = (e: ProxyRequestEvent) => {
    emitted += 1;
    liveLog.push(e);
    if (liveLog.length > 1000) liveLog.splice(0, liveLog.length - 500);
    const sec = Math.floor(Date.parse(e.at) / 1000);
    let t = perSecond.get(sec);
    if (!t) {
      t = { n: 0, errors: {}, charged: 0, cost: 0, latencies: [] };
      perSecond.set(sec, t);
    }
    t.n += 1;
    if (e.outcome !== 'ok') t.errors[e.outcome] = (t.errors[e.outcome] ?? 0) + 1;
    t.charged += e.chargedMicro;
    t.cost += e.upstreamCostMicro;
    if (t.latencies.length < 50) t.latencies.push(e.latencyMs);
  };
  const proxyStats = () => {
    const nowSec = Math.floor(Date.now() / 1000);
    let n = 0;
    let charged = 0;
    let cost = 0;
    const errors: Record<string, number> = {};
    const latencies: number[] = [];
    for (const [sec, t] of perSecond) {
      if (sec <= nowSec - 60) {
        perSecond.delete(sec);
        continue;
      }
      n += t.n;
      charged += t.charged;
      cost += t.cost;
      for (const [k, v] of Object.entries(t.errors)) errors[k] = (errors[k] ?? 0) + v;
      latencies.push(...t.latencies);
    }
    // The host also counts rejections that never become proxy.request events.
    if (n > 0) {
      errors.rate_limited = (errors.rate_limited ?? 0) + Math.round(n * 0.004);
      errors.insufficient_balance = (errors.insufficient_balance ?? 0) + Math.round(n * 0.001);
      errors.auth = (errors.auth ?? 0) + 1;
    }
    const rejected = n > 0 ? Math.round(n * 0.005) + 1 : 0;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]! : null);
    return {
      windowSeconds: 60,
      requestsPerSecond: Math.round(((n + rejected) / 60) * 100) / 100,
      p50Ms: pct(50),
      p99Ms: pct(99),
      requests: n + rejected,
      errors,
      chargedMicro: charged,
      upstreamCostMicro: cost,
      profitMicro: charged - cost,
    };
  };
  let flood: ReturnType<typeof setInterval> | undefined;

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
      case 'customers.list':
        return ok({ customers });
      case 'usage.list': {
        const limit = (input as { limit?: number } | undefined)?.limit ?? 50;
        const recent = [...liveLog.slice(-limit).reverse(), ...history].slice(0, limit).map((e) => ({
          id: e.requestId,
          at: e.at,
          keyId: e.keyId,
          customerId: e.customerId,
          model: e.model,
          stream: e.stream,
          status: e.status,
          outcome: e.outcome,
          promptTokens: e.promptTokens,
          completionTokens: e.completionTokens,
          upstreamCostMicro: e.upstreamCostMicro,
          chargeMicro: e.chargedMicro,
          profitMicro: e.profitMicro,
          latencyMs: e.latencyMs,
          allowanceTokens: 0,
        }));
        return ok({ recent, byModel: byModel() });
      }
      case 'proxy.stats':
        return ok(proxyStats());
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

  const emit = (batch: EventBatch) => listeners.forEach((l) => l(JSON.parse(JSON.stringify(batch))));
  const controls: FakeControls = {
    emit,
    calls,
    logLine,
    services,
    startProxyFlood(rate, batchesPerSecond = 10) {
      if (flood) clearInterval(flood);
      const interval = 1000 / batchesPerSecond;
      let owed = 0;
      let last = Date.now();
      flood = setInterval(() => {
        const t = Date.now();
        owed += ((t - last) / 1000) * rate;
        last = t;
        const count = Math.floor(owed);
        owed -= count;
        if (count === 0) return;
        const events: ProxyRequestEvent[] = [];
        // Spread over the interval that just ended, oldest first (as the batcher sends them).
        for (let i = 0; i < count; i++) {
          const e = makeRequest(t - interval + ((i + 1) * interval) / count);
          record(e);
          events.push(e);
        }
        emit({ stream: 'proxy.request', events });
      }, interval);
    },
    stopProxyFlood() {
      if (flood) clearInterval(flood);
      flood = undefined;
    },
    proxyEmitted: () => emitted,
  };
  const g = globalThis as unknown as { arbdesk: ArbdeskBridge; __fakeArbdesk: FakeControls };
  g.arbdesk = bridge;
  g.__fakeArbdesk = controls;
}
