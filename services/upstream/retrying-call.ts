/**
 * One upstream request, retried only where no charge can have happened: a failure before
 * undici started the request on a socket (DNS, refused, connect reset). Never after, never on
 * an HTTP status. GETs (models, credits, generation) cannot be billed, so they may also be
 * retried after a connection broke mid-way (`canRetryAfterSend`).
 *
 * The caller's UpstreamSink hears the answer as it arrives — onHead, onData…, then exactly one
 * of onEnd / onError — and a retry is invisible to it. onError gets, before the head, an
 * UpstreamError (after the retries) or the abort reason; after the head, the transport error as
 * undici gave it, or the abort reason.
 */
import type { Dispatcher } from 'undici';
import type { Logger } from '../log/logger.js';
import { Exchange, type ResponseHeaders, type ResponseSink, type SendFailure } from './dispatch.js';
import { errorCode, isRetryableBeforeSend, toUpstreamError } from './errors.js';

export interface UpstreamSink {
  onHead(statusCode: number, headers: ResponseHeaders): void;
  /** false pauses the upstream until `call.resume()`. */
  onData(chunk: Buffer): boolean;
  onEnd(): void;
  onError(error: unknown, afterHead: boolean): void;
}

/** A running upstream request, as its caller controls it. */
export interface UpstreamCall {
  /** Stops it (closing its socket when it was sent); the sink hears onError(reason) unless it already ended. */
  abort(reason: Error): void;
  /** After onData returned false: read on. */
  resume(): void;
  /** 1 + the number of retries so far. */
  readonly attempts: number;
}

export interface RetryPolicy {
  /** Delays before retry 1, 2, …: its length is the retry count. */
  delaysMs: readonly number[];
  /** Also retry after the request was sent (only for requests that cannot be billed). */
  canRetryAfterSend: boolean;
  log: Logger;
}

export class RetryingCall implements ResponseSink, UpstreamCall {
  attempts = 0;
  private exchange: Exchange | null = null;
  private timer: NodeJS.Timeout | null = null;
  private abortReason: Error | null = null;
  private over = false;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly request: Dispatcher.DispatchOptions,
    private readonly policy: RetryPolicy,
    private readonly sink: UpstreamSink,
  ) {}

  start(): this {
    this.attempts += 1;
    this.exchange = new Exchange(this);
    this.exchange.dispatch(this.dispatcher, this.request);
    return this;
  }

  abort(reason: Error): void {
    if (this.over) return;
    this.abortReason = reason;
    if (this.timer) {
      // Waiting to retry: nothing is on the wire.
      clearTimeout(this.timer);
      this.timer = null;
      this.finish(reason, false);
      return;
    }
    this.exchange?.abort(reason); // → onError below, with the reason
  }

  resume(): void {
    this.exchange?.resume();
  }

  onHead(statusCode: number, headers: ResponseHeaders): void {
    this.sink.onHead(statusCode, headers);
  }

  onData(chunk: Buffer): boolean {
    return this.sink.onData(chunk);
  }

  onEnd(): void {
    if (this.over) return;
    this.over = true;
    this.sink.onEnd();
  }

  onError(failure: SendFailure): void {
    if (this.over) return;
    const afterHead = this.exchange?.headSeen ?? false;
    if (this.abortReason) return this.finish(this.abortReason, afterHead);
    if (afterHead) return this.finish(failure.error, true);
    const retryable =
      isRetryableBeforeSend(failure.error, failure.requestSent) || (this.policy.canRetryAfterSend && isRetryableBeforeSend(failure.error, false));
    if (retryable && this.attempts <= this.policy.delaysMs.length) {
      this.policy.log.debug(
        { event: 'upstream.retry', attempt: this.attempts, code: errorCode(failure.error), requestSent: failure.requestSent },
        'upstream connection failed before the request was sent; retrying',
      );
      this.timer = setTimeout(() => {
        this.timer = null;
        this.start();
      }, this.policy.delaysMs[this.attempts - 1]);
      return;
    }
    this.finish(toUpstreamError(failure.error, failure.requestSent, this.attempts), false);
  }

  private finish(error: unknown, afterHead: boolean): void {
    this.over = true;
    this.sink.onError(error, afterHead);
  }
}
