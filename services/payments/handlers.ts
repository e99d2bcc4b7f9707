/** Contract handlers for invoices: list, detail, and the owner's manual resolution. */
import { fail, ok, type CommandOutput, type InvoiceView, type ParsedInput, type Result } from '../contract.js';
import type { InvoiceEngine } from './invoice-engine.js';
import { toInvoiceView, toOrderView, toPaymentView, type InvoiceStore } from './invoice-store.js';

type Names = 'invoices.list' | 'invoices.get' | 'invoices.resolve' | 'invoices.refundStars';
type Handlers = { [M in Names]: (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>> };

export function invoiceHandlers(d: {
  store: InvoiceStore;
  engine: InvoiceEngine;
  decorate: (view: InvoiceView) => InvoiceView;
  refundStars: (invoiceId: string, memo: string) => Promise<InvoiceView>;
  audit: (action: string, subject: string, detail: Record<string, unknown>) => void;
}): Handlers {
  return {
    'invoices.list': async (input) =>
      ok({ invoices: d.store.list({ ...(input?.status ? { status: input.status } : {}), ...(input?.customerId ? { customerId: input.customerId } : {}), limit: input?.limit ?? 100 }).map((r) => d.decorate(toInvoiceView(r))) }),
    'invoices.get': async (input) => {
      const inv = d.store.invoice(input.invoiceId);
      if (!inv) return fail('not_found', `no invoice ${input.invoiceId}`);
      return ok({ invoice: d.decorate(toInvoiceView(inv)), payments: d.store.payments(inv.id).map(toPaymentView), order: toOrderView(d.store.order(inv.order_id)!) });
    },
    'invoices.resolve': async (input) => {
      const invoice = d.engine.resolve(input.invoiceId, input.action, input.memo);
      d.audit('invoices.resolve', input.invoiceId, { action: input.action, memo: input.memo });
      return ok({ invoice: d.decorate(invoice) });
    },
    'invoices.refundStars': async (input) => {
      const invoice = await d.refundStars(input.invoiceId, input.memo);
      d.audit('invoices.refundStars', input.invoiceId, { memo: input.memo });
      return ok({ invoice });
    },
  };
}
