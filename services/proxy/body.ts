/**
 * Reading and checking a customer's request body: size limit (413), UTF-8 (400), JSON (400),
 * and the few fields metering needs. Everything else in the body is forwarded untouched.
 */
import type { IncomingMessage } from 'node:http';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 408,
    readonly code: string,
    message: string,
    /** The body's model when it named one before the mistake (for the refusal's record). */
    readonly model = '',
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limitBytes) {
      req.resume();
      return reject(new BodyError(413, 'request_too_large', `request body is ${declared} bytes; the limit is ${limitBytes}: send fewer or smaller images, or a shorter conversation`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyError(413, 'request_too_large', `request body is over the limit of ${limitBytes} bytes: send fewer or smaller images, or a shorter conversation`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', (err) => reject(err));
    req.on('aborted', () => reject(new BodyError(400, 'aborted', 'the client closed the connection while sending the body')));
  });
}

export interface ChatRequest {
  /** The parsed body (forwarded as is unless policy changes a field). */
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  maxTokens: number | null;
  /** Text and images of the messages, for the prompt-token estimate. */
  messages: unknown[];
}

export function parseChatBody(raw: Buffer): ChatRequest {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new BodyError(400, 'invalid_utf8', 'the request body is not valid UTF-8');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new BodyError(400, 'invalid_json', `the request body is not valid JSON: ${(err as Error).message}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BodyError(400, 'invalid_request', 'the request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) throw new BodyError(400, 'invalid_request', '"model" must be a non-empty string');
  const model = b.model;
  if (!Array.isArray(b.messages) || b.messages.length === 0) throw new BodyError(400, 'invalid_request', '"messages" must be a non-empty array', model);
  if (b.stream !== undefined && typeof b.stream !== 'boolean') throw new BodyError(400, 'invalid_request', '"stream" must be true or false', model);
  const field = b.max_completion_tokens !== undefined && b.max_completion_tokens !== null ? 'max_completion_tokens' : 'max_tokens';
  const maxTokens = b[field];
  if (maxTokens !== undefined && maxTokens !== null && (!Number.isInteger(maxTokens) || (maxTokens as number) < 1)) {
    throw new BodyError(400, 'invalid_request', `"${field}" must be a positive whole number`, model);
  }
  return { body: b, model: b.model, stream: b.stream === true, maxTokens: (maxTokens as number | undefined) ?? null, messages: b.messages };
}
