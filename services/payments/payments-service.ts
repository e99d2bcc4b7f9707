/**
 * The chain watchers as a managed service: every payments.pollSeconds it asks the Bitcoin
 * (Esplora) and Ethereum (JSON-RPC) watchers what they see at the addresses of open invoices,
 * and hands it to the invoice engine. Watchers keep no money state; the engine credits.
 * `degraded` with the reason while a chain cannot be reached; the other chain keeps going.
 */
import type { Settings } from '../config/schema.js';
import type { ManagedService, ServiceContext } from '../host/service-runner.js';
import type { CryptoSetup } from './crypto-accounts.js';
import { EsploraWatcher } from './crypto/esplora-watcher.js';
import { EvmWatcher } from './crypto/evm-watcher.js';
import type { InvoiceEngine } from './invoice-engine.js';
import type { InvoiceStore } from './invoice-store.js';
import type { ChainWatcher, WatchedAddress } from './types.js';

/** Expired invoices are still watched this long, so late payments are seen (and credited). */
const LATE_WINDOW_MS = 7 * 86_400_000;

export interface PaymentsServiceDeps {
  setup: () => CryptoSetup;
  store: InvoiceStore;
  engine: InvoiceEngine;
}

export class PaymentsService implements ManagedService {
  readonly id = 'payments';
  readonly name = 'Crypto payment watchers';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private watchers: { chain: 'btc' | 'eth'; watcher: ChainWatcher; close?: () => void }[] = [];
  private polling: Promise<void> | undefined;
  private stopped = true;
  /** The Ethereum head at the last poll (new EVM invoices scan from a little before it). */
  ethTip: number | null = null;

  constructor(private readonly deps: PaymentsServiceDeps) {}

  checkConfig(settings: Settings): string | null {
    const btc = settings['payments.btc.xpub'] && settings['payments.btc.esploraUrl'];
    const eth = settings['payments.eth.xpub'] && settings['payments.eth.rpcUrl'];
    if (!btc && !eth) {
      return 'not configured: no crypto payments (set payments.btc.xpub and payments.btc.esploraUrl, or payments.eth.xpub and payments.eth.rpcUrl); Telegram Stars need nothing here';
    }
    return null;
  }

  async start(ctx: ServiceContext) {
    const setup = this.deps.setup(); // throws the parser's clear message on a bad key
    const store = this.deps.store;
    this.watchers = [];
    if (setup.btc) this.watchers.push({ chain: 'btc', watcher: new EsploraWatcher({ baseUrl: setup.esploraUrl }) });
    if (setup.eth) {
      const evm = new EvmWatcher({
        rpcUrl: setup.rpcUrl,
        chainId: setup.chainId,
        tokens: setup.tokens,
        otherAssets: 'report', // the engine refuses a payment in another asset than its invoice's
        cursor: { load: () => store.getState(`evm:${setup.chainId}`) ?? null, save: (v) => store.setState(`evm:${setup.chainId}`, v) },
        onWarning: (message) => ctx.logger.warn({ event: 'payments.evm_notice', message }, message),
      });
      this.watchers.push({ chain: 'eth', watcher: evm, close: () => evm.close() });
    }
    this.stopped = false;
    const first = await this.pollAll(ctx);
    this.schedule(ctx);
    const chains = this.watchers.map((w) => w.chain).join(' and ');
    const detail: Record<string, string> = { chains, ...(setup.btc ? { bitcoin: setup.btc.network } : {}), ...(setup.eth ? { ethereumChainId: String(setup.chainId) } : {}) };
    if (first.length) return { reason: `watching ${chains}, but: ${first.join('; ')}`, detail, degraded: true };
    return { reason: `watching ${chains} every ${ctx.settings['payments.pollSeconds']} s`, detail };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling?.catch(() => undefined);
    for (const w of this.watchers.splice(0)) w.close?.();
  }

  /** Polls now (also what the timer does). Returns the problems of chains that failed. */
  async pollAll(ctx: ServiceContext): Promise<string[]> {
    const run = (async () => {
      const problems: string[] = [];
      const open = this.deps.store.watched(LATE_WINDOW_MS);
      for (const { chain, watcher } of this.watchers) {
        const watched: WatchedAddress[] = open
          .filter((inv) => (chain === 'btc' ? inv.method === 'btc' : inv.method !== 'btc' && inv.method !== 'stars') && inv.address)
          .map((inv) => ({ address: inv.address!, method: inv.method, invoiceId: inv.id, ...(inv.from_block !== null ? { fromBlock: inv.from_block } : {}) }));
        try {
          const seen = await watcher.poll(watched);
          if (chain === 'eth') this.ethTip = seen.tipHeight;
          this.deps.engine.observe(seen.transfers, watched.map((w) => w.invoiceId));
        } catch (error) {
          problems.push(`${chain === 'btc' ? 'Bitcoin' : 'Ethereum'} watcher failed: ${(error as Error).message.split('\n')[0]}`);
        }
      }
      this.deps.engine.expireDue();
      if (problems.length) ctx.degraded(problems.join('; '));
      else ctx.recovered(`watching ${this.watchers.map((w) => w.chain).join(' and ')}`);
      return problems;
    })();
    this.polling = run.then(() => undefined);
    return run;
  }

  private schedule(ctx: ServiceContext): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.pollAll(ctx).finally(() => this.schedule(ctx));
    }, ctx.settings['payments.pollSeconds'] * 1000);
    this.timer.unref?.();
  }
}
