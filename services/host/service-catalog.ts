/** The services every host runs, in the order the Status screen lists them. */
import { BotService } from '../bot/bot-service.js';
import { checkBotConfig } from '../bot/bot-settings.js';
import type { Settings } from '../config/schema.js';
import { ProxyService } from '../proxy/proxy-service.js';
import { PaymentsService } from '../payments/payments-service.js';
import { VERSION } from '../version.js';
import type { Host } from './host.js';
import type { ManagedService } from './service-runner.js';

export function builtInServices(host: Host): ManagedService[] {
  return [
    new ProxyService({
      version: VERSION,
      dataDir: host.options.dataDir,
      db: host.db,
      keys: host.keys,
      customers: host.customers,
      ledger: host.ledger,
      allowances: host.allowances,
      meter: host.meter,
      overrides: host.overrides,
      stats: host.proxyStats,
      getSettings: () => host.settings.settings,
      onRequest: (event) => host.publish('proxy.request', event),
      onPricesChanged: (why) => host.repricePackages(why),
    }),
    new BotService({ shop: host.business.shop }),
    new PaymentsService({ setup: () => host.cryptoSetup(), store: host.business.invoices, engine: host.business.engine }),
  ];
}

/** For `arbdesk doctor`: what each service would say about these settings, without starting it. */
export const configChecks: { id: string; check: (settings: Settings) => string | null }[] = [
  { id: 'proxy', check: () => null },
  { id: 'bot', check: (s) => checkBotConfig(s) },
  { id: 'payments', check: (s) => PaymentsService.prototype.checkConfig.call(null, s) },
];
