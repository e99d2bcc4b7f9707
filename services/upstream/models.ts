/**
 * The upstream's model list → UpstreamModel, with prices parsed exactly from OpenRouter's
 * decimal strings ("0.000003" USD per token → 3_000_000 pUSD per token).
 *
 * Three cases, kept apart on purpose:
 *  - priced:   OpenRouter shape with non-negative prompt/completion prices;
 *  - unpriced: no `pricing` at all (a plain OpenAI-compatible upstream). Kept, with
 *              `priced: false`: the proxy refuses to sell it until the owner sets an override;
 *  - skipped:  a negative price (OpenRouter's "-1" = variable pricing, e.g. openrouter/auto) or
 *              a price we cannot parse. We cannot meter these safely, so they are left out,
 *              with the reason, for the log.
 */
import { usdToMicro, usdToPico } from '../money/units.js';

interface ModelBase {
  id: string;
  name: string;
  /** Context window in tokens, when the upstream says. */
  contextLength: number | null;
  /** Most completion tokens the upstream's top provider allows, when it says. */
  maxCompletionTokens: number | null;
}

export interface PricedModel extends ModelBase {
  priced: true;
  /** Upstream price per prompt token, pUSD (1e-12 USD). */
  promptPico: number;
  /** Upstream price per completion token, pUSD. */
  completionPico: number;
  /** Upstream fee per request, µUSD (rounded up). Usually 0. */
  requestMicro: number;
}

export interface UnpricedModel extends ModelBase {
  priced: false;
  promptPico: null;
  completionPico: null;
  requestMicro: null;
}

export type UpstreamModel = PricedModel | UnpricedModel;

export interface SkippedModel {
  id: string;
  reason: string;
}

export interface ModelsResult {
  models: UpstreamModel[];
  skipped: SkippedModel[];
}

/** Parses `GET /models` (OpenRouter or plain OpenAI shape). Throws only if there is no `data` array. */
export function parseModelsResponse(json: unknown): ModelsResult {
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error('upstream /models answer has no "data" array');
  const models: UpstreamModel[] = [];
  const skipped: SkippedModel[] = [];
  const seen = new Set<string>();
  for (const item of data) {
    const parsed = parseModel(item);
    if ('reason' in parsed) {
      skipped.push(parsed);
    } else if (seen.has(parsed.id)) {
      skipped.push({ id: parsed.id, reason: 'listed twice; kept the first entry' });
    } else {
      seen.add(parsed.id);
      models.push(parsed);
    }
  }
  return { models, skipped };
}

function parseModel(item: unknown): UpstreamModel | SkippedModel {
  if (!item || typeof item !== 'object') return { id: '?', reason: 'entry is not an object' };
  const raw = item as Record<string, unknown>;
  const id = typeof raw.id === 'string' ? raw.id.trim() : '';
  if (!id) return { id: '?', reason: 'entry has no id' };
  const top = (raw.top_provider && typeof raw.top_provider === 'object' ? raw.top_provider : {}) as Record<string, unknown>;
  const base: ModelBase = {
    id,
    name: typeof raw.name === 'string' && raw.name ? raw.name : id,
    contextLength: positiveInt(raw.context_length) ?? positiveInt(top.context_length),
    maxCompletionTokens: positiveInt(top.max_completion_tokens),
  };
  const pricing = raw.pricing;
  if (pricing === undefined || pricing === null) {
    return { ...base, priced: false, promptPico: null, completionPico: null, requestMicro: null };
  }
  if (typeof pricing !== 'object') return { id, reason: 'pricing is not an object' };
  const p = pricing as Record<string, unknown>;
  const prompt = price(p.prompt, 'prompt', true);
  if (typeof prompt === 'string') return { id, reason: prompt };
  const completion = price(p.completion, 'completion', true);
  if (typeof completion === 'string') return { id, reason: completion };
  const request = price(p.request, 'request', false, usdToMicro);
  if (typeof request === 'string') return { id, reason: request };
  return { ...base, priced: true, promptPico: prompt, completionPico: completion, requestMicro: request };
}

/** A price in pUSD (or via `convert`), or the reason it is unusable. Missing optional → 0. */
function price(value: unknown, field: string, required: boolean, convert: (v: string | number) => number = usdToPico): number | string {
  if (value === undefined || value === null || value === '') return required ? `no ${field} price` : 0;
  if (typeof value !== 'string' && typeof value !== 'number') return `${field} price is not a decimal`;
  const text = String(value).trim();
  if (text.startsWith('-')) return `variable pricing (${field} price ${text.slice(0, 12)})`;
  try {
    return convert(typeof value === 'number' ? value : text); // numbers may print as 1e-7
  } catch {
    return `unparsable ${field} price "${text.slice(0, 24)}"`;
  }
}

function positiveInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}
