/**
 * Command text parsing: `/name@bot args` and quoted arguments, as owners type them on phones
 * (where the keyboard turns "…" into “…” or «…»).
 */

export interface ParsedCommand {
  name: string;
  /** The bot the command was addressed to (`/start@MyShopBot`), if any. */
  mention: string | null;
  /** Everything after the command, untouched. */
  rest: string;
}

/** Parses `/name[@bot] [rest]`; null when the text is not a command. */
export function parseCommand(text: string): ParsedCommand | null {
  const m = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return null;
  return { name: m[1]!.toLowerCase(), mention: m[2] ?? null, rest: (m[3] ?? '').trim() };
}

export class ArgsError extends Error {
  override name = 'ArgsError';
}

const CLOSING: Record<string, string> = { '"': '"', "'": "'", '“': '”', '”': '”', '„': '“', '«': '»', '‘': '’' };

/**
 * Splits arguments on whitespace; a quoted part ("…", '…', “…”, «…», „…“) is one argument, with
 * \" for a quote inside straight quotes. Throws ArgsError on an unterminated quote.
 */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const open = s[i]!;
    const close = CLOSING[open];
    if (close) {
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < s.length) {
        const ch = s[j]!;
        if (ch === '\\' && (open === '"' || open === "'") && (s[j + 1] === open || s[j + 1] === '\\')) {
          value += s[j + 1];
          j += 2;
          continue;
        }
        if (ch === close || (open === '“' && ch === '“')) {
          closed = true;
          j++;
          break;
        }
        value += ch;
        j++;
      }
      if (!closed) throw new ArgsError(`the quote that starts with ${open} is never closed`);
      args.push(value);
      i = j;
    } else {
      let j = i;
      while (j < s.length && !/\s/.test(s[j]!)) j++;
      args.push(s.slice(i, j));
      i = j;
    }
  }
  return args;
}

/** "100000", "100_000", "100,000", "100k", "1.5m" → a positive whole number, or null. */
export function parseTokenCount(text: string): number | null {
  const m = /^(\d{1,3}(?:[,_ ]\d{3})+|\d+)(?:\.(\d+))?([kKmM])?$/.exec(text.trim());
  if (!m) return null;
  const whole = m[1]!.replace(/[,_ ]/g, '');
  const frac = m[2] ?? '';
  const mult = m[3] ? (m[3].toLowerCase() === 'k' ? 1_000 : 1_000_000) : 1;
  if (frac && !m[3]) return null;
  const digits = String(mult).length - 1;
  if (frac.length > digits) return null;
  const value = Number(whole) * mult + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}
