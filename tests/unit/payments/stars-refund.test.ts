/** A Stars refund from the desktop: Telegram is asked first, then the ledger is reversed once. */
import Database from 'better-sqlite3';
import pino from 'pino';
import { beforeEach, expect, it } from 'vitest';
import { defaultSettings } from '../../../services/config/schema.js';
import { migrate } from '../../../services/db/database.js';
import { migrations } from '../../../services/db/migrations/index.js';
import { Business } from '../../../services/host/business.js';
import type { ProxyService } from '../../../services/proxy/proxy-service.js';

let db: Database.Database;
let business: Business;
const refunds: [number, string][] = [];
const model = { id: 'openai/gpt-4o-mini', name: 'mini', contextLength: 128_000, maxCompletionTokens: 16_000, priced: true as const, promptPico: 150_000, completionPico: 600_000, requestMicro: 0 };

beforeEach(() => {
  db = new Database(':memory:');
  migrate(db, migrations);
  refunds.length = 0;
  const bot = {
    invoiceChanged: async () => true,
    delivered: async () => true,
    ownerAlert: async () => 1,
    ticketReply: async () => true,
    refundStars: async (tg: number, charge: string) => void refunds.push([tg, charge]),
  };
  business = new Business({
    db,
    logger: pino({ level: 'silent' }),
    settings: defaultSettings,
    publish: () => undefined,
    audit: () => undefined,
    proxy: () => ({ model: (id: string) => (id === model.id ? model : undefined), localUrl: () => undefined }) as unknown as ProxyService,
    storefront: () => bot,
    crypto: { options: () => [], prepare: async () => Promise.reject(new Error('no crypto')) },
  });
});

it('refunds a Stars package purchase: Telegram first, then the sale, the unused allowance and the payment, once', async () => {
  const shop = business.shop;
  const pkg = business.packages.import([{ kind: 'tokens', model: model.id, tokens: 100_000, description: 'mini 100k', categoryId: null, subcategoryId: null, validityDays: null }], business.pricingContext())[0]!;
  const { customer } = shop.register(777, 'Eve', 'en');
  const { orderId } = shop.order(customer.id, { packageId: pkg.id });
  const stars = shop.starsInvoice(orderId);
  shop.starsPaid(stars.payload, 'charge-42', stars.stars, 777);
  expect(shop.balance(customer.id).allowances).toHaveLength(1);

  const refunded = await business.refundStars(stars.invoice.id, 'customer changed their mind');
  expect(refunds).toEqual([[777, 'charge-42']]);
  expect(refunded.flags).toContain('refunded');
  expect(shop.balance(customer.id)).toMatchObject({ availableMicro: 0, allowances: [] });
  expect(business.ledger.balance('revenue:packages')).toBe(0);
  await expect(business.refundStars(stars.invoice.id, 'again')).rejects.toThrow(/already refunded/);
  expect(refunds).toHaveLength(1);
  expect(business.ledger.checkInvariants()).toEqual([]);
});
