/**
 * Model list and money formatting of the upstream stand-in (tests/fakes/upstream.ts).
 * Prices are OpenRouter-style decimal strings in USD per token; costs are computed in integer
 * pUSD and printed as exact decimal JSON numbers, the way OpenRouter prints `usage.cost`.
 */

export interface FakeModel {
  id: string;
  name?: string;
  context_length?: number;
  /** OpenRouter pricing strings; null/absent = no pricing (plain OpenAI-compatible model). */
  pricing?: { prompt: string; completion: string; request?: string; image?: string } | null;
  top_provider?: { context_length?: number | null; max_completion_tokens: number | null; is_moderated?: boolean };
}

/** Test behaviours, selected by model id `fake/<behaviour>` or the `x-fake-behavior` header. */
export const FAKE_BEHAVIORS = ['error-500', 'error-429', 'error-400', 'slow-first-byte', 'drop-mid-stream', 'no-usage', 'hang'] as const;
export type FakeBehavior = (typeof FAKE_BEHAVIORS)[number];

const testPricing = { prompt: '0.000001', completion: '0.000002', request: '0', image: '0' };

export const DEFAULT_FAKE_MODELS: readonly FakeModel[] = [
  {
    id: 'openai/gpt-4o-mini',
    name: 'OpenAI: GPT-4o-mini',
    context_length: 128_000,
    pricing: { prompt: '0.00000015', completion: '0.0000006', request: '0', image: '0.000217' },
    top_provider: { context_length: 128_000, max_completion_tokens: 16_384, is_moderated: true },
  },
  {
    id: 'anthropic/claude-3.5-sonnet',
    name: 'Anthropic: Claude 3.5 Sonnet',
    context_length: 200_000,
    pricing: { prompt: '0.000003', completion: '0.000015', request: '0', image: '0.0048' },
    top_provider: { context_length: 200_000, max_completion_tokens: 8_192, is_moderated: true },
  },
  {
    id: 'openrouter/auto',
    name: 'Auto Router',
    context_length: 2_000_000,
    pricing: { prompt: '-1', completion: '-1' },
    top_provider: { context_length: null, max_completion_tokens: null, is_moderated: false },
  },
  {
    id: 'fake/request-fee',
    name: 'Fake: per-request fee',
    context_length: 32_000,
    pricing: { prompt: '0.000001', completion: '0.000002', request: '0.005' },
    top_provider: { context_length: 32_000, max_completion_tokens: 4_096 },
  },
  ...FAKE_BEHAVIORS.map((b) => ({
    id: `fake/${b}`,
    name: `Fake: ${b}`,
    context_length: 32_000,
    pricing: testPricing,
    top_provider: { context_length: 32_000, max_completion_tokens: 4_096 },
  })),
];

/** "0.00000015" → 150_000n pUSD. Throws for negative or malformed prices. */
export function priceToPico(text: string | undefined): bigint {
  if (text === undefined || text === '') return 0n;
  const m = /^(\d+)(?:\.(\d{1,12}))?$/.exec(text.trim());
  if (!m) throw new Error(`fake upstream: cannot price "${text}"`);
  return BigInt(m[1]!) * 10n ** 12n + BigInt((m[2] ?? '').padEnd(12, '0'));
}

/** 123_456_789n pUSD → "0.000123456789" (a JSON number literal, exact, no exponent). */
export function picoToUsdLiteral(pico: bigint): string {
  const whole = pico / 10n ** 12n;
  const frac = (pico % 10n ** 12n).toString().padStart(12, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole.toString();
}

/** The stand-in's tokenizer: one token per whitespace-separated word. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

/** Prompt tokens of a chat body: words of all text content + 2 per message. */
export function promptTokensOf(body: Record<string, unknown>): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let tokens = 0;
  for (const message of messages) {
    tokens += 2;
    const content = (message as { content?: unknown } | null)?.content;
    if (typeof content === 'string') tokens += countWords(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        const p = part as { type?: string; text?: string };
        tokens += p?.type === 'text' && typeof p.text === 'string' ? countWords(p.text) : 85; // an image: a flat 85
      }
    }
  }
  return tokens;
}

const WORDS = ['Hello', 'from', 'the', 'fake', 'upstream;', 'this', 'is', 'a', 'deterministic', 'answer', 'for', 'tests.'];

/** The n words of a completion, each but the last followed by a space. */
export function completionWords(n: number): string[] {
  return Array.from({ length: n }, (_, i) => WORDS[i % WORDS.length]! + (i < n - 1 ? ' ' : ''));
}
