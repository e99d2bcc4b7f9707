/**
 * Crypto checkout: which crypto methods are enabled by the settings, and the numbers of a new
 * invoice (fresh address from the owner's xpub, locked rate, amount, URI, QR).
 * Wired to services/payments/crypto and services/payments/rates once they land; until then no
 * crypto method is offered (Stars still is).
 */
import type { Settings } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { ShopError } from '../bot/shop-port.js';
import type { CryptoCheckout } from '../shop/shop.js';

export function cryptoCheckout(_settings: () => Settings, _nextIndex: (chain: string) => number, _logger: Logger): CryptoCheckout {
  return {
    options: () => [],
    prepare: async () => {
      throw new ShopError('crypto payments are not available', 'unavailable');
    },
  };
}
