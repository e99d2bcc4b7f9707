/** Contract handlers for customer keys: issue (shown once), list, revoke, rotate. */
import { fail, ok, type CommandOutput, type ParsedInput, type Result } from '../contract.js';
import type { Customers } from '../customers/customers.js';
import type { Logger } from '../log/logger.js';
import { CATALOG_HINT, unknownModelProblem } from '../pricing/model-ids.js';
import type { KeyStore } from './key-store.js';
import { toKeyView } from './views.js';

export interface KeyHandlerDeps {
  keys: KeyStore;
  customers: Customers;
  logger: Logger;
  audit: (action: string, subject: string, detail: Record<string, unknown>) => void;
  /** The model ids the upstream catalog knows, or null when no catalog was ever loaded (nothing to check against). */
  knownModels: () => ReadonlySet<string> | null;
}

type H<M extends 'keys.issue' | 'keys.list' | 'keys.revoke' | 'keys.rotate'> = (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>>;

export function keyHandlers(d: KeyHandlerDeps): { 'keys.issue': H<'keys.issue'>; 'keys.list': H<'keys.list'>; 'keys.revoke': H<'keys.revoke'>; 'keys.rotate': H<'keys.rotate'> } {
  return {
    'keys.issue': async (input) => {
      d.customers.require(input.customerId);
      // A typo would issue a key that is refused for the model the customer was sold.
      const known = input.models?.length ? d.knownModels() : null;
      const problems = (input.models ?? []).map((m) => unknownModelProblem(m, known)).filter((p) => p !== null);
      if (problems.length) return fail('invalid_input', `no key issued: ${problems.join('; ')}; ${CATALOG_HINT}`);
      const expiresAt = input.expiresDays ? new Date(Date.now() + input.expiresDays * 86_400_000).toISOString() : null;
      const { key, record } = d.keys.issue(input.customerId, {
        allowedModels: input.models?.length ? input.models : null,
        rpm: input.rpm ?? null,
        tpm: input.tpm ?? null,
        maxConcurrent: input.maxConcurrent ?? null,
        expiresAt,
        label: input.label ?? '',
      });
      d.audit('keys.issue', record.id, { customerId: input.customerId, hint: record.hint });
      d.logger.info({ event: 'key.issued', keyId: record.id, customerId: input.customerId }, `key ${record.hint} issued`);
      return ok({ key, record: toKeyView(record), modelsChecked: known !== null });
    },
    'keys.list': async (input) => {
      if (input?.customerId) d.customers.require(input.customerId); // a mistyped id is not "no keys"
      return ok({ keys: d.keys.list(input?.customerId).map(toKeyView) });
    },
    'keys.revoke': async (input) => {
      const before = d.keys.require(input.keyId);
      if (before.revokedAt) return ok({ record: toKeyView(before), alreadyRevoked: true });
      const record = d.keys.revoke(input.keyId);
      d.audit('keys.revoke', record.id, { customerId: record.customerId });
      d.logger.info({ event: 'key.revoked', keyId: record.id, customerId: record.customerId }, `key ${record.hint} revoked`);
      return ok({ record: toKeyView(record), alreadyRevoked: false });
    },
    'keys.rotate': async (input) => {
      const { key, record } = d.keys.rotate(input.keyId);
      d.audit('keys.rotate', input.keyId, { customerId: record.customerId, newKeyId: record.id });
      d.logger.info({ event: 'key.rotated', keyId: input.keyId, newKeyId: record.id, customerId: record.customerId }, `key rotated`);
      return ok({ key, record: toKeyView(record), replaced: toKeyView(d.keys.require(input.keyId)) });
    },
  };
}
