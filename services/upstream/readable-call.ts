/**
 * An upstream call as a promise of its head with the body as a Node Readable (backpressure by
 * pause/resume of the socket): for the small JSON endpoints and for callers that want a stream.
 * The proxy's hot path uses the sink directly instead (chat-relay.ts).
 *
 * Destroying the body, or aborting the signal, aborts the upstream request (and closes that
 * socket). Before the head, an abort rejects with the signal's reason.
 */
import { Readable } from 'node:stream';
import type { ResponseHeaders } from './dispatch.js';
import type { UpstreamCall, UpstreamSink } from './retrying-call.js';

export interface RawResponse {
  statusCode: number;
  /** Lower-cased names. */
  headers: ResponseHeaders;
  /** Always consume or destroy it: until then the connection stays busy (backpressure). */
  body: Readable;
  /** 1 + the number of retries it took. */
  attempts: number;
}

export function toReadable(start: (sink: UpstreamSink) => UpstreamCall, signal?: AbortSignal): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let call: UpstreamCall | null = null;
    let body: Readable | null = null;
    const onAbort = () => call?.abort((signal?.reason as Error | undefined) ?? new Error('aborted'));
    const cleanup = () => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });
    call = start({
      onHead(statusCode, headers) {
        const running = call!;
        body = new Readable({
          read: () => running.resume(),
          destroy: (error, callback) => {
            // The consumer gave up: stop the upstream too (a no-op once the body has ended).
            running.abort(error ?? new Error('response body destroyed'));
            callback(error);
          },
        });
        resolve({ statusCode, headers, body, attempts: running.attempts });
      },
      onData: (chunk) => body!.push(chunk),
      onEnd() {
        cleanup();
        body!.push(null);
      },
      onError(error) {
        cleanup();
        if (!body) reject(error);
        else if (!body.destroyed) body.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    });
  });
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
