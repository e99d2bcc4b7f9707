/**
 * A fake `window.arbdesk` (the contract's ArbdeskBridge) for looking at the renderer without
 * the services host: canned answers for every command, and `window.__fakeArbdesk` to emit
 * event batches from a test. installFakes(page, options) installs it: the canned data
 * (fake-bridge-data.ts) is computed in Node and passed as JSON options, the proxy traffic
 * (fake-proxy-traffic.ts) and installFakeBridge run in the page — Playwright serialises each
 * function, so each must be self-contained.
 */
import type {
  ArbdeskBridge,
  CustomerView,
  EventBatch,
  InvoiceView,
  KeyView,
  LedgerTxView,
  LogLine,
  ProxyRequestEvent,
  ServiceStatus,
  SettingView,
  TicketView,
} from '../../../services/contract';
import { fakeBridgeData, type FakeBridgeData } from './fake-bridge-data';
import { installFakeProxyTraffic, type FakeTrafficFactory } from './fake-proxy-traffic';
import type { Page } from '@playwright/test';

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
  /** The services and settings to answer with (fake-bridge-data.ts; JSON, computed outside the page). */
  data: FakeBridgeData;
}

/** Installs the fake `window.arbdesk` in every document the page loads from now on. */
export async function installFakes(page: Page, options: Omit<FakeBridgeOptions, 'data'>): Promise<void> {
  await page.addInitScript(installFakeProxyTraffic);
  await page.addInitScript(installFakeBridge, { ...options, data: fakeBridgeData(options.now) });
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

  const services: ServiceStatus[] = options.data.services;

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

  const settings: SettingView[] = options.data.settings;

  // --- proxy: customers, and their traffic (fake-proxy-traffic.ts, installed before this) -----
  const customers: CustomerView[] = (
    [
      ['cus_alice001', 'Alice Trading', 12_400_000, 4242, 180_000],
      ['cus_bob00002', "Bob's Bots", 3_150_000, 777_001, 0],
      ['cus_carol003', 'Carol Labs', 48_000_000, null, 1_250_000],
      ['cus_dave0004', 'Dave K.', 250_000, 5_550_123, 0],
    ] as const
  ).map(([id, name, availableMicro, telegramId, heldMicro], i) => ({ id, name, telegramId, createdAt: iso(86_400_000 * (40 - i * 7)), availableMicro, heldMicro, activeKeys: 1 }));
  const traffic = (globalThis as unknown as { __arbdeskFakeTraffic: FakeTrafficFactory }).__arbdeskFakeTraffic(
    now,
    customers.map((c) => c.id),
    Boolean(options.proxyEmpty),
  );
  const { history, liveLog, byModel, usageByModel, record, proxyStats, makeRequest } = traffic;
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
  const allowances = options.data.allowances;
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

  const { invoices, payments, orders } = options.data;

  const publishInvoice = (inv: InvoiceView) => setTimeout(() => emit({ stream: 'invoice.changed', events: [inv] }), 20);
  let confirming: ReturnType<typeof setInterval> | undefined;

  const tickets = options.data.tickets;
  const publishTicket = (t: TicketView) => setTimeout(() => emit({ stream: 'support.changed', events: [t] }), 20);

  const customerView = (c: CustomerView): CustomerView => ({ ...c, activeKeys: keys.filter((k) => k.customerId === c.id && k.status === 'active').length });
  const notFound = (what: string) => ({ ok: false, error: { code: 'not_found', message: `no ${what}` } });
  const customerAnswer = (method: string, input: Record<string, unknown>): unknown => {
    const c = customers.find((x) => x.id === input.customerId);
    if (!c) return notFound(`customer ${String(input.customerId)}`);
    switch (method) {
      case 'customers.get': {
        const mine = [...liveLog.slice().reverse(), ...history].filter((e) => e.customerId === c.id);
        return ok({
          customer: customerView(c),
          keys: keys.filter((k) => k.customerId === c.id),
          allowances: allowances.filter((a) => a.customerId === c.id).map(({ customerId: _c, ...a }) => a),
          usage: usageByModel(mine),
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
    if (method === 'keys.revoke') return ok({ record: key, alreadyRevoked: false });
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
        return ok({ recent, byModel: byModel(), refused: [] });
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
    proxyEmitted: () => traffic.emitted(),
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
