/**
 * The generation id and usage of a non-streamed chat completion, read from its bytes.
 *
 * OpenAI and OpenRouter put `usage` last in the body. Then only the usage object is parsed
 * (and the id read from the leading `{"id":"…"`), not the whole answer — whose size grows
 * with the completion while the usage stays a few hundred bytes. Why reading only the tail is
 * sound: a raw `"usage":` whose quote is not escaped and which follows `{` or `,` is a key (a
 * JSON string cannot hold an unescaped quote). If what follows it, up to the body's final
 * `}`, is one complete JSON object, the object holding that key closes at the body's last
 * byte — so it is the top-level object, and this is its `usage`. Any other shape (pretty
 * printing, usage not last, another first key) takes the whole parse.
 */
import { leadingId } from './leading-id.js';
import { completionInfo, parseUsage, type CompletionInfo } from './usage.js';

/** The key a usage object sits under, as it appears in the bytes (also customer-cost.ts). */
export const USAGE_KEY = Buffer.from('"usage":');
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const COMMA = 0x2c;

export type CompletionUsage = Pick<CompletionInfo, 'id' | 'usage'> & {
  /** Where the usage sits when it is the body's last key (null: any other shape), so the
   *  customer's copy is made without reading it again (services/proxy/customer-cost.ts). */
  tail: TailUsage | null;
};

export function scanCompletion(raw: Buffer): CompletionUsage {
  const tail = usageAtTail(raw, 0, raw.length);
  const id = tail ? leadingId(raw, 0, tail.end) : null;
  if (tail && id !== null) return { id, usage: parseUsage(tail.usage), tail };
  // Another first key than `id`: the whole parse for the id, but the usage still sits at the tail.
  const whole = fromWhole(raw);
  return { id: whole.id, usage: whole.usage, tail };
}

/** Where a JSON object's last key, `usage`, and its object value are (see the top of this file). */
export interface TailUsage {
  /** The parsed usage object. */
  usage: Record<string, unknown>;
  /** Its value's bytes: from just after `"usage":` to just before the object's final `}`. */
  valueFrom: number;
  valueTo: number;
  /** Just after the object's final `}` (whitespace after it excluded). */
  end: number;
}

/**
 * The usage of the JSON object in raw[from, to) when `usage` is its last key and holds an
 * object; null for any other shape. Used to read the usage without parsing the whole object,
 * and to replace it (services/proxy/customer-cost.ts).
 */
export function usageAtTail(raw: Buffer, from: number, to: number): TailUsage | null {
  let end = to;
  while (end > from && isSpace(raw[end - 1]!)) end--;
  if (end - from < 2 || raw[from] !== OPEN || raw[end - 1] !== CLOSE) return null;
  const key = raw.lastIndexOf(USAGE_KEY, end - 1);
  if (key <= from) return null;
  let before = key - 1;
  let slashes = 0;
  while (raw[before - slashes] === BACKSLASH) slashes++;
  if (slashes % 2 === 1) return null; // the quote is escaped: inside a string
  while (before > from && isSpace(raw[before]!)) before--;
  if (raw[before] !== OPEN && raw[before] !== COMMA) return null;
  const valueFrom = key + USAGE_KEY.length;
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8', valueFrom, end - 1));
  } catch {
    return null; // more keys after usage, or not JSON
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return { usage: value as Record<string, unknown>, valueFrom, valueTo: end - 1, end };
}

function fromWhole(raw: Buffer): Pick<CompletionInfo, 'id' | 'usage'> {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    // not JSON: no usage (the proxy then asks the upstream by generation id, if it has one)
  }
  return completionInfo(parsed);
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
