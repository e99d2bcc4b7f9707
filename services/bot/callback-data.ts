/**
 * Inline-button payloads. Telegram gives callback_data back verbatim, but anyone can send any
 * callback_data (it is at most 64 bytes of client-chosen text), so every payload is parsed
 * against this schema and carries only identifiers and choices — never a price. Handlers look
 * the thing up again (package, invoice, key) and check it belongs to the person pressing.
 *
 * Format: `v1|<action>|<arg>|…` — versioned so buttons in old messages fail cleanly when the
 * format changes.
 */
import { z } from 'zod';

export const CALLBACK_VERSION = 'v1';
const MAX_BYTES = 64;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const method = z.string().regex(/^(stars|btc|eth|erc20:[A-Za-z0-9]{1,12})$/);
const page = z.string().regex(/^(0|[1-9]\d{0,2})$/).transform(Number);
/** Top-up amounts travel as whole cents: the customer's own choice, not a price. */
const cents = z.string().regex(/^[1-9]\d{0,7}$/).transform(Number);

export const callbackSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('lang'), language: z.enum(['en', 'ru']) }),
  z.object({ action: z.literal('terms') }),
  z.object({ action: z.literal('menu'), item: z.enum(['catalog', 'balance', 'usage', 'keys', 'topup', 'support', 'language', 'help']) }),
  z.object({ action: z.literal('cat'), page }),
  z.object({ action: z.literal('pkg'), packageId: id }),
  z.object({ action: z.literal('buy'), packageId: id }),
  z.object({ action: z.literal('top'), cents }),
  z.object({ action: z.literal('topc') }),
  z.object({ action: z.literal('payp'), packageId: id, method }),
  z.object({ action: z.literal('payt'), cents, method }),
  z.object({ action: z.literal('chk'), invoiceId: id }),
  z.object({ action: z.literal('key'), op: z.enum(['rot', 'rev', 'revok', 'keep']), keyId: id }),
  z.object({ action: z.literal('tkt'), ticketId: id }),
  z.object({ action: z.literal('ann'), op: z.enum(['go', 'no']), draftId: id }),
]);

export type CallbackData = z.infer<typeof callbackSchema>;

/** Argument order per action (the wire format is positional to stay under 64 bytes). */
const FIELDS: { [A in CallbackData['action']]: (keyof Extract<CallbackData, { action: A }>)[] } = {
  lang: ['language'],
  terms: [],
  menu: ['item'],
  cat: ['page'],
  pkg: ['packageId'],
  buy: ['packageId'],
  top: ['cents'],
  topc: [],
  payp: ['packageId', 'method'],
  payt: ['cents', 'method'],
  chk: ['invoiceId'],
  key: ['op', 'keyId'],
  tkt: ['ticketId'],
  ann: ['op', 'draftId'],
};

export function encodeCallback(data: CallbackData): string {
  const fields = FIELDS[data.action] as string[];
  const record = data as unknown as Record<string, unknown>;
  const text = [CALLBACK_VERSION, data.action, ...fields.map((f) => String(record[f]))].join('|');
  if (Buffer.byteLength(text, 'utf8') > MAX_BYTES) throw new Error(`callback data over ${MAX_BYTES} bytes: ${data.action}`);
  return text;
}

/** The payload, or null for anything forged, stale (other version) or malformed. */
export function parseCallback(raw: unknown): CallbackData | null {
  if (typeof raw !== 'string' || raw.length === 0 || Buffer.byteLength(raw, 'utf8') > MAX_BYTES) return null;
  const [version, action, ...args] = raw.split('|');
  if (version !== CALLBACK_VERSION || !action || !(action in FIELDS)) return null;
  const fields = FIELDS[action as CallbackData['action']] as string[];
  if (args.length !== fields.length) return null;
  const candidate: Record<string, unknown> = { action };
  fields.forEach((f, i) => (candidate[f] = args[i]));
  const parsed = callbackSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}
