/**
 * Contract handlers for customers and their money: add, list, profile, credit (money received
 * outside the app) and adjust (corrections with a memo, in the audit trail).
 */
import { fail, ok, type CommandOutput, type CustomerView, type ParsedInput, type Result } from '../contract.js';
import type { Allowances } from '../allowances/allowances.js';
import type { InvoiceView } from '../contract.js';
import type { KeyStore } from '../keys/key-store.js';
import { keyStatus, toKeyView } from '../keys/views.js';
import { Accounts } from '../ledger/accounts.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Logger } from '../log/logger.js';
import { formatUsd, usdToMicro } from '../money/units.js';
import { CATALOG_HINT, unknownModelProblem } from '../pricing/model-ids.js';
import type { UsageQueries } from '../usage/usage-queries.js';
import { CustomerError, type Customer, type Customers } from './customers.js';

export interface CustomerHandlerDeps {
  customers: Customers;
  ledger: Ledger;
  keys: KeyStore;
  usage: UsageQueries;
  allowances: Allowances;
  /** The customer's invoices, newest first. */
  invoicesOf: (customerId: string) => InvoiceView[];
  /** The latest request or ledger transaction of every customer who has one (ISO time by id). */
  lastActivity?: () => Map<string, string>;
  logger: Logger;
  audit: (action: string, subject: string, detail: Record<string, unknown>) => void;
  /** The upstream catalog's model ids, or null before any catalog was loaded (a grant's model is then not checked). */
  knownModels?: () => ReadonlySet<string> | null;
}

type Names = 'customers.add' | 'customers.list' | 'customers.get' | 'customers.credit' | 'customers.adjust' | 'allowances.grant';
type Handlers = { [M in Names]: (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>> };

export function customerView(d: Pick<CustomerHandlerDeps, 'ledger' | 'keys'>, c: Customer): CustomerView {
  const balance = d.ledger.customerBalance(c.id);
  const activeKeys = d.keys.list(c.id).filter((k) => keyStatus(k) === 'active').length;
  return { ...c, ...balance, activeKeys };
}

export function customerHandlers(d: CustomerHandlerDeps): Handlers {
  return {
    'customers.add': async (input) => {
      const c = d.customers.add({ name: input.name, telegramId: input.telegramId ?? null });
      d.audit('customers.add', c.id, { name: c.name, telegramId: c.telegramId });
      return ok(customerView(d, c));
    },
    'customers.list': async () => {
      const last = d.lastActivity?.() ?? new Map<string, string>();
      return ok({
        customers: d.customers.list().map((c) => {
          const at = last.get(c.id);
          return { ...customerView(d, c), lastActivityAt: at && at > c.createdAt ? at : c.createdAt };
        }),
      });
    },
    'customers.get': async (input) => {
      const c = d.customers.require(input.customerId);
      return ok({
        customer: customerView(d, c),
        keys: d.keys.list(c.id).map(toKeyView),
        allowances: d.allowances.list(c.id),
        usage: d.usage.byModel(c.id),
        recent: d.usage.recent(c.id, 20),
        ledger: d.ledger.history(c.id, 50).map(({ availableChange, customerId: _c, ...t }) => ({ ...t, availableChangeMicro: availableChange })),
        invoices: d.invoicesOf(c.id),
      });
    },
    'customers.credit': async (input) => {
      const c = d.customers.require(input.customerId);
      const amount = usdToMicro(input.usd);
      const posted = d.ledger.post({
        kind: 'credit',
        customerId: c.id,
        memo: input.memo,
        actor: 'owner',
        ...(input.idemKey ? { idemKey: `manual:${input.idemKey}` } : {}),
        entries: [
          { account: Accounts.receipts('manual'), amount },
          { account: Accounts.available(c.id), amount: -amount },
        ],
      });
      if (!posted.duplicate) {
        d.audit('customers.credit', c.id, { usd: input.usd, memo: input.memo, txId: posted.txId });
        d.logger.info({ event: 'ledger.credit', customerId: c.id, amountMicro: amount, txId: posted.txId }, `credited ${input.usd} USD to ${c.name}`);
      }
      return ok({ txId: posted.txId, duplicate: posted.duplicate, customer: customerView(d, c) });
    },
    'allowances.grant': async (input) => {
      const c = d.customers.require(input.customerId);
      // An allowance for a model id the upstream does not know could never be spent.
      const unknown = unknownModelProblem(input.model, d.knownModels?.() ?? null);
      if (unknown) return fail('invalid_input', `nothing granted: ${unknown}; ${CATALOG_HINT}`);
      const { lotId } = d.allowances.grant({ customerId: c.id, model: input.model, tokens: input.tokens, validityDays: input.validityDays, source: 'owner', memo: input.memo, actor: 'owner' });
      d.audit('allowances.grant', c.id, { model: input.model, tokens: input.tokens, validityDays: input.validityDays, memo: input.memo, lotId });
      d.logger.info({ event: 'allowance.granted', customerId: c.id, model: input.model, tokens: input.tokens, lotId }, `granted ${input.tokens} tokens of ${input.model} to ${c.name}`);
      return ok({ lotId, allowances: d.allowances.list(c.id) });
    },
    'customers.adjust': async (input) => {
      const c = d.customers.require(input.customerId);
      const negative = input.usd.startsWith('-');
      const amount = usdToMicro(negative ? input.usd.slice(1) : input.usd) * (negative ? -1 : 1);
      const balance = d.ledger.customerBalance(c.id);
      if (balance.availableMicro + amount < 0) {
        throw new CustomerError(`this adjustment would take ${c.name}'s balance below zero (available ${formatUsd(balance.availableMicro)})`, 'conflict');
      }
      const posted = d.ledger.post({
        kind: 'adjustment',
        customerId: c.id,
        memo: input.memo,
        actor: 'owner',
        entries: [
          { account: Accounts.adjustments, amount },
          { account: Accounts.available(c.id), amount: -amount },
        ],
      });
      d.audit('customers.adjust', c.id, { usd: input.usd, memo: input.memo, txId: posted.txId });
      d.logger.info({ event: 'ledger.adjustment', customerId: c.id, amountMicro: amount, txId: posted.txId, memo: input.memo }, `adjusted ${c.name} by ${input.usd} USD`);
      return ok({ txId: posted.txId, customer: customerView(d, c) });
    },
  };
}
