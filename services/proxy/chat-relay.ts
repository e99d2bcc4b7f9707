/**
 * The second half of a metered chat request: forward the body, relay the answer to the
 * customer as it arrives, and settle to the actual cost on every exit path — success, upstream
 * error status, upstream failure before or during the answer, client disconnect.
 *
 * One ChatRelay object per request is the upstream call's sink: upstream chunks go straight to
 * the customer's socket from undici's callbacks (no stream object, promise or closure per
 * chunk; see docs/benchmarks.md). A streamed answer arrives as one body piece per SSE event —
 * ~16 per answer, most of them from the same socket read — so the pieces of one read are
 * written to the customer as one chunk (at the end of that read, in a microtask) rather than
 * one res.write() each: the bytes are the same, the HTTP layer's work per write is paid once.
 * Backpressure: when the customer's socket is full the upstream pauses until it drains.
 * The answer's usage shows the customer's cost, not the owner's (customer-cost.ts).
 */
import type { ServerResponse } from 'node:http';
import type { ProxyRequestEvent } from '../contract.js';
import type { KeyRecord } from '../keys/key-store.js';
import type { Logger } from '../log/logger.js';
import type { Meter, OpenHold, Settlement } from '../metering/meter.js';
import { settleChargeMicro, upstreamCostMicro } from '../pricing/customer-price.js';
import type { OfferedModel, StreamSniffer, UpstreamCall, UpstreamPort, UpstreamSink, UpstreamUsage, UsageParsing } from './ports.js';
import { waitingFrom, withCustomerCost, withCustomerCostInStream } from './customer-cost.js';
import { sendUpstreamFailure, upstreamStatusToClient } from './upstream-errors.js';
import { troubleFromError, type UpstreamTrouble } from './upstream-trouble.js';

export interface RelayDeps {
  meter: Meter;
  upstream: UpstreamPort;
  usage: UsageParsing;
  onRequest: (event: ProxyRequestEvent) => void;
  logger?: Logger;
  /** An upstream failure the owner should hear about (the customer got an error or a broken stream). */
  onUpstreamTrouble?: (trouble: UpstreamTrouble) => void;
}

/**
 * What the relay keeps of a request while the upstream answers: not the parsed body (it is
 * forwarded already, and holding it across the round trip would only make the garbage
 * collector copy it).
 */
export interface RelayRequest {
  key: KeyRecord;
  stream: boolean;
  offered: OfferedModel;
  /** What the meter holds for it (settled with it); also its request id and model. */
  hold: OpenHold;
  /** performance.now() when the request arrived. */
  started: number;
  promptEstimate: number;
}

/** Stream pieces held back for one write stop there: past this many bytes they are written at once (backpressure stays per piece). */
const BURST_BYTES = 16 * 1024;
/** An upstream error body is read for its message, never kept whole. */
const ERROR_BODY_LIMIT = 64 * 1024;
const CUSTOMER_LEFT = 'the customer closed the connection';

type Outcome = Settlement['record']['outcome'];

export class ChatRelay implements UpstreamSink {
  private call: UpstreamCall | null = null;
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private sniffer: StreamSniffer | null = null;
  /** The non-streamed answer, or an error answer's first 64 KiB. */
  private chunks: Buffer[] = [];
  private size = 0;
  /** Stream pieces of the current socket read, not yet written to the customer. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushQueued = false;
  private waitingDrain = false;
  /** The stream's `data: [DONE]` was relayed and the customer's response ended with it. */
  private complete = false;
  private clientGone = false;
  private over = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly deps: RelayDeps,
    private readonly req: RelayRequest,
    /** Called once, when the request is settled (releases the per-key concurrency slot). */
    private readonly onFinished: () => void,
  ) {}

  start(body: Buffer | string): void {
    this.res.on('close', this.onClose);
    this.call = this.deps.upstream.relayChat(body, { stream: this.req.stream }, this);
  }

  private readonly onClose = (): void => {
    if (this.res.writableFinished || this.over) return;
    this.clientGone = true;
    this.call?.abort(new Error(CUSTOMER_LEFT));
  };

  private readonly onDrain = (): void => {
    this.waitingDrain = false;
    this.call?.resume();
  };

  /** Writes what the current read brought (queued by onData). */
  private readonly flush = (): void => {
    this.flushQueued = false;
    if (this.pending.length === 0) return;
    if (this.res.writableEnded || this.res.destroyed) return this.dropPending();
    let out = this.takePending();
    // A usage event (or a line not yet whole) that ends this read waits for the next one —
    // usually `[DONE]` — when the stream's usage is known and its cost can be shown at the
    // customer's price (customer-cost.ts).
    const waiting = waitingFrom(out);
    if (waiting < out.length) {
      this.pending = [out.subarray(waiting)];
      this.pendingBytes = out.length - waiting;
      if (waiting === 0) return;
      out = out.subarray(0, waiting);
    }
    if (!this.res.write(out) && !this.waitingDrain) {
      this.waitingDrain = true;
      this.res.once('drain', this.onDrain);
    }
  };

  /** The last stream bytes, with the usage event's cost at the customer's price (see customer-cost.ts). */
  private forCustomer(bytes: Buffer): Buffer {
    const usage = this.sniffer?.usage;
    if (!usage) return bytes;
    return withCustomerCostInStream(bytes, this.chargeFor(usage)) ?? bytes;
  }

  /** What the customer pays for this usage: the amount settlement charges (settleRequest). */
  private chargeFor(usage: UpstreamUsage): number {
    return settleChargeMicro(this.req.offered.price, usage);
  }

  private takePending(): Buffer {
    const pieces = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  private dropPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  onHead(statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    this.headers = headers;
    if (statusCode !== 200 || !this.req.stream) return;
    this.sniffer = this.deps.usage.createSniffer();
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-arbdesk-request-id': this.req.hold.requestId,
    });
  }

  onData(chunk: Buffer): boolean {
    const sniffer = this.sniffer;
    if (sniffer === null) {
      // A whole answer to read first: the non-streamed completion, or an error status.
      if (this.status === 200 || this.size < ERROR_BODY_LIMIT) this.chunks.push(chunk);
      this.size += chunk.length;
      return true;
    }
    if (this.complete) return true;
    sniffer.push(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (sniffer.done) {
      // `data: [DONE]` is the last event of an OpenAI-compatible stream: the customer's response
      // ends in the write that carried it, so the chunked terminator leaves in the same system
      // call. Anything after it is not forwarded, and an upstream that breaks off after it has
      // delivered the whole answer.
      this.complete = true;
      this.res.end(this.forCustomer(this.takePending()));
      return true;
    }
    if (this.pendingBytes >= BURST_BYTES) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flush);
    }
    // Pause the upstream while the customer's socket is backed up (the piece waits in `pending`).
    return !this.res.writableNeedDrain;
  }

  onEnd(): void {
    if (this.status !== 200) {
      const trouble = upstreamStatusToClient(this.res, this.status, Buffer.concat(this.chunks), this.headers);
      if (trouble) this.deps.onUpstreamTrouble?.(trouble);
      // Recorded with the status the customer got (an upstream 500 reaches them as 502).
      this.settle('upstream_error', this.res.statusCode, null, null);
      return this.finish();
    }
    if (this.sniffer) return this.streamEnded();
    const raw = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    // Forwarded as is; an answer without usage is settled from the generation look-up below.
    const found = this.deps.usage.fromCompletion(raw);
    const body = (found.usage && found.tail ? withCustomerCost(raw, 0, raw.length, this.chargeFor(found.usage), found.tail) : null) ?? raw;
    this.res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'x-arbdesk-request-id': this.req.hold.requestId });
    this.res.end(body);
    // The customer has the answer; only an upstream that omitted usage makes us ask for it.
    if (found.usage || !found.generationId) {
      this.settle('ok', 200, found.usage ?? this.estimate(0), found.generationId);
      return this.finish();
    }
    void this.settleLookedUp(found.generationId, 'ok', 200, 0);
  }

  onError(error: unknown): void {
    const sniffer = this.sniffer;
    if (sniffer !== null && this.complete) return this.streamEnded(); // broke off after [DONE]: the answer was whole
    if (sniffer !== null) {
      // Mid-stream: the customer pays what the upstream generated (its usage, or by id).
      sniffer.end();
      const outcome = this.clientGone ? 'client_aborted' : 'upstream_error';
      if (!this.clientGone) this.deps.onUpstreamTrouble?.({ kind: 'dropped_stream' });
      this.dropPending();
      if (!this.clientGone) this.res.destroy(); // the customer's stream ends broken, as the upstream's did
      return this.settleFromStream(outcome, this.clientGone ? 499 : 502);
    }
    if (this.clientGone) {
      this.settle('client_aborted', 499, null, null);
      return this.finish();
    }
    const trouble: UpstreamTrouble = this.res.headersSent ? { kind: 'dropped_stream' } : troubleFromError(error);
    // Recorded as the customer gets it: 504 for a timeout, 502 otherwise (sendUpstreamFailure).
    const timedOut = trouble.kind === 'timeout';
    this.settle(timedOut ? 'timeout' : 'upstream_error', timedOut ? 504 : 502, null, null);
    this.deps.onUpstreamTrouble?.(trouble);
    if (!this.res.headersSent) sendUpstreamFailure(this.res, error);
    else this.res.destroy();
    this.finish();
  }

  /** The stream ended (or broke off after its last event): settle from its usage. */
  private streamEnded(): void {
    const sniffer = this.sniffer!;
    sniffer.end();
    if (!this.res.writableEnded) this.res.end(this.pending.length ? this.forCustomer(this.takePending()) : undefined);
    this.settleFromStream('ok', 200);
  }

  private settleFromStream(outcome: Outcome, status: number): void {
    const sniffer = this.sniffer!;
    if (sniffer.usage || !sniffer.generationId) {
      this.settle(outcome, status, sniffer.usage ?? this.estimate(sniffer.events), sniffer.generationId);
      return this.finish();
    }
    void this.settleLookedUp(sniffer.generationId, outcome, status, sniffer.events);
  }

  /**
   * The upstream never said what it charged: ask it by generation id (after the customer has the
   * answer; the request's latency is the customer's, not the look-up's). A stopping host lets
   * look-ups finish or cuts them short before its ledger closes (ProxyService.finishLookups);
   * should the ledger be closed all the same, the request is left to Meter.reconcile at start.
   */
  private async settleLookedUp(generationId: string, outcome: Outcome, status: number, events: number): Promise<void> {
    const answeredAt = performance.now();
    const looked = await this.deps.upstream.lookupGeneration(generationId).catch(() => null);
    try {
      this.settle(outcome, status, looked ?? this.estimate(events), generationId, answeredAt);
    } catch (error) {
      this.deps.logger?.warn(
        { event: 'proxy.settle_failed', requestId: this.req.hold.requestId, err: (error as Error).message },
        'a request answered before the proxy stopped could not be settled; the next start records it',
      );
    }
    this.finish();
  }

  /** When the upstream never says: the prompt estimate plus one token per streamed event. */
  private estimate(completionTokens: number): UpstreamUsage {
    return { promptTokens: this.req.promptEstimate, completionTokens, costMicro: null };
  }

  private finish(): void {
    if (this.over) return;
    this.over = true;
    this.res.off('close', this.onClose);
    this.res.off('drain', this.onDrain);
    this.onFinished();
  }

  private settle(outcome: Outcome, status: number, usage: UpstreamUsage | null, generationId: string | null, answeredAt?: number): void {
    settleRequest(this.deps, this.req, outcome, status, usage, generationId, answeredAt);
  }
}

/** Settles the request's hold to its actual charge, records it and tells the host (a no-op the second time). */
function settleRequest(
  deps: RelayDeps,
  req: RelayRequest,
  outcome: Outcome,
  status: number,
  usage: UpstreamUsage | null,
  generationId: string | null,
  answeredAt = performance.now(),
): void {
  const latencyMs = Math.round(answeredAt - req.started);
  const u = usage ?? { promptTokens: 0, completionTokens: 0, costMicro: null };
  const price = req.offered.price;
  const at = new Date().toISOString();
  const settled = deps.meter.settle({
    requestId: req.hold.requestId,
    hold: req.hold,
    at,
    chargeMicro: usage ? settleChargeMicro(price, u) : 0,
    upstreamCostMicro: usage ? (u.costMicro ?? upstreamCostMicro(price, u.promptTokens, u.completionTokens) ?? 0) : 0,
    record: { stream: req.stream, status, outcome, promptTokens: u.promptTokens, completionTokens: u.completionTokens, latencyMs, generationId },
  });
  if (!settled) return;
  deps.onRequest({
    requestId: req.hold.requestId,
    at,
    keyId: req.key.id,
    customerId: req.key.customerId,
    model: req.hold.model,
    stream: req.stream,
    status,
    outcome,
    latencyMs,
    promptTokens: u.promptTokens,
    completionTokens: u.completionTokens,
    chargedMicro: settled.chargedMicro,
    upstreamCostMicro: settled.upstreamCostMicro,
    profitMicro: settled.profitMicro,
    allowanceTokens: settled.allowanceTokens,
  });
}
