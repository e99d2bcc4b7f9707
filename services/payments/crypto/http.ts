/**
 * A small GET helper for the public HTTP APIs payments read (Esplora, CoinGecko): a timeout on
 * every request, and errors that say which service, which path and what went wrong, with the
 * base URL reduced to its origin (no credentials, no key in a path or query).
 */

export class HttpServiceError extends Error {
  override name = 'HttpServiceError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** "https://user:pw@host:8443/api?key=x" → "https://host:8443". Never throws. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

export interface GetOptions {
  service: string;
  timeoutMs: number;
  headers?: Record<string, string>;
}

/** GETs `base + path`; returns the body text of a 2xx answer, throws HttpServiceError otherwise. */
export async function httpGetText(base: string, path: string, opts: GetOptions): Promise<string> {
  const url = joinUrl(base, path);
  // Origin plus the path asked for: the base URL's own path and the query may carry API keys.
  const where = `${opts.service} ${safeOrigin(base)} GET ${path.split('?')[0]}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json, text/plain', ...opts.headers }, signal: AbortSignal.timeout(opts.timeoutMs) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new HttpServiceError(`${where}: no answer within ${opts.timeoutMs} ms`, null);
    const code = e.cause?.code;
    const why = code === 'ECONNREFUSED' ? 'ECONNREFUSED (nothing listens there)' : code === 'ENOTFOUND' ? 'ENOTFOUND (unknown host name)' : (code ?? e.message);
    throw new HttpServiceError(`${where}: ${why}`, null);
  }
  let body: string;
  try {
    body = await res.text();
  } catch (err) {
    throw new HttpServiceError(`${where}: the answer broke off (${(err as Error).message})`, res.status);
  }
  if (!res.ok) {
    const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new HttpServiceError(`${where}: HTTP ${res.status}${snippet ? ` "${snippet}"` : ''}`, res.status);
  }
  return body;
}

export async function httpGetJson(base: string, path: string, opts: GetOptions): Promise<unknown> {
  const text = await httpGetText(base, path, opts);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpServiceError(`${opts.service} ${safeOrigin(base)} GET ${path.split('?')[0]}: the answer is not JSON`, 200);
  }
}

/** Runs `fn` over `items` with at most `limit` at once; rejects with the first failure. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
