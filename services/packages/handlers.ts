/** Contract handlers for packages: import the seeds' bulk JSON, list, retire. */
import { fail, ok, type CommandOutput, type ParsedInput, type Result } from '../contract.js';
import type { Logger } from '../log/logger.js';
import { validatePackages } from '../pricing/package-spec.js';
import type { PackageStore, PricingContext } from './package-store.js';

type Names = 'packages.import' | 'packages.list' | 'packages.retire';
type Handlers = { [M in Names]: (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>> };

export function packageHandlers(d: {
  packages: PackageStore;
  pricing: () => PricingContext;
  logger: Logger;
  audit: (action: string, subject: string, detail: Record<string, unknown>) => void;
}): Handlers {
  return {
    'packages.import': async (input) => {
      const checked = validatePackages(input.packages);
      if (!checked.ok) {
        const shown = checked.errors.slice(0, 20).join('; ');
        const more = checked.errors.length > 20 ? ` (and ${checked.errors.length - 20} more)` : '';
        return fail('invalid_input', `nothing imported: ${shown}${more}`);
      }
      const imported = d.packages.import(checked.packages, d.pricing());
      d.audit('packages.import', `${imported.length} packages`, { ids: imported.map((p) => p.id) });
      d.logger.info({ event: 'packages.imported', count: imported.length, unpriced: imported.filter((p) => !p.forSale).length }, `imported ${imported.length} packages`);
      return ok({ imported });
    },
    'packages.list': async (input) => ok({ packages: d.packages.list(input?.includeRetired ?? false) }),
    'packages.retire': async (input) => {
      const pkg = d.packages.retire(input.packageId);
      if (!pkg) return fail('not_found', `no package ${input.packageId}; \`arbdesk packages list\` shows them`);
      d.audit('packages.retire', pkg.id, {});
      return ok({ package: pkg });
    },
  };
}
