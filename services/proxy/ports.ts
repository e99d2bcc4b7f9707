/**
 * What the proxy needs from other capabilities, as small interfaces the composition root fills
 * in (services/host). Keeps the request path testable and free of their internals.
 */
import type { CustomerPrice } from '../pricing/customer-price.js';
import type { TailUsage } from '../upstream/completion-scan.js';

/** A model the proxy sells: the customer's price and the limits that bound a reservation. */
export interface OfferedModel {
  id: string;
  price: CustomerPrice;
  contextLength: number | null;
  maxCompletionTokens: number | null;
}

export interface PriceBook {
  /** undefined: not offered (unknown upstream price and no override). */
  get(modelId: string): OfferedModel | undefined;
  all(): OfferedModel[];
}

/** Hears one upstream answer as it arrives: onHead, onData…, then exactly one of onEnd / onError. */
export interface UpstreamSink {
  onHead(statusCode: number, headers: Record<string, string | string[] | undefined>): void;
  /** false pauses the upstream until `call.resume()`. */
  onData(chunk: Buffer): boolean;
  onEnd(): void;
  /** Before the head: an error with `kind` (timeout, unreachable) or the abort reason; after it: the transport error. */
  onError(error: unknown, afterHead: boolean): void;
}

export interface UpstreamCall {
  /** The customer is gone: stop the upstream request (the sink hears onError unless it ended). */
  abort(reason: Error): void;
  resume(): void;
}

export interface UpstreamUsage {
  promptTokens: number;
  completionTokens: number;
  /** What the upstream says it charged, when it says (OpenRouter's usage.cost). */
  costMicro: number | null;
  /** The same exactly, pUSD, when known: the minimum charge marks it up before rounding. */
  costPico?: number | null;
}

export interface UpstreamPort {
  /** Sends the chat body; the answer goes to the sink as it arrives. */
  relayChat(body: Buffer | string, options: { stream: boolean }, sink: UpstreamSink): UpstreamCall;
  /** Cost of a generation by id (after an aborted stream); null when it can't be known. */
  lookupGeneration(id: string): Promise<UpstreamUsage | null>;
}

/** Watches an SSE stream as it passes through: the generation id and the final usage. */
export interface StreamSniffer {
  push(chunk: Buffer): void;
  /** The upstream body ended or broke: look at the last events now (usage may sit there without [DONE]). */
  end(): void;
  readonly generationId: string | null;
  readonly usage: UpstreamUsage | null;
  /** data events seen (≈ completion tokens when usage never arrives). */
  readonly events: number;
  /** Saw `data: [DONE]`, the stream's last event. */
  readonly done: boolean;
}

export interface UsageParsing {
  createSniffer(): StreamSniffer;
  /**
   * usage of a non-streamed chat.completion body (its bytes, as the upstream sent them), and its
   * id; `tail` is where the usage object sits when it is the body's last key (else null).
   */
  fromCompletion(raw: Buffer): { usage: UpstreamUsage | null; generationId: string | null; tail: TailUsage | null };
  /** Conservative prompt-token estimate of the whole body (messages, tools, images). */
  estimatePromptTokens(body: Record<string, unknown>): number;
}
