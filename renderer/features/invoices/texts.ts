/** What the invoice screens say: status words and the exact effect of resolving by hand. Pure. */
import type { InvoiceView, OrderView, PaymentView } from '../../../services/contract';
import { formatUsd } from '../../components/format';
import { formatAssetAmount, settleFigures } from './amounts';

export type ResolveAction = 'settle' | 'invalidate';

export const STATUS_LABEL: Record<InvoiceView['status'], string> = {
  new: 'unpaid',
  processing: 'confirming',
  settled: 'settled',
  expired: 'expired',
  invalid: 'invalid',
};

export const STATUS_COLOR: Record<InvoiceView['status'], string> = {
  new: 'blue',
  processing: 'yellow',
  settled: 'teal',
  expired: 'gray',
  invalid: 'red',
};

export const FLAG_COLOR: Record<string, string> = {
  late: 'orange',
  underpaid: 'red',
  overpaid: 'grape',
  reorg: 'red',
  resolved: 'gray',
  refunded: 'grape',
};

export const FLAG_HELP: Record<string, string> = {
  late: 'A payment arrived after the invoice expired (credited to the balance once confirmed).',
  underpaid: 'The confirmed payments fall short of the amount due.',
  overpaid: 'More than the amount due was paid; the rest stays in the balance.',
  reorg: 'A credited payment vanished from the chain (reorganisation).',
  resolved: 'Resolved by the owner by hand.',
  refunded: 'The Stars were returned to the customer and the sale reversed.',
};

/** Whether the owner can still resolve it (the host refuses settled and invalid invoices). */
export function canResolve(inv: Pick<InvoiceView, 'status'>): boolean {
  return inv.status !== 'settled' && inv.status !== 'invalid';
}

function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

export interface ResolveText {
  title: string;
  /** The first line is the effect in one sentence; the others are details worth knowing. */
  lines: string[];
  confirmLabel: string;
}

/**
 * The confirmation for resolving `invoice` by hand, saying exactly what the host will do:
 *  - settle: the order is delivered (when still pending); a shortfall between the invoice's USD
 *    amount and what its confirmed payments are worth is booked as an adjustment; payments seen
 *    but not confirmed do not count;
 *  - invalidate: nothing is delivered; payments already credited stay in the balance.
 */
export function resolveText(
  action: ResolveAction,
  invoice: InvoiceView,
  payments: readonly PaymentView[],
  order: OrderView | null,
  customerName: string,
  memo: string,
): ResolveText {
  const figures = settleFigures(invoice, payments);
  const lines: string[] = [];
  const memoLine = `Memo for the audit trail: “${memo.trim()}”.`;
  if (action === 'settle') {
    const delivery =
      order && order.status !== 'pending'
        ? `the order is already ${order.status}, so nothing more is delivered`
        : `the order is delivered to ${customerName}`;
    const money =
      figures.shortfallMicro > 0n
        ? `a shortfall of ${formatUsd(figures.shortfallMicro)} is booked as an adjustment`
        : `the confirmed payments cover the full ${formatUsd(invoice.usdMicro)}`;
    lines.push(`Mark invoice ${invoice.id} as settled: ${delivery}; ${money}.`);
    lines.push(
      figures.confirmedCount === 0
        ? `No payment is confirmed: the whole ${formatUsd(invoice.usdMicro)} is the shortfall, paid by the business.`
        : `Confirmed payments are worth ${formatUsd(figures.creditedMicro)} at the locked rate of ${invoice.rate} USD per ${invoice.asset}, against ${formatUsd(invoice.usdMicro)} due.`,
    );
    if (figures.unconfirmedBase > 0n) {
      lines.push(`${formatAssetAmount(figures.unconfirmedBase.toString(), invoice.decimals, invoice.asset)} seen on the chain but not confirmed is not counted.`);
    }
    lines.push(memoLine);
    return { title: `Settle invoice ${invoice.id}?`, lines, confirmLabel: 'Settle invoice' };
  }
  lines.push(`Mark invoice ${invoice.id} as invalid: the order is not delivered and the invoice stops waiting for payment.`);
  if (figures.creditedMicro > 0n) {
    lines.push(`Payments already credited (${formatUsd(figures.creditedMicro)}) stay in ${possessive(customerName)} balance.`);
  }
  lines.push(memoLine);
  return { title: `Mark invoice ${invoice.id} invalid?`, lines, confirmLabel: 'Mark invalid' };
}

// ---------------------------------------------------------------------------------------------
// Stars refunds

/** Why a Stars refund is not possible for this invoice, in words; null when it is. */
export function refundRefusal(inv: Pick<InvoiceView, 'method' | 'status' | 'flags'>): string | null {
  if (inv.method !== 'stars') return 'Only Telegram Stars payments can be refunded from here; crypto payments are returned from your own wallet.';
  if (inv.flags.includes('refunded')) return 'Already refunded: Telegram returns a Stars payment only once.';
  if (inv.status !== 'settled') return `Nothing to refund: the invoice is ${STATUS_LABEL[inv.status]}, so no Stars were received.`;
  return null;
}

/** "1,250 Stars" from the invoice's amount (Stars have no decimals). */
export function starsAmount(inv: Pick<InvoiceView, 'amountBase'>): string {
  const n = /^\d+$/.test(inv.amountBase) ? inv.amountBase.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : inv.amountBase;
  return `${n} Star${inv.amountBase === '1' ? '' : 's'}`;
}

/**
 * The confirmation for `invoices.refundStars`, saying exactly what the host does: Telegram
 * returns the Stars (refundStarPayment), then the ledger reverses the package sale (its revenue,
 * and the tokens left of its allowance) and takes the payment credit back out of the balance —
 * at most what is there, so tokens or credit already used stay used.
 */
export function refundText(
  invoice: InvoiceView,
  order: OrderView,
  payments: readonly PaymentView[],
  customer: { name: string; telegramId: number | null; availableMicro: number },
  memo: string,
): ResolveText & { danger: true } {
  const stars = starsAmount(invoice);
  const who = customer.telegramId === null ? customer.name : `${customer.name} (Telegram ${customer.telegramId})`;
  const credited = settleFigures(invoice, payments).creditedMicro;
  const sale = order.kind === 'package' && order.status === 'delivered' ? BigInt(order.usdMicro) : 0n;
  const before = BigInt(customer.availableMicro);
  const withSale = before + sale;
  const after = withSale - (credited < withSale ? credited : withSale);
  const lines = [`Return ${stars} to ${who} through Telegram, for invoice ${invoice.id}.`];
  if (sale > 0n) {
    lines.push(`The package sale of ${formatUsd(sale)} is reversed: package revenue goes down by ${formatUsd(sale)}, and the tokens left of the allowance it granted are removed (tokens already used stay used).`);
  } else if (order.kind === 'topup') {
    lines.push(`The top-up is taken back out of ${possessive(customer.name)} balance — at most what is left there.`);
  }
  lines.push(`The ${formatUsd(credited)} the Stars were credited with goes back out of the balance. Available balance: ${formatUsd(before)} → ${formatUsd(after)}.`);
  lines.push(`Telegram refunds a payment once; this cannot be undone. Memo for the audit trail: “${memo.trim()}”.`);
  return { title: `Refund ${stars} to ${customer.name}?`, lines, confirmLabel: `Refund ${stars}`, danger: true };
}
