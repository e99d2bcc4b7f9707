/** Numbers, money and dates as the customer reads them. No floats touch money. */
import type { InvoiceView } from '../contract.js';
import { formatMicro } from '../money/units.js';
import type { InvoiceInfo } from './i18n/types.js';

export function usd(micro: number): string {
  return `$${formatMicro(micro)}`;
}

export function count(n: number, locale: string): string {
  return new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-US').format(n);
}

/** "2026-11-21T09:40:00.000Z" → "2026-11-21 09:40 UTC". */
export function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Base units as a decimal string: ("123450000", 8) → "1.2345". Exact (bigint). */
export function fromBase(amountBase: string, decimals: number): string {
  if (!/^\d+$/.test(amountBase)) return amountBase;
  const v = BigInt(amountBase);
  if (decimals <= 0) return v.toString();
  const scale = 10n ** BigInt(decimals);
  const whole = v / scale;
  const frac = (v % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole.toString();
}

/** Whole cents → the decimal USD string ShopPort.order takes ("12.50"). */
export function centsToUsd(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** "12", "12.5", "$12.50", "12,50" → cents, or null. */
export function parseUsdCents(text: string): number | null {
  const m = /^\$?\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*\$?$/.exec(text.trim());
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0');
  return cents > 0 ? cents : null;
}

/** Cuts text to `max` characters without splitting a surrogate pair. */
export function cut(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return { text: text.slice(0, end), cut: true };
}

/** An invoice in the customer's units. `requiredConfirmations` is used when the view has it. */
export function invoiceInfo(inv: InvoiceView & { requiredConfirmations?: number }): InvoiceInfo {
  return {
    id: inv.id,
    status: inv.status,
    asset: inv.method === 'stars' ? '⭐' : inv.asset,
    due: fromBase(inv.amountBase, inv.decimals),
    paid: fromBase(inv.paidBase, inv.decimals),
    confirmations: inv.confirmations,
    required: typeof inv.requiredConfirmations === 'number' ? inv.requiredConfirmations : null,
    flags: inv.flags,
    expiresAt: inv.expiresAt,
  };
}

/** How a Telegram user is called: first and last name, else @username, else the id. */
export function displayName(user: { id: number; first_name?: string; last_name?: string; username?: string }): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return (name || (user.username ? `@${user.username}` : `user ${user.id}`)).slice(0, 64);
}
