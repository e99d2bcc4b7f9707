/**
 * What Telegram does with `parse_mode: 'HTML'`: only its few tags, balanced, and only the
 * entities &lt; &gt; &amp; &quot; (and numeric ones). Anything else is refused with
 * "Bad Request: can't parse entities", which is what the stand-in answers too — so a missing
 * escape in the bot fails a test instead of a customer's message.
 */

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);

export interface ParsedHtml {
  /** The text the user sees (tags removed, entities decoded). */
  text: string;
}

export class EntityParseError extends Error {}

export function parseTelegramHtml(source: string): ParsedHtml {
  const stack: string[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '<') {
      const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:="[^"<>]*"|='[^'<>]*')?)*)\s*>/.exec(source.slice(i));
      if (!m) throw new EntityParseError(`Bad Request: can't parse entities: unsupported start tag at byte offset ${i}`);
      const [whole, closing, rawName] = m;
      const name = rawName!.toLowerCase();
      if (!TAGS.has(name)) throw new EntityParseError(`Bad Request: can't parse entities: unsupported start tag "${name}" at byte offset ${i}`);
      if (closing) {
        if (stack.pop() !== name) throw new EntityParseError(`Bad Request: can't parse entities: can't find end tag corresponding to start tag "${name}"`);
      } else stack.push(name);
      i += whole.length;
      continue;
    }
    if (ch === '>') throw new EntityParseError(`Bad Request: can't parse entities: character '>' is reserved at byte offset ${i}`);
    if (ch === '&') {
      const m = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/.exec(source.slice(i));
      if (!m) throw new EntityParseError(`Bad Request: can't parse entities: unsupported entity at byte offset ${i}`);
      const e = m[1]!;
      text += e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      i += m[0].length;
      continue;
    }
    text += ch;
    i++;
  }
  if (stack.length) throw new EntityParseError(`Bad Request: can't parse entities: can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`);
  return { text };
}
