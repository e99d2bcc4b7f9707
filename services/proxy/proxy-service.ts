/** The proxy as a managed service of the host: listens on proxy.host:proxy.port. */
import type { Server } from 'node:http';
import type { ManagedService, ServiceContext } from '../host/service-runner.js';
import type { Settings } from '../config/schema.js';
import { createProxyServer, listen } from './proxy-server.js';

export class ProxyService implements ManagedService {
  readonly id = 'proxy';
  readonly name = 'Reselling proxy';
  private server: Server | undefined;
  /** The port actually bound (useful when proxy.port is 0). */
  port = 0;

  constructor(private readonly version: string) {}

  checkConfig(_settings: Settings): string | null {
    return null; // serves /health without an upstream; the metered routes check their own needs
  }

  async start(ctx: ServiceContext) {
    const s = ctx.settings;
    this.server = createProxyServer({ host: s['proxy.host'], port: s['proxy.port'], version: this.version, publicUrl: s['proxy.publicUrl'] });
    const address = await listen(this.server, s['proxy.host'], s['proxy.port']);
    this.port = address.port;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    return { reason: `listening on ${url}`, detail: { url, health: `${url}/health` } };
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
}
