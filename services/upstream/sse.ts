/**
 * Watches an SSE byte stream from the upstream while the proxy pipes it, untouched, to the
 * customer, and picks out the three things metering needs:
 *  - the generation `id` (first data event; used to look the cost up if the usage never comes),
 *  - the `usage` object (OpenRouter and OpenAI send it in the last data event before
 *    `data: [DONE]`),
 *  - an `error` object, which OpenRouter sends as the last event when a stream fails mid-way.
 *
 * Hot path: per chunk it only finds line ends (native single-byte search) and remembers where
 * the last two data events are, by offsets into the chunks it was given (no copies, no per-line
 * Buffer objects, no search for key names — Buffer.indexOf with a multi-byte needle costs more
 * than everything else here together). The id is read from the first event's leading
 * `{"id":"…"` without parsing it (JSON.parse only when an event is shaped otherwise); at
 * `[DONE]` or end() the last event is parsed, and the one before it when the last had no usage
 * (a stream that sends one more empty chunk after the usage still counts) — events that do not
 * mention "usage" or "error" are not parsed at all. An event that carries `"usage":null`
 * (OpenAI style) simply yields no usage.
 *
 * Events and lines may be split anywhere across chunks; line ends may be LF or CRLF (a bare CR
 * line end, allowed by the SSE spec but not used by OpenAI-compatible servers, is not
 * supported). Chunks must not be modified after push(): the scanner keeps references to them
 * rather than copies (undici hands out a fresh Buffer per chunk).
 */
import { leadingId } from './leading-id.js';
import { parseUsage, type ParsedUsage } from './usage.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const DATA = [0x64, 0x61, 0x74, 0x61, 0x3a]; // "data:"
const DONE = [0x5b, 0x44, 0x4f, 0x4e, 0x45, 0x5d]; // "[DONE]"
const USAGE_KEY = Buffer.from('"usage"');
const ERROR_KEY = Buffer.from('"error"');
/** A single line longer than this is dropped rather than buffered (a broken upstream). */
const MAX_LINE_BYTES = 8 * 1024 * 1024;

export interface StreamError {
  message: string;
  code: string | number | null;
}

/** Where one event's data is: its first data line by offsets, further lines (rare) as slices. */
interface EventRef {
  buf: Buffer | null;
  start: number;
  end: number;
  more: Buffer[] | null;
}

const emptyRef = (): EventRef => ({ buf: null, start: 0, end: 0, more: null });

export class SseUsageScanner {
  /** Generation id from the first event that had one. */
  id: string | null = null;
  /** Model from the first event that named one (OpenRouter names the model actually used). */
  model: string | null = null;
  /** Parsed usage from the final events. */
  usage: ParsedUsage | null = null;
  /** Raw usage object as sent, for the request record. */
  rawUsage: unknown = null;
  /** Error object sent at the end of the stream, if any. */
  error: StreamError | null = null;
  /** Saw `data: [DONE]`. */
  done = false;
  /** Number of data events seen, not counting [DONE] (≈ completion tokens when usage never comes). */
  events = 0;
  /** Lines dropped for being longer than MAX_LINE_BYTES. */
  droppedLines = 0;

  /** Unfinished last line: chunk pieces, not copied. */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** The event being read, and the last two complete ones (three reused objects). */
  private current = emptyRef();
  private last = emptyRef();
  private beforeLast = emptyRef();
  private finished = false;

  /** Same as `id` (the name the proxy's StreamSniffer port uses). */
  get generationId(): string | null {
    return this.id;
  }

  /** Feed the next chunk exactly as received. */
  push(chunk: Buffer): void {
    if (this.finished) return;
    let from = 0;
    if (this.carryBytes > 0) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        this.keep(chunk);
        return;
      }
      // The one line that spans chunks: join it (it alone gets copied).
      const joined = Buffer.concat([...this.carry, chunk.subarray(0, nl + 1)]);
      this.carry = [];
      this.carryBytes = 0;
      this.scan(joined, 0);
      from = nl + 1;
    }
    const rest = this.scan(chunk, from);
    if (rest < chunk.length) this.keep(rest === 0 ? chunk : chunk.subarray(rest));
  }

  /** The stream ended (or was cut): handle a last line or event without its blank line, then read the final events. */
  end(): void {
    if (this.finished) return;
    if (this.carryBytes > 0) {
      const last = Buffer.concat([...this.carry, Buffer.from([LF])]);
      this.carry = [];
      this.carryBytes = 0;
      this.scan(last, 0);
    }
    this.dispatch();
    this.finish();
  }

  private keep(piece: Buffer): void {
    if (this.carryBytes + piece.length > MAX_LINE_BYTES) {
      this.carry = [];
      this.carryBytes = 0;
      this.droppedLines++;
      return;
    }
    this.carry.push(piece);
    this.carryBytes += piece.length;
  }

  /** Handles every complete line of buf from `from`; returns the offset after the last LF. */
  private scan(buf: Buffer, from: number): number {
    let start = from;
    let nl = buf.indexOf(LF, start);
    while (nl !== -1 && !this.finished) {
      const end = nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
      if (end === start) this.dispatch();
      else if (end - start >= 5 && bytesAt(buf, start, DATA)) this.data(buf, start + (buf[start + 5] === SPACE ? 6 : 5), end);
      // else: a comment (": OPENROUTER PROCESSING"), or event:/id:/retry: — nothing for metering
      start = nl + 1;
      nl = buf.indexOf(LF, start);
    }
    return this.finished ? buf.length : start;
  }

  private data(buf: Buffer, start: number, end: number): void {
    const ref = this.current;
    if (ref.buf === null) {
      ref.buf = buf;
      ref.start = start;
      ref.end = end;
    } else {
      (ref.more ??= []).push(buf.subarray(start, end));
    }
  }

  /** End of one event (blank line). */
  private dispatch(): void {
    const ref = this.current;
    if (ref.buf === null) return;
    if (ref.more === null && ref.end - ref.start === DONE.length && bytesAt(ref.buf, ref.start, DONE)) {
      this.done = true;
      ref.buf = null;
      this.finish();
      return;
    }
    this.events++;
    if (this.id === null && !this.takeId(ref)) this.read(ref);
    // Rotate: current becomes last; the oldest object is reused for the next event.
    const recycled = this.beforeLast;
    this.beforeLast = this.last;
    this.last = ref;
    recycled.buf = null;
    recycled.more = null;
    this.current = recycled;
  }

  /** [DONE] or end of stream: the usage (or error) is in the final events — the last, else the one before. */
  private finish(): void {
    this.finished = true;
    this.read(this.last);
    if (this.usage === null) this.read(this.beforeLast);
    this.beforeLast = this.last = this.current = emptyRef(); // drop chunk references
  }

  /**
   * OpenAI-compatible chunks start with `{"id":"…"`: the id without parsing the event (a JSON
   * parse per stream saved). False when the event is shaped otherwise (then it is parsed).
   */
  private takeId(ref: EventRef): boolean {
    if (ref.more !== null) return false;
    this.id = leadingId(ref.buf!, ref.start, ref.end);
    return this.id !== null;
  }

  private read(ref: EventRef): void {
    if (ref.buf === null) return;
    // Only events that can still tell metering something are parsed.
    if (this.id !== null && ref.more === null && !holds(ref, USAGE_KEY) && !holds(ref, ERROR_KEY)) return;
    let text = ref.buf.toString('utf8', ref.start, ref.end);
    if (ref.more) text += '\n' + ref.more.map((b) => b.toString('utf8')).join('\n');
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      return; // not JSON: nothing for metering (the customer still gets the bytes)
    }
    if (!event || typeof event !== 'object') return;
    const e = event as Record<string, unknown>;
    if (this.id === null && typeof e.id === 'string') this.id = e.id;
    if (this.model === null && typeof e.model === 'string') this.model = e.model;
    if (e.usage && typeof e.usage === 'object') {
      const usage = parseUsage(e.usage);
      if (usage) {
        this.usage = usage;
        this.rawUsage = e.usage;
      }
    }
    if (e.error && typeof e.error === 'object') {
      const err = e.error as Record<string, unknown>;
      this.error = {
        message: typeof err.message === 'string' ? err.message.slice(0, 500) : 'upstream error',
        code: typeof err.code === 'string' || typeof err.code === 'number' ? err.code : null,
      };
    }
  }
}

function holds(ref: EventRef, needle: Buffer): boolean {
  const at = ref.buf!.indexOf(needle, ref.start);
  return at !== -1 && at + needle.length <= ref.end;
}

function bytesAt(buf: Buffer, at: number, bytes: readonly number[]): boolean {
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}
