/** Contract handlers for packages: import the seeds' bulk JSON, create and edit one, list, retire. */
import { fail, ok, type CommandOutput, type NotForSaleView, type PackageView, type ParsedInput, type Result } from '../contract.js';
import type { Logger } from '../log/logger.js';
import { CATALOG_HINT, unknownModelProblem } from '../pricing/model-ids.js';
import { validatePackages, type PackageSpec } from '../pricing/package-spec.js';
import type { PackageStore, PricingContext } from './package-store.js';

type Names = 'packages.import' | 'packages.list' | 'packages.retire' | 'packages.create' | 'packages.update';
type Handlers = { [M in Names]: (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>> };

/**
 * One package from the form, checked exactly like an item of the bulk file (every problem
 * listed), its model against the upstream catalog when one is loaded (`known`).
 */
export function checkOnePackage(item: unknown, known: ReadonlySet<string> | null = null): { ok: true; spec: PackageSpec } | { ok: false; message: string } {
  const checked = validatePackages([item]);
  if (!checked.ok) return { ok: false, message: checked.errors.map((e) => e.replace(/^item 1: /, '')).join('; ') };
  const spec = checked.packages[0]!;
  const unknown = spec.kind === 'tokens' ? unknownModelProblem(spec.model, known) : null;
  return unknown ? { ok: false, message: `${unknown}; ${CATALOG_HINT}` } : { ok: true, spec };
}

/** Why each live package without a price has none: no catalog yet, a model the catalog lacks, or no upstream price. */
export function whyNotForSale(packages: readonly PackageView[], known: ReadonlySet<string> | null): NotForSaleView[] {
  return packages
    .filter((p) => p.priceMicro === null && p.retiredAt === null && p.kind === 'tokens' && p.model !== null)
    .map((p) => {
      const model = p.model!;
      if (known === null) return { packageId: p.id, why: 'no upstream model catalog is loaded yet (is the upstream connected? see `arbdesk doctor`)' };
      const unknown = unknownModelProblem(model, known);
      if (unknown) return { packageId: p.id, why: `${unknown}; retire it and import it again with a catalog model id (${CATALOG_HINT})` };
      return { packageId: p.id, why: `the upstream publishes no usable price for ${model}` };
    });
}

/** Items whose model the upstream catalog does not know (by item number), when a catalog is loaded. */
function catalogProblems(specs: PackageSpec[], known: ReadonlySet<string> | null): string[] {
  return specs.flatMap((spec, i) => {
    const problem = spec.kind === 'tokens' ? unknownModelProblem(spec.model, known) : null;
    return problem ? [`item ${i + 1}: ${problem}`] : [];
  });
}

export interface PackageImportDeps {
  packages: PackageStore;
  pricing: () => PricingContext;
  /** The upstream catalog's model ids, or null before any catalog was loaded. */
  knownModels: () => ReadonlySet<string> | null;
  audit: (action: string, subject: string, detail: Record<string, unknown>) => void;
}

export type PackageImport = { ok: true; imported: PackageView[]; alreadyForSale: PackageView[] } | { ok: false; errors: string[]; catalogErrors: boolean };

/**
 * The seeds' bulk items, as the CLI, the Packages screen and the bot import them: all checked
 * (shape, then models against the catalog), then the ones not already for sale added and audited.
 */
export function importPackageItems(d: PackageImportDeps, items: unknown, audit: Record<string, unknown> = {}): PackageImport {
  const checked = validatePackages(items);
  if (!checked.ok) return { ok: false, errors: checked.errors, catalogErrors: false };
  const unknown = catalogProblems(checked.packages, d.knownModels());
  if (unknown.length) return { ok: false, errors: unknown, catalogErrors: true };
  const { imported, alreadyForSale } = d.packages.importNew(checked.packages, d.pricing());
  if (imported.length) d.audit('packages.import', `${imported.length} packages`, { ids: imported.map((p) => p.id), ...audit });
  return { ok: true, imported, alreadyForSale };
}

export function packageHandlers(d: PackageImportDeps & { logger: Logger }): Handlers {
  return {
    'packages.import': async (input) => {
      const result = importPackageItems(d, input.packages);
      if (!result.ok) {
        const { errors } = result;
        const shown = errors.slice(0, 20).join('; ');
        const more = errors.length > 20 ? ` (and ${errors.length - 20} more)` : '';
        return fail('invalid_input', `nothing imported: ${shown}${more}${result.catalogErrors ? `; ${CATALOG_HINT}` : ''}`);
      }
      const { imported, alreadyForSale } = result;
      d.logger.info(
        { event: 'packages.imported', count: imported.length, unpriced: imported.filter((p) => !p.forSale).length, alreadyForSale: alreadyForSale.length },
        `imported ${imported.length} packages`,
      );
      const known = d.knownModels();
      return ok({ imported, alreadyForSale, modelsChecked: known !== null, notForSale: whyNotForSale(imported, known) });
    },
    'packages.list': async (input) => {
      const packages = d.packages.list(input?.includeRetired ?? false);
      return ok({ packages, notForSale: whyNotForSale(packages, d.knownModels()) });
    },
    'packages.retire': async (input) => {
      const before = d.packages.get(input.packageId);
      if (before?.retiredAt) return ok({ package: before, alreadyRetired: true });
      const pkg = d.packages.retire(input.packageId);
      if (!pkg) return fail('not_found', `no package ${input.packageId}; \`arbdesk packages list\` shows them`);
      d.audit('packages.retire', pkg.id, {});
      return ok({ package: pkg, alreadyRetired: false });
    },
    'packages.create': async (input) => {
      const checked = checkOnePackage(input.package, d.knownModels());
      if (!checked.ok) return fail('invalid_input', `package not saved: ${checked.message}`);
      const pkg = d.packages.create(checked.spec, d.pricing());
      d.audit('packages.create', pkg.id, { spec: checked.spec });
      d.logger.info({ event: 'packages.created', packageId: pkg.id, priceMicro: pkg.priceMicro }, `package ${pkg.id} created`);
      return ok({ package: pkg });
    },
    'packages.update': async (input) => {
      const checked = checkOnePackage(input.package, d.knownModels());
      if (!checked.ok) return fail('invalid_input', `package not saved: ${checked.message}`);
      const before = d.packages.get(input.packageId);
      if (!before) return fail('not_found', `no package ${input.packageId}`);
      if (before.retiredAt !== null) return fail('conflict', `package ${input.packageId} is retired; create a new one instead`);
      const open = d.packages.openOrders(input.packageId);
      if (open > 0) {
        return fail('conflict', `package ${input.packageId} has ${open} order${open === 1 ? '' : 's'} waiting for payment, which must get what they were offered; retire it and create a new package instead`);
      }
      const pkg = d.packages.update(input.packageId, checked.spec, d.pricing())!;
      d.audit('packages.update', pkg.id, { before: before.spec, after: checked.spec });
      d.logger.info(
        { event: 'packages.updated', packageId: pkg.id, beforeMicro: before.priceMicro, afterMicro: pkg.priceMicro },
        `package ${pkg.id} updated`,
      );
      return ok({ package: pkg });
    },
  };
}
