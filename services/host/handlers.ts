/**
 * The host's answers to the contract's commands. Inputs arrive already validated by
 * checkCommand (Host.dispatch); each handler returns a Result. Later capabilities add their
 * handlers from their own folders and merge them here.
 */
import type { CommandName, CommandOutput, ParsedInput, Result } from '../contract.js';
import { ok } from '../contract.js';
import { getDef, isSettingKey } from '../config/schema.js';
import type { Host } from './host.js';

export type Handlers = {
  [M in CommandName]: (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>>;
};

type SystemNames = 'system.status' | 'settings.get' | 'settings.update' | 'logs.tail';

/** The host's own commands; capabilities add theirs from their folders (see Host). */
export function createHandlers(host: Host): Pick<Handlers, SystemNames> {
  return {
    'system.status': async () => ok(host.systemStatus()),

    'settings.get': async () => ok({ settings: host.settings.views(), configFile: host.settings.configFile }),

    'settings.update': async (input) => {
      const { updated, shadowed } = host.settings.update(input.changes);
      // The audit trail names what changed; secret values never enter it.
      const detail = Object.fromEntries(
        updated.map((key) => [key, isSettingKey(key) && getDef(key).secret ? (input.changes[key] === null ? 'cleared' : 'set') : input.changes[key]]),
      );
      host.audit('owner', 'settings.update', updated.join(','), detail);
      host.logger.info({ event: 'settings.updated', keys: updated }, `settings updated: ${updated.join(', ')}`);
      return ok({ updated, shadowed, settings: host.settings.views() });
    },

    'logs.tail': async (input) => {
      const { limit, minLevel } = input ?? { limit: 200, minLevel: 'trace' as const };
      return ok({ lines: host.log.ring.tail(limit, minLevel) });
    },
  };
}
