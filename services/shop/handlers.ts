/** Contract handlers for the support inbox: list, reply (reaches the customer's chat), close. */
import { fail, ok, type CommandOutput, type ParsedInput, type Result, type TicketView } from '../contract.js';
import type { Support } from './support.js';

type Names = 'support.list' | 'support.reply' | 'support.close';
type Handlers = { [M in Names]: (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>> };

export function supportHandlers(d: {
  support: Support;
  /** Delivers the reply through the bot; a reason when it could not. */
  sendReply: (ticket: TicketView, text: string) => Promise<{ delivered: true } | { delivered: false; reason: string }>;
  onChanged: (ticket: TicketView) => void;
  audit: (action: string, subject: string, detail: Record<string, unknown>) => void;
}): Handlers {
  return {
    'support.list': async (input) => ok({ tickets: d.support.list(input?.status, input?.limit ?? 100) }),
    'support.reply': async (input) => {
      const before = d.support.get(input.ticketId);
      if (!before) return fail('not_found', `no ticket ${input.ticketId}`);
      const sent = await d.sendReply(before, input.text);
      d.support.add(input.ticketId, 'owner', input.text);
      d.audit('support.reply', input.ticketId, { delivered: sent.delivered });
      const ticket = d.support.get(input.ticketId)!;
      d.onChanged(ticket);
      return ok({ ticket, ...sent });
    },
    'support.close': async (input) => {
      if (!d.support.get(input.ticketId)) return fail('not_found', `no ticket ${input.ticketId}`);
      d.support.close(input.ticketId);
      const ticket = d.support.get(input.ticketId)!;
      d.onChanged(ticket);
      return ok({ ticket });
    },
  };
}
