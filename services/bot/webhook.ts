/**
 * Webhook mode: a small node:http listener for Telegram's POSTs. Every call must carry the
 * secret token given to setWebhook in `X-Telegram-Bot-Api-Secret-Token` (403 otherwise), on
 * the webhook URL's path (404 otherwise), as a JSON update of at most 1 MB. The answer is sent
 * once the update is handled (or after `answerWithinMs`), so a crash mid-update makes Telegram
 * deliver it again.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Update } from 'telegraf/types';

const MAX_BODY = 1024 * 1024;

export interface WebhookOptions {
  host: string;
  port: number;
  path: string;
  secretToken: string;
  onUpdate: (update: Update) => Promise<void>;
  onRejected?: (why: string, remote: string | undefined) => void;
  /** Answer Telegram after this long even if the update is still being handled. */
  answerWithinMs?: number;
}

export class WebhookServer {
  private server: Server | undefined;

  constructor(private readonly o: WebhookOptions) {}

  async start(): Promise<{ port: number }> {
    const server = createServer((req, res) => void this.serve(req, res));
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return { port: (server.address() as AddressInfo).port };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== this.o.path) return this.reject(res, 404, 'unknown path', req);
    if (req.method !== 'POST') return this.reject(res, 405, 'not a POST', req);
    if (!this.secretMatches(req.headers['x-telegram-bot-api-secret-token'])) return this.reject(res, 403, 'wrong or missing secret token', req);
    let body = '';
    let size = 0;
    try {
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY) return this.reject(res, 413, 'body too large', req);
        body += String(chunk);
      }
    } catch {
      return this.reject(res, 400, 'body not readable', req);
    }
    let update: Update;
    try {
      update = JSON.parse(body) as Update;
      if (typeof update !== 'object' || update === null || typeof update.update_id !== 'number') throw new Error('not an update');
    } catch {
      return this.reject(res, 400, 'not a JSON update', req);
    }
    // Handler errors are reported by the handler; Telegram must not retry a bad update forever.
    // A handler stuck behind Telegram's rate limits is answered after a while all the same.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.o.onUpdate(update).catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, this.o.answerWithinMs ?? 20_000))),
    ]);
    clearTimeout(timer);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }

  private secretMatches(header: string | string[] | undefined): boolean {
    if (typeof header !== 'string') return false;
    const a = Buffer.from(header);
    const b = Buffer.from(this.o.secretToken);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private reject(res: ServerResponse, status: number, why: string, req: IncomingMessage): void {
    this.o.onRejected?.(why, req.socket.remoteAddress);
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(status === 403 ? 'Forbidden' : why);
    req.resume();
  }
}
