import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EvmRpc } from '../../../../services/payments/crypto/evm-rpc.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('Ethereum RPC errors', () => {
  it('name the method and the origin, never the key in the URL path', async () => {
    server = createServer((_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid project id"}'));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const rpc = new EvmRpc(`http://127.0.0.1:${port}/v3/SECRET-PROJECT-KEY`, 1, 2_000);
    const err = (await rpc.blockNumber().catch((e: Error) => e)) as Error;
    rpc.destroy();
    expect(err.message).toBe(`Ethereum RPC http://127.0.0.1:${port} eth_blockNumber failed: server response 401 Unauthorized`);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => new EvmRpc('ws://127.0.0.1:8545', 1, 1_000)).toThrow('payments.eth.rpcUrl must be an http:// or https:// URL');
  });
});
