/**
 * Everything the Telegram storefront asks of the rest of ArbDesk, as one interface the
 * composition root fills in (services/shop/shop.ts). The bot holds no business state of its own:
 * it turns updates into calls on this port and results into messages.
 *
 * Money crosses as integer µUSD (and base units as decimal strings); keys appear in plain text
 * only in the results that create them (delivered once to the customer's chat).
 */
import type { AllowanceView, InvoiceView, KeyView, ModelUsage, PackageView, RequestView } from '../contract.js';

export type Language = 'en' | 'ru';

export interface ShopCustomer {
  id: string;
  telegramId: number;
  name: string;
  language: Language;
  termsAcceptedAt: string | null;
}

export interface PaymentOption {
  /** stars | btc | eth | erc20:<SYMBOL> */
  method: string;
  /** Button text, e.g. "⭐ Telegram Stars", "₿ Bitcoin", "USDT (ERC-20)". */
  label: string;
}

export interface CryptoInvoiceDisplay {
  invoice: InvoiceView;
  /** Amount to send, as a decimal in the asset's units ("0.00012345"), and the asset symbol. */
  amount: string;
  asset: string;
  address: string;
  /** BIP-21 / EIP-681 URI. */
  uri: string;
  /** QR code of the URI, PNG. */
  qrPng: Buffer;
  /** Network name shown to the customer ("Bitcoin", "Ethereum (chain 1)"). */
  network: string;
}

export interface StarsInvoiceDisplay {
  invoice: InvoiceView;
  title: string;
  description: string;
  /** The invoice id: Telegram echoes it in pre_checkout_query and successful_payment. */
  payload: string;
  stars: number;
}

export interface Ticket {
  id: string;
  customerId: string;
  telegramId: number;
  status: 'open' | 'closed';
  createdAt: string;
}

/** What an order delivered, for the customer's message in their language. */
export type DeliveredItem =
  | { kind: 'tokens'; tokens: number; model: string; validityDays: number | null }
  | { kind: 'credit'; usdMicro: number };

export class ShopError extends Error {
  /** A message safe to show the customer, in their language when the caller translated it. */
  constructor(
    message: string,
    readonly code: 'not_found' | 'not_allowed' | 'unavailable' | 'invalid',
  ) {
    super(message);
  }
}

export interface ShopPort {
  // --- customers -----------------------------------------------------------------------------
  /** Registers on first contact (idempotent by Telegram id). */
  register(telegramId: number, name: string, language: Language): { customer: ShopCustomer; isNew: boolean };
  customer(telegramId: number): ShopCustomer | undefined;
  acceptTerms(telegramId: number): ShopCustomer;
  setLanguage(telegramId: number, language: Language): ShopCustomer;
  termsText(language: Language): string;

  // --- catalog ---------------------------------------------------------------------------------
  /** Packages for sale now, with live prices. */
  packages(): PackageView[];
  package(id: string): PackageView | undefined;
  /** The proxy's public base URL for quick-starts (proxy.publicUrl, else the local one). */
  proxyBaseUrl(): string;

  // --- the customer's account -----------------------------------------------------------------
  balance(customerId: string): { availableMicro: number; heldMicro: number; allowances: AllowanceView[] };
  usage(customerId: string): { recent: RequestView[]; byModel: ModelUsage[] };
  keys(customerId: string): KeyView[];
  /** The customer's own key only (ShopError not_allowed otherwise). */
  rotateKey(customerId: string, keyId: string): { key: string; record: KeyView };
  revokeKey(customerId: string, keyId: string): KeyView;

  // --- buying ---------------------------------------------------------------------------------
  paymentOptions(): PaymentOption[];
  /** An order for a package, or a USD top-up (whole dollars or cents as a decimal string). */
  order(customerId: string, what: { packageId: string } | { topupUsd: string }): { orderId: string; usdMicro: number };
  cryptoInvoice(orderId: string, method: string): Promise<CryptoInvoiceDisplay>;
  starsInvoice(orderId: string): StarsInvoiceDisplay;
  invoice(invoiceId: string): InvoiceView | undefined;
  /** Re-checks a Stars order before Telegram charges: undefined = go ahead, else the refusal shown to the payer. */
  preCheckout(payload: string, currency: string, totalAmount: number, telegramId: number): string | undefined;
  /** A successful Stars payment (idempotent by charge id). */
  starsPaid(payload: string, telegramPaymentChargeId: string, totalAmount: number, telegramId: number): void;

  // --- support ---------------------------------------------------------------------------------
  openTicket(telegramId: number, text: string): Ticket;
  /** The owner's reply (from Telegram or the desktop) is delivered to the customer by the bot. */
  ticketForReply(ticketId: string): Ticket | undefined;
  /** Keeps an owner's reply sent from Telegram in the ticket (the desktop inbox shows it). */
  ticketOwnerReply(ticketId: string, text: string): void;

  // --- the owner in Telegram -------------------------------------------------------------------
  isOwner(telegramId: number): boolean;
  /** Plain-text summaries for /stats, /token_stats, /report. */
  statsText(): string;
  tokenStatsText(): string;
  reportText(): string;
  /** /create_package <model> <tokens> "<description>" */
  createPackage(model: string, tokens: number, description: string): PackageView;
  /** A JSON document in the seeds' bulk format. */
  importPackages(json: string): { imported: PackageView[]; alreadyForSale: PackageView[] } | { errors: string[] };
  /** Customers to announce to (Telegram ids of everyone who registered and did not block the bot). */
  announcementRecipients(): number[];
  /** Telegram said this customer blocked the bot (403): leave them out of announcements. */
  customerBlocked(telegramId: number): void;
}

/**
 * What the rest of ArbDesk tells the storefront to say (implemented by the bot service; the
 * host calls it when the bot is running). Each returns whether the message was delivered.
 */
export interface StorefrontEvents {
  /** An invoice moved (payment seen, confirmations, settled, expired): tell its customer. */
  invoiceChanged(telegramId: number, invoice: InvoiceView): Promise<boolean>;
  /** An order was delivered: tell the customer what they got, with a new key shown once. */
  delivered(telegramId: number, item: DeliveredItem, newKey: string | null): Promise<boolean>;
  /** Something the owner should know (a sale, a late payment, low upstream credit …). */
  ownerAlert(text: string): Promise<number>;
  /** The owner replied to a support ticket from the desktop. */
  ticketReply(ticket: Ticket, text: string): Promise<boolean>;
  /** The owner wrote to a customer from the desktop (not about a ticket). */
  customerMessage?(telegramId: number, text: string): Promise<boolean>;
}
