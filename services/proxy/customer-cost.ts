/**
 * The usage a customer sees. OpenRouter reports in `usage.cost` what it charged the owner, and
 * in `cost_details` / `is_byok` facts about the owner's account: passed through as they are,
 * every answer would show the customer the owner's cost, and so the margin. Where an answer's
 * usage carries them, `cost` becomes what the request costs the customer at their price (the
 * amount metering charges, from the balance or an allowance) and the account details are left
 * out. Token counts and everything else stay exactly as the upstream sent them; an answer
 * whose usage has no cost is not touched at all.
 *
 * Only the usage object is replaced, and only where `usage` is the answer's last key (how
 * OpenAI and OpenRouter send it; `usageAtTail` says why that is safe to find from the end).
 * Any other shape is forwarded unchanged.
 */
import { formatMicro } from '../money/units.js';
import { USAGE_KEY, usageAtTail, type TailUsage } from '../upstream/completion-scan.js';

/** About the owner's upstream account, not the customer's request. */
const OWNER_ONLY = new Set(['cost_details', 'is_byok']);
const DATA = Buffer.from('data:');
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const OPEN = 0x7b;
/** A usage event is a few hundred bytes; a longer unfinished line is written as it comes. */
const MAX_WAITING_LINE = 8 * 1024;

/** The usage object as the customer sees it, as JSON; null when it holds nothing of the owner's. */
export function customerUsageJson(usage: Record<string, unknown>, chargeMicro: number): string | null {
  const keys = Object.keys(usage);
  if (!keys.some((k) => k === 'cost' || OWNER_ONLY.has(k))) return null;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (OWNER_ONLY.has(k)) continue;
    // A JSON number in USD, as the upstream wrote it (whole µUSD: never an exponent).
    out[k] = k === 'cost' ? Number(formatMicro(chargeMicro, 0)) : usage[k];
  }
  return JSON.stringify(out);
}

/**
 * raw[from, to) — one JSON object — with its usage as the customer sees it; null when unchanged.
 * `tail`: usageAtTail(raw, from, to) when the caller has it already (the non-streamed answer's
 * usage was read for settlement: not parsed twice).
 */
export function withCustomerCost(raw: Buffer, from: number, to: number, chargeMicro: number, tail: TailUsage | null = usageAtTail(raw, from, to)): Buffer | null {
  if (!tail) return null;
  const json = customerUsageJson(tail.usage, chargeMicro);
  if (json === null) return null;
  return Buffer.concat([raw.subarray(from, tail.valueFrom), Buffer.from(json), raw.subarray(tail.valueTo, to)]);
}

/**
 * SSE bytes with their last usage event as the customer sees it; null when unchanged. The event
 * must sit whole on one `data:` line in `buf` (as OpenAI-compatible servers send it).
 */
export function withCustomerCostInStream(buf: Buffer, chargeMicro: number): Buffer | null {
  const event = lastUsageEvent(buf);
  if (!event) return null;
  const replaced = withCustomerCost(buf, event.from, event.to, chargeMicro);
  if (!replaced) return null;
  return Buffer.concat([buf.subarray(0, event.from), replaced, buf.subarray(event.to)]);
}

/**
 * Where the stream bytes that must wait for the next read start (buf.length: none). The relay
 * writes each read's bytes at once except these, so that the usage event is still in hand when
 * the stream's usage is known (at `[DONE]` or the end) and its cost can be replaced:
 *  - a whole usage event that ends the bytes so far;
 *  - an unfinished last line of up to MAX_WAITING_LINE bytes (it may be that event). No SSE
 *    reader can use half a line, so the customer loses nothing by getting it with its end.
 */
export function waitingFrom(buf: Buffer): number {
  const usage = trailingUsageEventStart(buf);
  if (usage !== -1) return usage;
  const partial = buf.lastIndexOf(LF) + 1;
  return buf.length - partial <= MAX_WAITING_LINE ? partial : buf.length;
}

/**
 * Where the data line holding the last `"usage":` in buf starts (its `data:`), when that event is
 * whole and the last thing in buf — nothing but its blank line may follow — and carries an
 * object. -1 otherwise.
 */
export function trailingUsageEventStart(buf: Buffer): number {
  const event = lastUsageEvent(buf);
  // `"usage":null` (OpenAI sends it in every chunk when asked for usage) has nothing to replace.
  if (!event || buf[event.value] !== OPEN) return -1;
  for (let i = event.to; i < buf.length; i++) if (buf[i] !== LF && buf[i] !== CR) return -1;
  return event.lineStart;
}

/** The data of the line holding the last `"usage":` key in buf: [from, to), where its line starts, and where the key's value does. */
function lastUsageEvent(buf: Buffer): { lineStart: number; from: number; to: number; value: number } | null {
  const key = buf.lastIndexOf(USAGE_KEY);
  if (key === -1) return null;
  const lineStart = buf.lastIndexOf(LF, key) + 1;
  const lineEnd = buf.indexOf(LF, key);
  if (lineEnd === -1) return null; // the event goes on past these bytes
  if (buf.compare(DATA, 0, DATA.length, lineStart, lineStart + DATA.length) !== 0) return null;
  const from = lineStart + DATA.length + (buf[lineStart + DATA.length] === SPACE ? 1 : 0);
  const to = buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
  let value = key + USAGE_KEY.length;
  while (buf[value] === SPACE) value++;
  return { lineStart, from, to, value };
}
