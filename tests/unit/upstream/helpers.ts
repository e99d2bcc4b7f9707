/** Shared bits of the upstream tests: a capturing logger and a port nothing listens on. */
import { createServer } from 'node:net';
import pino from 'pino';
import type { Logger } from '../../../services/log/logger.js';

export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (text: string) => lines.push(JSON.parse(text) as Record<string, unknown>) });
  return { logger, lines };
}

/** A port that was free a moment ago and is closed now: connecting to it is refused. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function readAll(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
