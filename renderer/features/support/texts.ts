/** What the support inbox says. Pure. */
import type { TicketView } from '../../../services/contract';

/** After `support.reply`: whether the customer got it, and if not, the likely reason. */
export function deliveryText(delivered: boolean, ticket: Pick<TicketView, 'telegramId' | 'customerName'>, reason?: string): string {
  if (delivered) return `Delivered to ${ticket.customerName}’s Telegram.`;
  if (reason) return `Saved in the ticket, but not delivered: ${reason}.`;
  if (ticket.telegramId === null) return `Saved in the ticket, but not delivered: ${ticket.customerName} has no Telegram id.`;
  return 'Saved in the ticket, but not delivered to Telegram: the shop bot is not running, or the chat refused the message (for example, the customer blocked the bot). Check the bot on the Status screen.';
}

/** The first line of the last message, for the inbox list. */
export function preview(ticket: TicketView, max = 90): string {
  const last = ticket.messages[ticket.messages.length - 1];
  if (!last) return 'No messages';
  const line = last.text.replace(/\s+/g, ' ').trim();
  const text = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  return last.author === 'owner' ? `You: ${text}` : text;
}
