/**
 * OpenAI-compatible completions and stream chunks start with `{"id":"…"`. Reading the id from
 * those bytes saves a JSON.parse of the whole body or event on the proxy's hot path; anything
 * shaped otherwise (spaces, another first key, an escaped character in the id) returns null and
 * the caller parses.
 */
const ID_PREFIX = [0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22]; // {"id":"
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The id of the JSON object in buf[start, end), when it is the object's first key, unescaped; else null. */
export function leadingId(buf: Buffer, start: number, end: number): string | null {
  if (end - start < ID_PREFIX.length + 1) return null;
  for (let i = 0; i < ID_PREFIX.length; i++) if (buf[start + i] !== ID_PREFIX[i]) return null;
  const from = start + ID_PREFIX.length;
  const close = buf.indexOf(QUOTE, from);
  if (close === -1 || close >= end || close === from) return null;
  for (let i = from; i < close; i++) if (buf[i] === BACKSLASH) return null;
  return buf.toString('utf8', from, close);
}
