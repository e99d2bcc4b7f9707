/**
 * A fake `window.arbdesk` (the contract's ArbdeskBridge) for looking at the renderer without
 * the services host: canned answers for every command, and `window.__fakeArbdesk` to emit
 * event batches from a test. Installed with Playwright's `page.addInitScript(installFakeBridge,
 * options)`, so the function must be self-contained (it is serialised into the page).
 */
import type {
  AllowanceView,
  ArbdeskBridge,
  CustomerView,
  EventBatch,
  InvoiceView,
  KeyView,
  LedgerTxView,
  LogLine,
  ModelUsage,
  OrderView,
  PaymentView,
  ProxyRequestEvent,
  ServiceStatus,
  SettingView,
  TicketView,
} from '../../../services/contract';

export interface FakeBridgeOptions {
  /** Answer every command with this error code instead (e.g. 'unauthorized', 'host_unavailable'). */
  failWith?: string;
  /** Initial log lines to answer logs.tail with. */
  tailLines?: number;
  /** Fixed "now" for times in the canned data (ms). */
  now: number;
  /** Proxy: no requests ever (usage.list and proxy.stats answer empty). */
  proxyEmpty?: boolean;
  /** Support: replies are not delivered (the bot is not running). */
  botDown?: boolean;
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
  /**
   * Invoices: the pending Bitcoin invoice's payment gains a confirmation every `everyMs`
   * (`invoice.changed` events, as the host sends them) until it has 3 and the invoice settles.
   */
  startConfirmations(everyMs?: number): void;
  /** Support: the customer writes in a ticket (a `support.changed` event); a new ticket if the id is unknown. */
  customerWrites(ticketId: string, text: string): void;
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
  const customers: CustomerView[] = (
    [
      ['cus_alice001', 'Alice Trading', 12_400_000, 4242, 180_000],
      ['cus_bob00002', "Bob's Bots", 3_150_000, 777_001, 0],
      ['cus_carol003', 'Carol Labs', 48_000_000, null, 1_250_000],
      ['cus_dave0004', 'Dave K.', 250_000, 5_550_123, 0],
    ] as const
  ).map(([id, name, availableMicro, telegramId, heldMicro], i) => ({ id, name, telegramId, createdAt: iso(86_400_000 * (40 - i * 7)), availableMicro, heldMicro, activeKeys: 1 }));
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

  // --- customers' profiles, invoices and support tickets ---------------------------------------
  let idSeq = 0;
  const newId = (prefix: string) => `${prefix}_${(++idSeq).toString(36).padStart(6, '0')}Fk`;
  /** "2.50" / "-3" → µUSD, exactly (string arithmetic, as the host does). */
  const usdToMicro = (usd: string) => {
    const negative = usd.startsWith('-');
    const [whole = '0', frac = ''] = (negative ? usd.slice(1) : usd).split('.');
    const micro = Number(whole) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
    return negative ? -micro : micro;
  };
  const keyView = (customerId: string, n: number, overrides: Partial<KeyView> = {}): KeyView => ({
    id: `key_${customerId.slice(4, 10)}k${n}`,
    customerId,
    hint: `sk-arb-…${customerId.slice(4, 6).toUpperCase()}${n}q`,
    label: '',
    allowedModels: null,
    rpm: null,
    tpm: null,
    maxConcurrent: null,
    expiresAt: null,
    revokedAt: null,
    rotatedTo: null,
    createdAt: iso(86_400_000 * (20 - n)),
    status: 'active',
    ...overrides,
  });
  const keys: KeyView[] = [
    keyView('cus_alice001', 1, { label: 'trading bot', rpm: 60, maxConcurrent: 4, allowedModels: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-sonnet'] }),
    keyView('cus_alice001', 2, { label: 'laptop', expiresAt: iso(-86_400_000 * 30) }),
    keyView('cus_alice001', 0, { label: 'old laptop', status: 'revoked', revokedAt: iso(86_400_000 * 12) }),
    keyView('cus_bob00002', 1, { label: 'discord bot', rpm: 20, tpm: 100_000 }),
    keyView('cus_carol003', 1, { label: 'prod', rpm: 600, maxConcurrent: 16 }),
    keyView('cus_dave0004', 1, { status: 'expired', expiresAt: iso(86_400_000 * 2) }),
  ];
  const allowances: (AllowanceView & { customerId: string })[] = [
    { customerId: 'cus_alice001', lotId: 'lot_a1', model: 'openai/gpt-4o-mini', grantedTokens: 5_000_000, remainingTokens: 3_412_880, expiresAt: iso(-86_400_000 * 23), expired: false, createdAt: iso(86_400_000 * 7) },
    { customerId: 'cus_alice001', lotId: 'lot_a0', model: 'anthropic/claude-3.5-sonnet', grantedTokens: 1_000_000, remainingTokens: 120_000, expiresAt: iso(86_400_000 * 1), expired: true, createdAt: iso(86_400_000 * 31) },
    { customerId: 'cus_carol003', lotId: 'lot_c1', model: 'meta-llama/llama-3.1-70b-instruct', grantedTokens: 20_000_000, remainingTokens: 19_870_551, expiresAt: null, expired: false, createdAt: iso(86_400_000 * 3) },
  ];
  const ledgers: Record<string, LedgerTxView[]> = {};
  let txSeq = 100;
  const addTx = (customerId: string, kind: string, memo: string, actor: string, change: number, msAgo = 0) => {
    const tx: LedgerTxView = { id: ++txSeq, at: iso(msAgo), kind, memo, actor, availableChangeMicro: change };
    (ledgers[customerId] ??= []).unshift(tx);
    return tx;
  };
  for (const c of customers) {
    addTx(c.id, 'credit', 'bank transfer', 'owner', 20_000_000, 86_400_000 * 9);
    addTx(c.id, 'sale', 'package order ord_000001Fk', 'system', -5_000_000, 86_400_000 * 7);
    addTx(c.id, 'usage', 'metered requests', 'proxy', -1_234_567, 86_400_000 * 2);
    addTx(c.id, 'adjustment', 'goodwill: slow upstream on Monday', 'owner', 500_000, 86_400_000);
  }

  const invoices: InvoiceView[] = [];
  const payments: PaymentView[] = [];
  const orders: OrderView[] = [];
  const addInvoice = (
    id: string,
    customerId: string,
    method: string,
    asset: string,
    decimals: number,
    usdMicro: number,
    rate: string,
    amountBase: string,
    minutesAgo: number,
    overrides: Partial<InvoiceView> = {},
    orderStatus: OrderView['status'] = 'pending',
  ) => {
    const orderId = `ord_${id.slice(4)}`;
    orders.push({ id: orderId, customerId, kind: id.endsWith('t') ? 'topup' : 'package', packageId: id.endsWith('t') ? null : 'pkg_gpt4omini5m', usdMicro, status: orderStatus, createdAt: iso(minutesAgo * 60_000), deliveredAt: orderStatus === 'delivered' ? iso((minutesAgo - 20) * 60_000) : null });
    const address = method === 'stars' ? null : method === 'btc' ? `bc1q${id.slice(4).toLowerCase()}w508d6qejxtdg4y5r3zarvary0c5xw7k` : `0x${(id.slice(4) + '71c7656ec7ab88b098defb751b7401b5f6d8976f').slice(0, 40)}`;
    const uri = address === null ? null : method === 'btc' ? `bitcoin:${address}?amount=${Number(amountBase) / 1e8}` : `ethereum:${address}@1?value=${amountBase}`;
    invoices.push({ id, orderId, customerId, method, asset, usdMicro, amountBase, decimals, rate, address, uri, status: 'new', paidBase: '0', confirmations: 0, flags: [], memo: '', createdAt: iso(minutesAgo * 60_000), expiresAt: iso((minutesAgo - 30) * 60_000), settledAt: null, ...overrides });
  };
  const addPayment = (invoiceId: string, amountBase: string, confirmations: number, status: PaymentView['status'], minutesAgo: number, late = false) => {
    const inv = invoices.find((i) => i.id === invoiceId)!;
    payments.push({ outpoint: `${(invoiceId.slice(4) + 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855').slice(0, 64)}:${payments.length % 3}`, invoiceId, method: inv.method, amountBase, blockNumber: status === 'seen' && confirmations === 0 ? null : 870_000 + payments.length, confirmations, status, late, seenAt: iso(minutesAgo * 60_000), confirmedAt: status === 'confirmed' ? iso((minutesAgo - 25) * 60_000) : null });
  };
  // Confirming now (rises live with startConfirmations).
  addInvoice('inv_A1live', 'cus_alice001', 'btc', 'BTC', 8, 10_000_000, '64000', '15625', 4, { status: 'processing', paidBase: '15625', confirmations: 1 });
  addPayment('inv_A1live', '15625', 1, 'seen', 3);
  addInvoice('inv_B2eth', 'cus_bob00002', 'eth', 'ETH', 18, 25_000_000, '3200', '7812500000000000', 9);
  addInvoice('inv_C3usdt', 'cus_carol003', 'erc20:USDT', 'USDT', 6, 50_000_000, '1', '50000000', 60 * 26, { status: 'settled', paidBase: '50000000', confirmations: 14, settledAt: iso(60_000 * (60 * 26 - 8)) }, 'delivered');
  addPayment('inv_C3usdt', '50000000', 14, 'confirmed', 60 * 26 - 2);
  // Paid late and short: the owner decides (shortfall $0.40).
  addInvoice('inv_D4late', 'cus_dave0004', 'btc', 'BTC', 8, 10_000_000, '50000', '20000', 60 * 3, { status: 'expired', paidBase: '19200', confirmations: 4, flags: ['late', 'underpaid'] });
  addPayment('inv_D4late', '19200', 4, 'confirmed', 60 * 2, true);
  addInvoice('inv_E5stars', 'cus_alice001', 'stars', 'XTR', 0, 5_000_000, '0.02', '250', 60 * 30, { status: 'settled', paidBase: '250', confirmations: 0, settledAt: iso(60_000 * (60 * 30 - 1)) }, 'delivered');
  addPayment('inv_E5stars', '250', 0, 'confirmed', 60 * 30 - 1);
  addInvoice('inv_F6overt', 'cus_bob00002', 'erc20:USDC', 'USDC', 6, 20_000_000, '1', '20000000', 60 * 50, { status: 'settled', paidBase: '25000000', confirmations: 30, flags: ['overpaid'], settledAt: iso(60_000 * (60 * 50 - 9)) }, 'delivered');
  addPayment('inv_F6overt', '25000000', 30, 'confirmed', 60 * 50 - 3);
  addInvoice('inv_G7exp', 'cus_carol003', 'btc', 'BTC', 8, 15_000_000, '64100.25', '23401', 60 * 70, { status: 'expired' });
  addInvoice('inv_H8inv', 'cus_dave0004', 'eth', 'ETH', 18, 8_000_000, '3150.5', '2539279479447706', 60 * 96, { status: 'invalid', flags: ['resolved'], memo: 'sent to the wrong address; refunded by hand' }, 'cancelled');
  addInvoice('inv_J9reorg', 'cus_alice001', 'btc', 'BTC', 8, 30_000_000, '63950', '46912', 60 * 120, { status: 'settled', paidBase: '46912', confirmations: 6, flags: ['reorg'], settledAt: iso(60_000 * (60 * 119)) }, 'delivered');
  addPayment('inv_J9reorg', '46912', 0, 'vanished', 60 * 119);
  addPayment('inv_J9reorg', '46912', 6, 'confirmed', 60 * 100);

  const publishInvoice = (inv: InvoiceView) => setTimeout(() => emit({ stream: 'invoice.changed', events: [inv] }), 20);
  let confirming: ReturnType<typeof setInterval> | undefined;

  const msg = (author: 'customer' | 'owner', text: string, minutesAgo: number) => ({ author, text, at: iso(minutesAgo * 60_000) });
  const tickets: TicketView[] = [
    { id: 'tkt_A1keys', customerId: 'cus_alice001', customerName: 'Alice Trading', telegramId: 4242, status: 'open', createdAt: iso(38 * 60_000), closedAt: null, messages: [msg('customer', 'Hi! My key stopped working about an hour ago — every call returns 401. Did something change?', 38), msg('owner', 'Hi Alice, let me check. Which key are you using (the last 4 characters are enough)?', 30), msg('customer', 'It ends in …AL2q, the laptop one.', 12)] },
    { id: 'tkt_B2pay', customerId: 'cus_dave0004', customerName: 'Dave K.', telegramId: 5_550_123, status: 'open', createdAt: iso(160 * 60_000), closedAt: null, messages: [msg('customer', 'I paid the Bitcoin invoice but the bot says it expired. I sent 0.000192 BTC. Can you check?', 160)] },
    { id: 'tkt_C3price', customerId: 'cus_bob00002', customerName: "Bob's Bots", telegramId: 777_001, status: 'open', createdAt: iso(26 * 3600_000), closedAt: null, messages: [msg('customer', 'Do you have a bigger package for claude-3.5-sonnet?', 60 * 26), msg('owner', 'Yes — a 10M token package is coming this week. I will let you know.', 60 * 25)] },
    { id: 'tkt_D4old', customerId: 'cus_carol003', customerName: 'Carol Labs', telegramId: null, status: 'closed', createdAt: iso(6 * 86_400_000), closedAt: iso(5 * 86_400_000), messages: [msg('customer', 'Can we get an invoice with our VAT number?', 60 * 24 * 6), msg('owner', 'Done, sent by email.', 60 * 24 * 5)] },
  ];
  const publishTicket = (t: TicketView) => setTimeout(() => emit({ stream: 'support.changed', events: [t] }), 20);

  const customerView = (c: CustomerView): CustomerView => ({ ...c, activeKeys: keys.filter((k) => k.customerId === c.id && k.status === 'active').length });
  const notFound = (what: string) => ({ ok: false, error: { code: 'not_found', message: `no ${what}` } });
  const customerAnswer = (method: string, input: Record<string, unknown>): unknown => {
    const c = customers.find((x) => x.id === input.customerId);
    if (!c) return notFound(`customer ${String(input.customerId)}`);
    switch (method) {
      case 'customers.get': {
        const mine = [...liveLog.slice().reverse(), ...history].filter((e) => e.customerId === c.id);
        const usage = new Map<string, ModelUsage>();
        for (const e of mine) {
          const u = usage.get(e.model) ?? { model: e.model, requests: 0, promptTokens: 0, completionTokens: 0, chargeMicro: 0, upstreamCostMicro: 0, profitMicro: 0 };
          u.requests += 1;
          u.promptTokens += e.promptTokens;
          u.completionTokens += e.completionTokens;
          u.chargeMicro += e.chargedMicro;
          u.upstreamCostMicro += e.upstreamCostMicro;
          u.profitMicro += e.profitMicro;
          usage.set(e.model, u);
        }
        return ok({
          customer: customerView(c),
          keys: keys.filter((k) => k.customerId === c.id),
          allowances: allowances.filter((a) => a.customerId === c.id).map(({ customerId: _c, ...a }) => a),
          usage: [...usage.values()],
          recent: mine.slice(0, 20).map((e) => ({ id: e.requestId, at: e.at, keyId: e.keyId, customerId: e.customerId, model: e.model, stream: e.stream, status: e.status, outcome: e.outcome, promptTokens: e.promptTokens, completionTokens: e.completionTokens, upstreamCostMicro: e.upstreamCostMicro, chargeMicro: e.chargedMicro, profitMicro: e.profitMicro, latencyMs: e.latencyMs, allowanceTokens: e.allowanceTokens })),
          ledger: ledgers[c.id] ?? [],
          invoices: invoices.filter((i) => i.customerId === c.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
        });
      }
      case 'customers.credit': {
        const amount = usdToMicro(String(input.usd));
        const idem = input.idemKey ? `manual:${String(input.idemKey)}` : null;
        const previous = idem ? (ledgers[c.id] ?? []).find((t) => t.memo === String(input.memo ?? '') && (t as unknown as { idem?: string }).idem === idem) : undefined;
        if (previous) return ok({ txId: previous.id, duplicate: true, customer: customerView(c) });
        const tx = addTx(c.id, 'credit', String(input.memo ?? ''), 'owner', amount);
        (tx as unknown as { idem?: string | null }).idem = idem;
        c.availableMicro += amount;
        return ok({ txId: tx.id, duplicate: false, customer: customerView(c) });
      }
      case 'customers.adjust': {
        const amount = usdToMicro(String(input.usd));
        if (c.availableMicro + amount < 0) {
          return { ok: false, error: { code: 'internal', message: `customers.adjust failed: this adjustment would take ${c.name}'s balance below zero (available ${c.availableMicro / 1e6} USD)` } };
        }
        const tx = addTx(c.id, 'adjustment', String(input.memo), 'owner', amount);
        c.availableMicro += amount;
        return ok({ txId: tx.id, customer: customerView(c) });
      }
      case 'allowances.grant': {
        const lotId = newId('lot');
        const days = input.validityDays as number | null;
        allowances.push({ customerId: c.id, lotId, model: String(input.model), grantedTokens: Number(input.tokens), remainingTokens: Number(input.tokens), expiresAt: days === null ? null : iso(-days * 86_400_000), expired: false, createdAt: iso(0) });
        return ok({ lotId, allowances: allowances.filter((a) => a.customerId === c.id).map(({ customerId: _c, ...a }) => a) });
      }
      case 'keys.issue': {
        const n = keys.filter((k) => k.customerId === c.id).length + 1;
        const secret = `sk-arb-${c.id.slice(4, 8)}${Date.now().toString(36)}Zq9TESTONLYx${n}W`;
        const record = keyView(c.id, n, {
          id: newId('key'),
          hint: `sk-arb-…${secret.slice(-4)}`,
          label: String(input.label ?? ''),
          allowedModels: (input.models as string[] | undefined) ?? null,
          rpm: (input.rpm as number | undefined) ?? null,
          expiresAt: input.expiresDays ? iso(-(input.expiresDays as number) * 86_400_000) : null,
          createdAt: iso(0),
        });
        keys.push(record);
        return ok({ key: secret, record });
      }
      default:
        return { ok: false, error: { code: 'unknown_command', message: method } };
    }
  };
  const keyAnswer = (method: string, input: Record<string, unknown>): unknown => {
    const key = keys.find((k) => k.id === input.keyId);
    if (!key) return notFound(`key ${String(input.keyId)}`);
    if (key.status !== 'active') return { ok: false, error: { code: 'conflict', message: `key ${key.id} is ${key.status}` } };
    key.status = 'revoked';
    key.revokedAt = iso(0);
    if (method === 'keys.revoke') return ok({ record: key });
    const secret = `sk-arb-rot${Date.now().toString(36)}Zq9TESTONLYr`;
    const record: KeyView = { ...key, id: newId('key'), hint: `sk-arb-…${secret.slice(-4)}`, status: 'active', revokedAt: null, rotatedTo: null, createdAt: iso(0) };
    key.rotatedTo = record.id;
    keys.push(record);
    return ok({ key: secret, record, replaced: key });
  };
  const invoiceAnswer = (method: string, input: Record<string, unknown> | undefined): unknown => {
    if (method === 'invoices.list') {
      const limit = (input?.limit as number | undefined) ?? 100;
      const rows = invoices
        .filter((i) => (!input?.status || i.status === input.status) && (!input?.customerId || i.customerId === input.customerId))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, limit);
      return ok({ invoices: rows });
    }
    const inv = invoices.find((i) => i.id === input?.invoiceId);
    if (!inv) return notFound(`invoice ${String(input?.invoiceId)}`);
    const order = orders.find((o) => o.id === inv.orderId)!;
    if (method === 'invoices.get') return ok({ invoice: inv, payments: payments.filter((p) => p.invoiceId === inv.id), order });
    // invoices.resolve
    if (inv.status === 'settled' || inv.status === 'invalid') return { ok: false, error: { code: 'conflict', message: `invoice ${inv.id} is already ${inv.status}` } };
    inv.flags = [...inv.flags.filter((f) => f !== 'resolved'), 'resolved'];
    inv.memo = String(input?.memo ?? '');
    if (input?.action === 'invalidate') {
      inv.status = 'invalid';
    } else {
      const credited = payments
        .filter((p) => p.invoiceId === inv.id && p.status === 'confirmed')
        .reduce((sum, p) => sum + Number((BigInt(p.amountBase) * BigInt(inv.rate.replace('.', '')) * 1_000_000n) / (10n ** BigInt(inv.decimals) * 10n ** BigInt(inv.rate.split('.')[1]?.length ?? 0))), 0);
      const shortfall = inv.usdMicro - credited;
      if (shortfall > 0) addTx(inv.customerId, 'adjustment', inv.memo, 'owner', shortfall);
      inv.status = 'settled';
      inv.settledAt = iso(0);
      if (order.status === 'pending') {
        order.status = 'delivered';
        order.deliveredAt = iso(0);
        addTx(inv.customerId, 'sale', `package order ${order.id}`, 'system', -order.usdMicro);
      }
    }
    publishInvoice({ ...inv });
    return ok({ invoice: inv });
  };
  const supportAnswer = (method: string, input: Record<string, unknown> | undefined): unknown => {
    if (method === 'support.list') {
      const rows = tickets.filter((t) => !input?.status || t.status === input.status).slice(0, (input?.limit as number | undefined) ?? 100);
      return ok({ tickets: rows });
    }
    const t = tickets.find((x) => x.id === input?.ticketId);
    if (!t) return notFound(`ticket ${String(input?.ticketId)}`);
    if (method === 'support.close') {
      t.status = 'closed';
      t.closedAt = iso(0);
      publishTicket(t);
      return ok({ ticket: t });
    }
    const delivered = !options.botDown && t.telegramId !== null;
    t.messages = [...t.messages, { author: 'owner', text: String(input?.text ?? '').trim(), at: iso(0) }];
    publishTicket(t);
    return ok({ ticket: t, delivered });
  };

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
        return ok({ customers: customers.map(customerView) });
      case 'customers.add': {
        const i = input as { name: string; telegramId?: number | null };
        const c: CustomerView = { id: newId('cus'), name: i.name, telegramId: i.telegramId ?? null, createdAt: iso(0), availableMicro: 0, heldMicro: 0, activeKeys: 0 };
        customers.push(c);
        return ok(c);
      }
      case 'customers.get':
      case 'customers.credit':
      case 'customers.adjust':
      case 'allowances.grant':
      case 'keys.issue':
        return customerAnswer(method, input as Record<string, unknown>);
      case 'keys.revoke':
      case 'keys.rotate':
        return keyAnswer(method, input as Record<string, unknown>);
      case 'invoices.list':
      case 'invoices.get':
      case 'invoices.resolve':
        return invoiceAnswer(method, input as Record<string, unknown> | undefined);
      case 'support.list':
      case 'support.reply':
      case 'support.close':
        return supportAnswer(method, input as Record<string, unknown> | undefined);
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
    startConfirmations(everyMs = 1500) {
      if (confirming) clearInterval(confirming);
      confirming = setInterval(() => {
        const inv = invoices.find((i) => i.id === 'inv_A1live')!;
        const p = payments.find((x) => x.invoiceId === inv.id)!;
        p.confirmations += 1;
        p.blockNumber ??= 870_101;
        inv.confirmations = p.confirmations;
        if (p.confirmations >= 3) {
          p.status = 'confirmed';
          p.confirmedAt = new Date().toISOString();
          inv.status = 'settled';
          inv.settledAt = new Date().toISOString();
          const order = orders.find((o) => o.id === inv.orderId)!;
          order.status = 'delivered';
          order.deliveredAt = inv.settledAt;
          clearInterval(confirming);
          confirming = undefined;
        }
        emit({ stream: 'invoice.changed', events: [{ ...inv }] });
      }, everyMs);
    },
    customerWrites(ticketId, text) {
      let t = tickets.find((x) => x.id === ticketId);
      if (!t) {
        t = { id: ticketId, customerId: 'cus_bob00002', customerName: "Bob's Bots", telegramId: 777_001, status: 'open', createdAt: new Date().toISOString(), closedAt: null, messages: [] };
        tickets.push(t);
      }
      t.messages = [...t.messages, { author: 'customer', text, at: new Date().toISOString() }];
      emit({ stream: 'support.changed', events: [{ ...t, messages: [...t.messages] }] });
    },
  };
  const g = globalThis as unknown as { arbdesk: ArbdeskBridge; __fakeArbdesk: FakeControls };
  g.arbdesk = bridge;
  g.__fakeArbdesk = controls;
}
