/** Support tickets: a customer's message to the owner, and the conversation that follows. */
import type { TicketView } from '../contract.js';
import { newId } from '../customers/customers.js';
import type { Db } from '../db/database.js';

export class Support {
  constructor(private readonly db: Db) {}

  open(customerId: string, text: string): string {
    const id = newId('tkt');
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db.prepare("INSERT INTO tickets (id, customer_id, status, created_at) VALUES (?, ?, 'open', ?)").run(id, customerId, now);
      this.db.prepare("INSERT INTO ticket_messages (ticket_id, author, text, at) VALUES (?, 'customer', ?, ?)").run(id, text, now);
    })();
    return id;
  }

  add(ticketId: string, author: 'customer' | 'owner', text: string): void {
    this.db.prepare('INSERT INTO ticket_messages (ticket_id, author, text, at) VALUES (?, ?, ?, ?)').run(ticketId, author, text, new Date().toISOString());
    if (author === 'customer') this.db.prepare("UPDATE tickets SET status = 'open', closed_at = NULL WHERE id = ?").run(ticketId);
  }

  close(ticketId: string): void {
    this.db.prepare("UPDATE tickets SET status = 'closed', closed_at = ? WHERE id = ?").run(new Date().toISOString(), ticketId);
  }

  get(ticketId: string): TicketView | undefined {
    const t = this.db
      .prepare(
        `SELECT t.id, t.customer_id AS customerId, c.name AS customerName, c.telegram_id AS telegramId, t.status, t.created_at AS createdAt, t.closed_at AS closedAt
           FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?`,
      )
      .get(ticketId) as Omit<TicketView, 'messages'> | undefined;
    if (!t) return undefined;
    const messages = this.db.prepare('SELECT author, text, at FROM ticket_messages WHERE ticket_id = ? ORDER BY id').all(ticketId) as TicketView['messages'];
    return { ...t, messages };
  }

  list(status: 'open' | 'closed' | undefined, limit: number): TicketView[] {
    const ids = this.db
      .prepare(`SELECT id FROM tickets ${status ? 'WHERE status = ?' : ''} ORDER BY created_at DESC LIMIT ?`)
      .pluck()
      .all(...(status ? [status, limit] : [limit])) as string[];
    return ids.map((id) => this.get(id)!);
  }

  openCount(): number {
    return this.db.prepare("SELECT COUNT(*) FROM tickets WHERE status = 'open'").pluck().get() as number;
  }
}
