/**
 * One HTTP exchange on an undici dispatcher, through its documented DispatchHandler API, so we
 * learn the one fact retries depend on: whether the request was started on a socket.
 * undici calls `onRequestStart` right before it writes the request to a connected socket; a
 * failure before that (DNS, refused, connect reset) cannot have reached the upstream, so it
 * cannot have been billed. `undici.request()` hides that moment, hence this small handler.
 *
 * The answer goes to a ResponseSink as it arrives — head, each body chunk, then end or error —
 * with no stream object in between: the proxy writes each chunk straight to its customer's
 * socket (a Readable per response cost about a fifth of the proxy's CPU, docs/benchmarks.md).
 * Backpressure: a sink that returns false from onData pauses the upstream socket until
 * `resume()`. Callers that want a Readable use `toReadable` (retrying-call.ts).
 */
import type { Dispatcher } from 'undici';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** Receives one exchange: onHead, onData…, then exactly one of onEnd / onError. */
export interface ResponseSink {
  onHead(statusCode: number, headers: ResponseHeaders): void;
  /** A body chunk (a fresh Buffer each time); false pauses the upstream until `resume()`. */
  onData(chunk: Buffer): boolean;
  onEnd(): void;
  /** The last call: the exchange failed, before the head or mid-body (`Exchange.headSeen`). */
  onError(failure: SendFailure): void;
}

/** A failed exchange, with whether any of the request may have been written. */
export class SendFailure extends Error {
  override name = 'SendFailure';
  constructor(
    readonly error: unknown,
    readonly requestSent: boolean,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

export class Exchange implements Dispatcher.DispatchHandler {
  /** undici started writing the request to a socket: the upstream may have billed it. */
  requestSent = false;
  /** The response head reached the sink. */
  headSeen = false;
  private controller: Dispatcher.DispatchController | null = null;
  private over = false;
  private abortReason: Error | null = null;

  constructor(private readonly sink: ResponseSink) {}

  /** Sends the request; the sink hears everything from here on (a synchronous failure too). */
  dispatch(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): this {
    try {
      dispatcher.dispatch(options, this);
    } catch (error) {
      this.fail(error);
    }
    return this;
  }

  resume(): void {
    if (!this.over) this.controller?.resume();
  }

  /** Stops the exchange (closing its socket); the sink hears onError(reason) now, unless it already ended. */
  abort(reason: Error): void {
    if (this.over) return;
    this.abortReason = reason;
    // Still queued in undici (no controller yet): it is aborted in onRequestStart.
    this.controller?.abort(reason);
    this.fail(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason !== null) {
      controller.abort(this.abortReason);
      return;
    }
    this.requestSent = true;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders): void {
    if (this.over || statusCode < 200) return; // 1xx informational; the real head follows
    this.headSeen = true;
    this.sink.onHead(statusCode, headers);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.over && !this.sink.onData(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    if (this.over) return;
    this.over = true;
    this.sink.onEnd();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  private fail(error: unknown): void {
    if (this.over) return;
    this.over = true;
    this.sink.onError(new SendFailure(error, this.requestSent));
  }
}
