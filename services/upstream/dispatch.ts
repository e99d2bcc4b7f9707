/**
 * One HTTP exchange on an undici dispatcher, through its documented DispatchHandler API, so we
 * learn the one fact retries depend on: whether the request was started on a socket.
 * undici calls `onRequestStart` right before it writes the request to a connected socket; a
 * failure before that (DNS, refused, connect reset) cannot have reached the upstream, so it
 * cannot have been billed. `undici.request()` hides that moment, hence this small handler.
 *
 * The response body is a plain Node Readable with backpressure (pause/resume of the socket),
 * so the proxy can pipe SSE to its customer as the bytes arrive. Destroying the body, or
 * aborting the signal, aborts the upstream request (and closes that socket).
 */
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface RawResponse {
  statusCode: number;
  /** Lower-cased names. */
  headers: ResponseHeaders;
  /** Always consume or destroy it: until then the connection stays busy (backpressure). */
  body: Readable;
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

export function send(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal?: AbortSignal): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new SendFailure(signal.reason, false));
      return;
    }
    const handler = new ResponseHandler(resolve, reject, signal);
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      handler.fail(error);
    }
  });
}

class ResponseHandler implements Dispatcher.DispatchHandler {
  requestSent = false;
  private controller: Dispatcher.DispatchController | null = null;
  private body: Readable | null = null;
  private settled = false;
  private finished = false;
  private abortReason: unknown = null;
  private readonly onAbort: (() => void) | null = null;

  constructor(
    private readonly resolve: (r: RawResponse) => void,
    private readonly reject: (e: SendFailure) => void,
    private readonly signal?: AbortSignal,
  ) {
    if (signal) {
      this.onAbort = () => {
        this.abortReason = signal.reason ?? new Error('aborted');
        if (this.controller) this.controller.abort(this.abortReason as Error);
        else this.fail(this.abortReason); // still queued: undici aborts it in onRequestStart
      };
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason !== null) {
      controller.abort(this.abortReason as Error);
      return;
    }
    this.requestSent = true;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders): void {
    if (statusCode < 200) return; // 1xx informational; the real head follows
    this.body = new Readable({
      read: () => controller.resume(),
      destroy: (error, callback) => {
        // The consumer gave up (customer disconnected): stop the upstream too.
        if (!this.finished) controller.abort(error ?? new Error('response body destroyed'));
        callback(error);
      },
    });
    this.settled = true;
    this.resolve({ statusCode, headers, body: this.body });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.body && !this.body.push(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    this.finished = true;
    this.cleanup();
    this.body?.push(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.finished = true;
    this.fail(error);
  }

  fail(error: unknown): void {
    this.cleanup();
    if (!this.settled) {
      this.settled = true;
      this.reject(new SendFailure(error, this.requestSent));
    } else if (this.body && !this.body.destroyed) {
      this.body.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private cleanup(): void {
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** Reads a whole body, refusing more than `limit` bytes (a broken upstream must not fill memory). */
export async function readBody(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new Error(`upstream response larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
