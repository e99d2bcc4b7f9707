/**
 * Handlers of `setup.check` (the first-run checklist) and `system.attention` (what waits for the
 * owner: the tray, badges). Wired in services/host/host.ts.
 */
import type { AttentionCounts, CommandOutput, ParsedInput, Result, ServiceStatus } from '../contract.js';
import { ok } from '../contract.js';
import type { Settings } from '../config/schema.js';
import type { Db } from '../db/database.js';
import { runSetupCheck } from './check.js';

export interface SetupHandlerDeps {
  db: Db;
  settings: () => Settings;
  services: () => ServiceStatus[];
  credit: () => { remainingMicro: number | null; low: boolean } | undefined;
  checkTimeoutMs?: number;
}

export function attentionCounts(d: SetupHandlerDeps): AttentionCounts {
  const pendingInvoices = d.db.prepare("SELECT COUNT(*) FROM invoices WHERE status IN ('new', 'processing')").pluck().get() as number;
  const openTickets = d.db.prepare("SELECT COUNT(*) FROM tickets WHERE status = 'open'").pluck().get() as number;
  const credit = d.credit();
  return {
    pendingInvoices,
    openTickets,
    lowCredit: credit?.low ?? false,
    creditRemainingMicro: credit?.remainingMicro ?? null,
    servicesDown: d.services().filter((s) => s.state === 'failed').length,
    notifications: d.settings()['notifications.enabled'],
  };
}

export function setupHandlers(d: SetupHandlerDeps): {
  'setup.check': (input: ParsedInput<'setup.check'>) => Promise<Result<CommandOutput<'setup.check'>>>;
  'system.attention': () => Promise<Result<CommandOutput<'system.attention'>>>;
} {
  return {
    'setup.check': async (input) =>
      ok(await runSetupCheck(input.item, input.value, { settings: d.settings, ...(d.checkTimeoutMs ? { timeoutMs: d.checkTimeoutMs } : {}) })),
    'system.attention': async () => ok(attentionCounts(d)),
  };
}
