/**
 * Crypto checkout for the shop: which crypto methods the owner's settings enable, and the
 * numbers of a new invoice — a fresh address (next derivation index, never reused), a locked
 * rate, the amount rounded up, the BIP-21 / EIP-681 URI and its QR code.
 */
import type { Logger } from '../log/logger.js';
import { ShopError, type PaymentOption } from '../bot/shop-port.js';
import type { CryptoCheckout } from '../shop/shop.js';
import type { CryptoSetup } from './crypto-accounts.js';
import { cryptoInvoiceTerms, enabledCryptoMethods } from './crypto/invoice-terms.js';
import type { PaymentMethod } from './types.js';

const LABELS: Record<string, string> = { btc: '₿ Bitcoin', eth: 'Ξ Ethereum' };

export function cryptoCheckout(
  setup: () => CryptoSetup,
  nextIndex: (chain: 'btc' | 'eth') => number,
  ethTip: () => number | null,
  logger: Logger,
): CryptoCheckout {
  const safeSetup = (): CryptoSetup | undefined => {
    try {
      return setup();
    } catch (error) {
      logger.warn({ event: 'payments.setup_invalid', err: (error as Error).message }, 'crypto payments are off: a payments setting is invalid');
      return undefined;
    }
  };
  return {
    options(): PaymentOption[] {
      const s = safeSetup();
      if (!s) return [];
      return enabledCryptoMethods(s.accounts).map((method) => ({
        method,
        label: LABELS[method] ?? `${method.slice('erc20:'.length)} (ERC-20)`,
      }));
    },
    async prepare(method, usdMicro) {
      const s = safeSetup();
      if (!s || !enabledCryptoMethods(s.accounts).includes(method as PaymentMethod)) throw new ShopError('that payment method is not available', 'unavailable');
      const chain = method === 'btc' ? 'btc' : 'eth';
      let terms;
      try {
        terms = await cryptoInvoiceTerms({ method: method as PaymentMethod, usdMicro, derivationIndex: nextIndex(chain), accounts: s.accounts, rates: s.rates, label: 'ArbDesk shop' });
      } catch (error) {
        logger.warn({ event: 'payments.invoice_failed', method, err: (error as Error).message }, 'could not price a crypto invoice');
        throw new ShopError('the exchange rate is not available right now; try again in a minute or pay with Stars', 'unavailable');
      }
      return {
        asset: terms.asset,
        amount: terms.amount,
        address: terms.address,
        addressKey: terms.addressKey,
        uri: terms.uri,
        qrPng: terms.qrPng,
        network: terms.network,
        decimals: terms.decimals,
        amountBase: terms.amountBase,
        rate: terms.rate,
        derivationIndex: terms.derivationIndex,
        // A few blocks of margin before the head the watcher last saw.
        fromBlock: chain === 'eth' && ethTip() !== null ? Math.max(0, ethTip()! - 5) : null,
      };
    },
  };
}
