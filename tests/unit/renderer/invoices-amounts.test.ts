import { describe, expect, it } from 'vitest';
import type { InvoiceView, OrderView, PaymentView } from '../../../services/contract';
import { baseToMicro, formatAssetAmount, methodLabel, paidPercent, settleFigures } from '../../../renderer/features/invoices/amounts';
import { canResolve, resolveText } from '../../../renderer/features/invoices/texts';

describe('asset amounts (base units, bigint, exact)', () => {
  it('formats base units with the asset decimals, keeping every significant digit', () => {
    expect(formatAssetAmount('50000', 8, 'BTC')).toBe('0.0005 BTC');
    expect(formatAssetAmount('1', 8, 'BTC')).toBe('0.00000001 BTC');
    expect(formatAssetAmount('100000000', 8, 'BTC')).toBe('1 BTC');
    expect(formatAssetAmount('123456789012', 8, 'BTC')).toBe('1,234.56789012 BTC');
    expect(formatAssetAmount('1500000000000000000', 18, 'ETH')).toBe('1.5 ETH');
    expect(formatAssetAmount('0', 18, 'ETH')).toBe('0 ETH');
    expect(formatAssetAmount('10250000', 6, 'USDT')).toBe('10.25 USDT');
    expect(formatAssetAmount('250', 0, 'XTR')).toBe('250 XTR');
    expect(formatAssetAmount('00050000', 8)).toBe('0.0005');
  });

  it('stays exact far beyond what a float can hold', () => {
    // 2^53 + 1 wei, and a wei amount with all 18 decimals significant.
    expect(formatAssetAmount('9007199254740993', 0, 'WEI')).toBe('9,007,199,254,740,993 WEI');
    expect(formatAssetAmount('123456789123456789123456789', 18, 'ETH')).toBe('123,456,789.123456789123456789 ETH');
    expect(formatAssetAmount('100000000000000001', 18, 'ETH')).toBe('0.100000000000000001 ETH');
  });

  it('shows a value that is not a base-unit integer as it came', () => {
    expect(formatAssetAmount('0.5', 8, 'BTC')).toBe('0.5 base units BTC');
    expect(formatAssetAmount('-5', 8, 'BTC')).toBe('-5 base units BTC');
    expect(formatAssetAmount('5', -1, 'BTC')).toBe('5 base units BTC');
  });

  it('converts to µUSD like the host: at the locked rate, rounded down', () => {
    expect(baseToMicro('50000', 8, '64000')).toBe(32_000_000n); // 0.0005 BTC × $64,000 = $32
    expect(baseToMicro('1', 8, '64000.5')).toBe(640n); // 0.00000001 × 64000.5 = $0.000640005 → 640 µUSD
    expect(baseToMicro('1000000000000000000', 18, '3210.123456789')).toBe(3_210_123_456n);
    expect(baseToMicro('x', 8, '1')).toBeNull();
    expect(baseToMicro('1', 8, '1e3')).toBeNull();
  });

  it('names methods and computes the paid share', () => {
    expect(methodLabel('btc')).toBe('Bitcoin');
    expect(methodLabel('erc20:usdt')).toBe('USDT (ERC-20)');
    expect(methodLabel('stars')).toBe('Telegram Stars');
    expect(methodLabel('sol')).toBe('sol');
    expect(paidPercent({ paidBase: '40000', amountBase: '50000' })).toBe(80);
    expect(paidPercent({ paidBase: '60000', amountBase: '50000' })).toBe(120);
    expect(paidPercent({ paidBase: '1', amountBase: '0' })).toBe(0);
  });
});

const inv = (overrides: Partial<InvoiceView> = {}): InvoiceView => ({
  id: 'inv_Late42',
  orderId: 'ord_1',
  customerId: 'cus_alice001',
  method: 'btc',
  asset: 'BTC',
  usdMicro: 10_000_000,
  amountBase: '20000',
  decimals: 8,
  rate: '50000',
  address: 'bc1q',
  uri: null,
  status: 'expired',
  paidBase: '19200',
  confirmations: 3,
  flags: ['late', 'underpaid'],
  memo: '',
  createdAt: '2025-01-01T12:00:00.000Z',
  expiresAt: '2025-01-01T12:30:00.000Z',
  settledAt: null,
  ...overrides,
});
const payment = (amountBase: string, status: PaymentView['status'], outpoint = `tx${amountBase}:0`): PaymentView => ({
  outpoint,
  invoiceId: 'inv_Late42',
  method: 'btc',
  amountBase,
  blockNumber: 1,
  confirmations: status === 'confirmed' ? 3 : 0,
  status,
  late: true,
  seenAt: '2025-01-01T12:40:00.000Z',
  confirmedAt: null,
});
const order = (status: OrderView['status'] = 'pending'): OrderView => ({
  id: 'ord_1',
  customerId: 'cus_alice001',
  kind: 'package',
  packageId: 'pkg_1',
  usdMicro: 10_000_000,
  status,
  createdAt: '2025-01-01T12:00:00.000Z',
  deliveredAt: null,
});

describe('resolving an invoice by hand', () => {
  it('computes the shortfall from confirmed payments only, each rounded down like the host', () => {
    const f = settleFigures(inv(), [payment('19200', 'confirmed'), payment('500', 'seen'), payment('300', 'vanished')]);
    expect(f.creditedMicro).toBe(9_600_000n); // 0.000192 BTC × 50,000
    expect(f.shortfallMicro).toBe(400_000n);
    expect(f.unconfirmedBase).toBe(500n);
    expect(f.confirmedCount).toBe(1);
    expect(settleFigures(inv(), [payment('25000', 'confirmed')]).shortfallMicro).toBe(0n);
  });

  it('says exactly what settling does: delivery, the shortfall booked as an adjustment, what is not counted', () => {
    const text = resolveText('settle', inv(), [payment('19200', 'confirmed'), payment('500', 'seen')], order(), 'Alice', ' paid by bank later ');
    expect(text.lines[0]).toBe('Mark invoice inv_Late42 as settled: the order is delivered to Alice; a shortfall of $0.40 is booked as an adjustment.');
    expect(text.lines).toContain('Confirmed payments are worth $9.60 at the locked rate of 50000 USD per BTC, against $10.00 due.');
    expect(text.lines).toContain('0.000005 BTC seen on the chain but not confirmed is not counted.');
    expect(text.lines[text.lines.length - 1]).toBe('Memo for the audit trail: “paid by bank later”.');
    expect(text.confirmLabel).toBe('Settle invoice');
  });

  it('says when the payments cover it, when nothing is confirmed, and when the order was delivered already', () => {
    expect(resolveText('settle', inv(), [payment('20000', 'confirmed')], order(), 'Alice', 'ok').lines[0]).toBe(
      'Mark invoice inv_Late42 as settled: the order is delivered to Alice; the confirmed payments cover the full $10.00.',
    );
    const none = resolveText('settle', inv(), [], order(), 'Alice', 'gift');
    expect(none.lines[0]).toContain('a shortfall of $10.00 is booked as an adjustment');
    expect(none.lines[1]).toBe('No payment is confirmed: the whole $10.00 is the shortfall, paid by the business.');
    expect(resolveText('settle', inv(), [], order('delivered'), 'Alice', 'x').lines[0]).toContain('the order is already delivered, so nothing more is delivered');
  });

  it('says exactly what invalidating does, and that credited money stays with the customer', () => {
    const text = resolveText('invalidate', inv(), [payment('19200', 'confirmed')], order(), 'Carol Labs', 'wrong asset');
    expect(text.lines).toEqual([
      'Mark invoice inv_Late42 as invalid: the order is not delivered and the invoice stops waiting for payment.',
      "Payments already credited ($9.60) stay in Carol Labs' balance.",
      'Memo for the audit trail: “wrong asset”.',
    ]);
    expect(resolveText('invalidate', inv(), [], order(), 'Alice', 'x').lines).toHaveLength(2);
  });

  it('offers resolving only while the host accepts it', () => {
    expect(canResolve({ status: 'expired' })).toBe(true);
    expect(canResolve({ status: 'processing' })).toBe(true);
    expect(canResolve({ status: 'new' })).toBe(true);
    expect(canResolve({ status: 'settled' })).toBe(false);
    expect(canResolve({ status: 'invalid' })).toBe(false);
  });
});
