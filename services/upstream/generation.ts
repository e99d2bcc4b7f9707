/**
 * OpenRouter's `GET /generation?id=gen-…` answer → what the request really cost. Used when a
 * customer aborted a stream and the final usage event never arrived. Token counts prefer the
 * model's native tokenizer counts (what OpenRouter's `usage` reports and bills), falling back to
 * OpenRouter's normalised counts.
 */
import { parseCost } from './usage.js';

export interface GenerationCost {
  id: string;
  /** What the upstream charged, µUSD rounded up. */
  costMicro: number;
  /** The same exactly, pUSD (null when too large for it). */
  costPico: number | null;
  promptTokens: number;
  completionTokens: number;
  model: string | null;
  /** The upstream says the generation was cancelled (e.g. the stream was aborted). */
  cancelled: boolean | null;
}

/** Null when the answer has no usable `total_cost`. */
export function parseGeneration(json: unknown, requestedId: string): GenerationCost | null {
  const data = (json as { data?: unknown } | null)?.data;
  if (!data || typeof data !== 'object') return null;
  const d = data as Record<string, unknown>;
  const { costMicro, costPico } = parseCost(d.total_cost);
  if (costMicro === null) return null;
  return {
    id: typeof d.id === 'string' ? d.id : requestedId,
    costMicro,
    costPico,
    promptTokens: tokens(d.native_tokens_prompt) ?? tokens(d.tokens_prompt) ?? 0,
    completionTokens: tokens(d.native_tokens_completion) ?? tokens(d.tokens_completion) ?? 0,
    model: typeof d.model === 'string' ? d.model : null,
    cancelled: typeof d.cancelled === 'boolean' ? d.cancelled : null,
  };
}

function tokens(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
