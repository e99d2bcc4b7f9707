/** The upstream capability: client, model catalog, usage/SSE parsing, errors. */
export { UpstreamClient, type UpstreamClientOptions, type ForwardOptions, type RelayOptions, type UpstreamResponse, type JsonAnswer, type LookupGenerationOptions } from './client.js';
export { ModelCatalog, diff as diffCatalogs, priceOf, type ModelCatalogOptions, type ModelChange, type ModelPrice, type ChangeInfo, type CatalogStatus, type RefreshOutcome, type ModelSource } from './catalog.js';
export { parseModelsResponse, type UpstreamModel, type PricedModel, type UnpricedModel, type SkippedModel, type ModelsResult } from './models.js';
export { CreditStatus, creditStatusFrom, type CreditFigures } from './credits.js';
export { CreditMonitor, type CreditMonitorOptions } from './credit-monitor.js';
export { parseGeneration, type GenerationCost } from './generation.js';
export { parseUsage, parseCost, completionInfo, type ParsedUsage, type CompletionInfo } from './usage.js';
export { SseUsageScanner, type StreamError } from './sse.js';
export { UpstreamError, toUpstreamError, isRetryableBeforeSend, errorCode, parseRetryAfter, type UpstreamErrorKind } from './errors.js';
export type { ResponseHeaders } from './dispatch.js';
export type { RawResponse } from './readable-call.js';
export type { UpstreamCall, UpstreamSink } from './retrying-call.js';
