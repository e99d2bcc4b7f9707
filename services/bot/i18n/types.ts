/** Shapes the catalogs format (prepared by the handlers, so catalogs stay pure text). */

/** An invoice as the customer reads it: amounts already in whole units of the asset. */
export interface InvoiceInfo {
  id: string;
  status: 'new' | 'processing' | 'settled' | 'expired' | 'invalid';
  asset: string;
  due: string;
  paid: string;
  confirmations: number;
  /** Confirmations the owner requires, when known. */
  required: number | null;
  flags: string[];
  expiresAt: string;
}

export interface TicketNotice {
  ticketId: string;
  name: string;
  telegramId: number;
  username: string | null;
  text: string;
}
