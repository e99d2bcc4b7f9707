/**
 * A cheap, conservative estimate of a chat request's prompt tokens, for the reservation made
 * before forwarding (the final charge uses the upstream's real counts).
 *
 * Rule (ESTIMATE_RULE), meant to over-estimate for English and code with any common tokenizer:
 *   - text: UTF-8 bytes / 3, rounded up, per piece of text. Tokenizers average about 4 bytes
 *     per token for English and 3–4 for code; CJK text is ~3 bytes per character and rarely
 *     more than one token per character.
 *   - each message: +4 tokens (role and separators), its `name` counted as text;
 *   - each image part: a fixed 1 600 tokens (above OpenAI's and Anthropic's cost for one large
 *     image), whatever its size — counting a base64 data URL's bytes would reserve absurdly much;
 *   - tool calls, function calls, other content parts (audio, files) and the request's `tools`,
 *     `functions` and `response_format`: their JSON text, bytes / 3;
 *   - +3 tokens for the reply's priming.
 * Not JSON-shaped as expected (no `messages` array): the whole `prompt`, or the body's JSON, / 3.
 */

export const ESTIMATE_RULE = {
  bytesPerToken: 3,
  perMessageTokens: 4,
  replyPrimingTokens: 3,
  imageTokens: 1_600,
} as const;

const IMAGE_PART_TYPES = new Set(['image_url', 'image', 'input_image']);

export function estimatePromptTokens(body: unknown): number {
  if (!body || typeof body !== 'object') return ESTIMATE_RULE.replyPrimingTokens;
  const b = body as Record<string, unknown>;
  let tokens = ESTIMATE_RULE.replyPrimingTokens;
  if (Array.isArray(b.messages)) {
    for (const message of b.messages) tokens += messageTokens(message);
  } else if (b.prompt !== undefined) {
    tokens += typeof b.prompt === 'string' ? textTokens(b.prompt) : jsonTokens(b.prompt);
  } else {
    return tokens + jsonTokens(b);
  }
  for (const key of ['tools', 'functions', 'response_format'] as const) {
    if (b[key] !== undefined && b[key] !== null) tokens += jsonTokens(b[key]);
  }
  return tokens;
}

function messageTokens(message: unknown): number {
  if (!message || typeof message !== 'object') return ESTIMATE_RULE.perMessageTokens + jsonTokens(message);
  const m = message as Record<string, unknown>;
  let tokens = ESTIMATE_RULE.perMessageTokens;
  if (typeof m.name === 'string') tokens += textTokens(m.name);
  const content = m.content;
  if (typeof content === 'string') tokens += textTokens(content);
  else if (Array.isArray(content)) for (const part of content) tokens += partTokens(part);
  else if (content !== undefined && content !== null) tokens += jsonTokens(content);
  if (m.tool_calls !== undefined && m.tool_calls !== null) tokens += jsonTokens(m.tool_calls);
  if (m.function_call !== undefined && m.function_call !== null) tokens += jsonTokens(m.function_call);
  return tokens;
}

function partTokens(part: unknown): number {
  if (typeof part === 'string') return textTokens(part);
  if (!part || typeof part !== 'object') return jsonTokens(part);
  const p = part as Record<string, unknown>;
  if (p.type === 'text' && typeof p.text === 'string') return textTokens(p.text);
  if (typeof p.type === 'string' && IMAGE_PART_TYPES.has(p.type)) return ESTIMATE_RULE.imageTokens;
  return jsonTokens(part);
}

function textTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / ESTIMATE_RULE.bytesPerToken);
}

function jsonTokens(value: unknown): number {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  return text ? textTokens(text) : 0;
}
