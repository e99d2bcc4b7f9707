/** The pricing capability: pure functions from upstream prices and owner settings to customer prices. */
export { pricingSettingsFrom, percentToBps, BPS_PER_UNIT, type PricingSettings, type PricingSettingKeys } from './settings.js';
export {
  customerPrice,
  markUp,
  chargeMicro,
  maxChargeMicro,
  upstreamCostMicro,
  settleChargeMicro,
  priceOverrideInputSchema,
  priceOverrideFromInput,
  picoToUsdPerMillion,
  type PriceOverride,
  type PriceOverrides,
  type PriceOverrideInput,
  type CustomerPrice,
  type ModelRef,
} from './customer-price.js';
export { estimatePromptTokens, ESTIMATE_RULE } from './estimate.js';
export { validatePackages, parsePackagesJson, type PackageSpec, type TokenPackageSpec, type CreditPackageSpec, type PackagesParseResult } from './package-spec.js';
export {
  quoteTokenPackage,
  quotePackage,
  repricePackages,
  repriceForChanges,
  PACKAGE_PRICE_STEP_MICRO,
  type PackageQuote,
  type StoredPackage,
  type PackageRepricing,
} from './package-price.js';
