/**
 * The customer's body goes upstream as sent, except what the owner's policy overrides: the
 * completion budget is clamped to what was reserved, and streamed requests ask for the final
 * usage chunk (OpenAI-compatible upstreams send it only when asked; OpenRouter always does).
 *
 * Most bodies need no change, or only a key they do not have: then the customer's own bytes are
 * forwarded (with the missing keys appended before the closing brace) instead of re-serialising
 * the whole parsed body — a few µs per request, more for long conversations. The bytes are
 * trusted only where the parse proves them unambiguous: a duplicated or escaped
 * `max_tokens` key (which another JSON parser might read differently) takes the rewrite.
 */
import type { ChatRequest } from './body.js';

const CLOSE_BRACE = 0x7d;
const BACKSLASH_U = Buffer.from('\\u');

export function bodyToForward(raw: Buffer, chat: ChatRequest, maxTokens: number): Buffer | string {
  const b = chat.body;
  const field = b.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  // Both budget fields given: each upstream reads its own, so both get the clamp (rewrite).
  const both = b.max_tokens !== undefined && b.max_completion_tokens !== undefined;
  const tokensAsIs = !both && b[field] === maxTokens && onlyOnce(raw, field);
  const tokensMissing = b[field] === undefined;
  const options = b.stream_options;
  const usageAsked = !chat.stream || (typeof options === 'object' && options !== null && (options as Record<string, unknown>).include_usage === true);
  if ((tokensAsIs || tokensMissing) && (usageAsked || options === undefined)) {
    if (tokensAsIs && usageAsked) return raw;
    const end = lastNonSpace(raw);
    if (raw[end] === CLOSE_BRACE) {
      let extra = '';
      if (tokensMissing) extra += `,"${field}":${maxTokens}`;
      if (!usageAsked) extra += ',"stream_options":{"include_usage":true}';
      return Buffer.concat([raw.subarray(0, end), Buffer.from(`${extra}}`)]);
    }
  }
  const copy: Record<string, unknown> = { ...b, [field]: maxTokens };
  if (both) copy.max_tokens = maxTokens;
  if (chat.stream) copy.stream_options = { ...(typeof options === 'object' && options !== null ? options : {}), include_usage: true };
  return JSON.stringify(copy);
}

/** The key's name appears once in the raw body and no \u escape could spell it another way. */
function onlyOnce(raw: Buffer, key: string): boolean {
  const first = raw.indexOf(key);
  return first !== -1 && raw.indexOf(key, first + key.length) === -1 && raw.indexOf(BACKSLASH_U) === -1;
}

function lastNonSpace(raw: Buffer): number {
  let i = raw.length - 1;
  while (i >= 0 && (raw[i] === 0x20 || raw[i] === 0x0a || raw[i] === 0x0d || raw[i] === 0x09)) i--;
  return i;
}
