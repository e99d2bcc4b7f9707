/**
 * The customer's address: the socket's, or — only when the socket is one of the configured
 * trusted proxies (a tunnel, a reverse proxy) — the last untrusted hop of X-Forwarded-For.
 * Anyone else can put anything in that header, so it is ignored from them.
 */
import type { IncomingMessage } from 'node:http';

function normalise(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function clientIp(req: IncomingMessage, trusted: ReadonlySet<string>): string {
  const socketIp = normalise(req.socket.remoteAddress ?? '');
  if (!trusted.has(socketIp)) return socketIp;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((h) => normalise(h.trim())).filter(Boolean);
  // Walk from the nearest hop back; the first one that is not ours is the client.
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.has(hops[i]!)) return hops[i]!;
  return hops[0] ?? socketIp;
}
