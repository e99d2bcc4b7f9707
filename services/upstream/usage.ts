/**
 * OpenRouter's `usage` object (non-streaming response body, or the last SSE data event) →
 * integers. `cost` is a JSON number in USD (e.g. 0.000123456789 or 1.5e-7); it is converted
 * exactly from its shortest decimal form and rounded UP to µUSD, because it is what we pay.
 */
import { PICO_PER_MICRO, usdToMicro, usdToPico } from '../money/units.js';
import { ceilDiv } from '../pricing/integer-math.js';

export interface ParsedUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** What the upstream charged us, µUSD rounded up; null when the upstream did not say. */
  costMicro: number | null;
  /** The same cost exactly, pUSD (rounded up past 12 decimals); null when not said or too large. */
  costPico: number | null;
  /** prompt_tokens_details.cached_tokens, when present. */
  cachedPromptTokens: number | null;
  /** completion_tokens_details.reasoning_tokens, when present. */
  reasoningTokens: number | null;
}

/** Null when `usage` is missing or its token counts are not whole non-negative numbers. */
export function parseUsage(usage: unknown): ParsedUsage | null {
  if (!usage || typeof usage !== 'object') return null;
  const u = usage as Record<string, unknown>;
  const promptTokens = count(u.prompt_tokens);
  const completionTokens = count(u.completion_tokens);
  if (promptTokens === null || completionTokens === null) return null;
  return {
    promptTokens,
    completionTokens,
    totalTokens: count(u.total_tokens) ?? promptTokens + completionTokens,
    ...parseCost(u.cost),
    cachedPromptTokens: count((u.prompt_tokens_details as Record<string, unknown> | null | undefined)?.cached_tokens),
    reasoningTokens: count((u.completion_tokens_details as Record<string, unknown> | null | undefined)?.reasoning_tokens),
  };
}

/** A USD cost (JSON number or decimal string) → µUSD rounded up, or null if absent/invalid. */
function costToMicro(cost: unknown): number | null {
  if (typeof cost !== 'number' && typeof cost !== 'string') return null;
  try {
    return usdToMicro(cost);
  } catch {
    return null; // negative, NaN or garbage: treat as "not reported"
  }
}

/**
 * An upstream's USD cost, parsed once: exactly in pUSD, and in µUSD rounded up (derived from the
 * pUSD figure; parsed on its own only past the ~$9,000 pUSD can hold).
 */
export function parseCost(cost: unknown): { costMicro: number | null; costPico: number | null } {
  const costPico = costToPico(cost);
  return { costMicro: costPico !== null ? ceilDiv(costPico, PICO_PER_MICRO) : costToMicro(cost), costPico };
}

/** A USD cost → pUSD (12 decimals, rounded up past them), or null if absent/invalid/too large. */
function costToPico(cost: unknown): number | null {
  if (typeof cost !== 'number' && typeof cost !== 'string') return null;
  try {
    return usdToPico(cost);
  } catch {
    return null;
  }
}

export interface CompletionInfo {
  id: string | null;
  model: string | null;
  usage: ParsedUsage | null;
}

/** From a parsed non-streaming `chat.completion` body: the generation id, model and usage. */
export function completionInfo(json: unknown): CompletionInfo {
  const body = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  return {
    id: typeof body.id === 'string' ? body.id : null,
    model: typeof body.model === 'string' ? body.model : null,
    usage: parseUsage(body.usage),
  };
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
