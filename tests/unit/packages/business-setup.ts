/**
 * A Business over a real SQLite file in a temp dir, with a fixed upstream catalog and settings
 * the test can change, a recording audit trail and a stand-in bot — for the contract handlers
 * of pricing, packages and customers.
 */
import path from 'node:path';
import pino from 'pino';
import { defaultSettings, type Settings } from '../../../services/config/schema.js';
import type { CommandName, CommandOutput, CommandInput, Result } from '../../../services/contract.js';
import { checkCommand } from '../../../services/contract.js';
import { openDatabase } from '../../../services/db/database.js';
import { Business } from '../../../services/host/business.js';
import type { ProxyService } from '../../../services/proxy/proxy-service.js';
import type { UpstreamModel } from '../../../services/upstream/models.js';
import { tempDir } from '../../helpers/temp.js';

export const model = (id: string, promptPico: number, completionPico: number): UpstreamModel => ({
  id,
  name: id,
  contextLength: 128_000,
  maxCompletionTokens: 16_000,
  priced: true,
  promptPico,
  completionPico,
  requestMicro: 0,
});
/** $3 / $15 per 1M tokens. */
export const sonnet = model('anthropic/claude-3.5-sonnet', 3_000_000, 15_000_000);
/** $0.15 / $0.60 per 1M tokens. */
export const mini = model('openai/gpt-4o-mini', 150_000, 600_000);

export interface TestBusiness {
  business: Business;
  settings: Settings;
  audits: { action: string; subject: string; detail: Record<string, unknown> }[];
  /** Messages the stand-in bot was asked to send; `bot` = undefined while "not running". */
  sent: { telegramId: number; text: string }[];
  setBot(running: boolean, delivers?: boolean): void;
  invoke<M extends CommandName>(method: M, input?: CommandInput<M>): Promise<Result<CommandOutput<M>>>;
  cleanup(): void;
}

export function testBusiness(models: UpstreamModel[] = [sonnet, mini]): TestBusiness {
  const t = tempDir('arbdesk-pricing-');
  const { db } = openDatabase(path.join(t.dir, 'arbdesk.db'));
  const settings: Settings = { ...defaultSettings() };
  const audits: TestBusiness['audits'] = [];
  const sent: TestBusiness['sent'] = [];
  let running = true;
  let delivers = true;
  const bot = {
    invoiceChanged: async () => true,
    delivered: async () => true,
    ownerAlert: async () => 1,
    ticketReply: async () => true,
    customerMessage: async (telegramId: number, text: string) => {
      if (!delivers) return false;
      sent.push({ telegramId, text });
      return true;
    },
  };
  const byId = new Map(models.map((m) => [m.id, m]));
  const proxy = { model: (id: string) => byId.get(id), models: () => models, catalogStatus: () => undefined, localUrl: () => undefined } as unknown as ProxyService;
  const business = new Business({
    db,
    logger: pino({ level: 'silent' }),
    settings: () => settings,
    publish: () => undefined,
    audit: (action, subject, detail) => audits.push({ action, subject, detail }),
    proxy: () => proxy,
    storefront: () => (running ? bot : undefined),
    crypto: { options: () => [], prepare: async () => Promise.reject(new Error('no crypto')) },
  });
  const handlers = business.handlers() as unknown as Record<string, (input: unknown) => Promise<Result<unknown>>>;
  return {
    business,
    settings,
    audits,
    sent,
    setBot(r, d = true) {
      running = r;
      delivers = d;
    },
    // Through the contract's boundary check, as the UI's calls arrive.
    async invoke(method, input) {
      const checked = checkCommand(method, input);
      if (!checked.ok) return checked;
      return handlers[method]!(checked.input) as never;
    },
    cleanup() {
      db.close();
      t.cleanup();
    },
  };
}
