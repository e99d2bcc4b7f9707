/**
 * The canned services, settings, allowance lots, support tickets and invoices the fake
 * `window.arbdesk` (fake-bridge.ts) starts with. Computed in Node and handed to the page as JSON options, so installFakeBridge — which must
 * stay one self-contained function — does not carry them.
 */
import type { AllowanceView, InvoiceView, OrderView, PaymentView, ServiceStatus, SettingView, TicketView } from '../../../services/contract';

export interface FakeBridgeData {
  services: ServiceStatus[];
  settings: SettingView[];
  /** Token allowance lots, with their customer. */
  allowances: (AllowanceView & { customerId: string })[];
  /** Support tickets (three open, one closed). */
  tickets: TicketView[];
  /** Invoices in every state, their payments and orders (one Bitcoin invoice still confirming). */
  invoices: InvoiceView[];
  payments: PaymentView[];
  orders: OrderView[];
}

export function fakeBridgeData(now: number): FakeBridgeData {
  const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
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
  const allowances: (AllowanceView & { customerId: string })[] = [
    { customerId: 'cus_alice001', lotId: 'lot_a1', model: 'openai/gpt-4o-mini', grantedTokens: 5_000_000, remainingTokens: 3_412_880, expiresAt: iso(-86_400_000 * 23), expired: false, createdAt: iso(86_400_000 * 7) },
    { customerId: 'cus_alice001', lotId: 'lot_a0', model: 'anthropic/claude-3.5-sonnet', grantedTokens: 1_000_000, remainingTokens: 120_000, expiresAt: iso(86_400_000 * 1), expired: true, createdAt: iso(86_400_000 * 31) },
    { customerId: 'cus_carol003', lotId: 'lot_c1', model: 'meta-llama/llama-3.1-70b-instruct', grantedTokens: 20_000_000, remainingTokens: 19_870_551, expiresAt: null, expired: false, createdAt: iso(86_400_000 * 3) },
  ];
  const msg = (author: 'customer' | 'owner', text: string, minutesAgo: number) => ({ author, text, at: iso(minutesAgo * 60_000) });
  const tickets: TicketView[] = [
    { id: 'tkt_A1keys', customerId: 'cus_alice001', customerName: 'Alice Trading', telegramId: 4242, status: 'open', createdAt: iso(38 * 60_000), closedAt: null, messages: [msg('customer', 'Hi! My key stopped working about an hour ago — every call returns 401. Did something change?', 38), msg('owner', 'Hi Alice, let me check. Which key are you using (the last 4 characters are enough)?', 30), msg('customer', 'It ends in …AL2q, the laptop one.', 12)] },
    { id: 'tkt_B2pay', customerId: 'cus_dave0004', customerName: 'Dave K.', telegramId: 5_550_123, status: 'open', createdAt: iso(160 * 60_000), closedAt: null, messages: [msg('customer', 'I paid the Bitcoin invoice but the bot says it expired. I sent 0.000192 BTC. Can you check?', 160)] },
    { id: 'tkt_C3price', customerId: 'cus_bob00002', customerName: "Bob's Bots", telegramId: 777_001, status: 'open', createdAt: iso(26 * 3600_000), closedAt: null, messages: [msg('customer', 'Do you have a bigger package for claude-3.5-sonnet?', 60 * 26), msg('owner', 'Yes — a 10M token package is coming this week. I will let you know.', 60 * 25)] },
    { id: 'tkt_D4old', customerId: 'cus_carol003', customerName: 'Carol Labs', telegramId: null, status: 'closed', createdAt: iso(6 * 86_400_000), closedAt: iso(5 * 86_400_000), messages: [msg('customer', 'Can we get an invoice with our VAT number?', 60 * 24 * 6), msg('owner', 'Done, sent by email.', 60 * 24 * 5)] },
  ];
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
  return { services, settings, allowances, tickets, invoices, payments, orders };
}
