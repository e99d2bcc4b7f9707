/**
 * An Esplora HTTP API stand-in (Blockstream's esplora/electrs, github.com/Blockstream/esplora
 * API.md) on 127.0.0.1 with a tiny in-memory chain, so the Bitcoin watcher is tested over real
 * sockets against the real JSON shapes.
 *
 *   GET /blocks/tip/height                       text: height of the last block
 *   GET /blocks/tip/hash                         text: its hash
 *   GET /block-height/:height                    text: hash of the block at that height
 *   GET /tx/:txid            /tx/:txid/status    transaction / its status
 *   GET /address/:addr/txs                       mempool txs (≤ 50) then the newest 25 confirmed, newest first
 *   GET /address/:addr/txs/chain[/:last_txid]    confirmed, 25 per page, after :last_txid
 *   GET /address/:addr/txs/mempool               unconfirmed (≤ 50)
 *
 * Test controls: addTx({ outputs: [{ address, sats }] }) → txid (enters the mempool), mine(n),
 * reorg(depth, { txs: 'mempool' | 'vanish' }) drops the last blocks (their txs go back to the
 * mempool, or disappear as if double-spent), failNext(status, times, match?) makes the next
 * (matching) requests fail, latencyMs delays every answer. Every request is recorded in `requests`;
 * `maxInFlight` is the most requests seen at once.
 * Run it alone:  npx tsx tests/fakes/esplora.ts [port]
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Address, NETWORK, OutScript, TEST_NETWORK } from '@scure/btc-signer';
import { hex } from '@scure/base';

type BTC_NETWORK = typeof NETWORK;

export type FakeBtcNetwork = 'mainnet' | 'testnet' | 'regtest';

const NETWORKS: Record<FakeBtcNetwork, BTC_NETWORK> = {
  mainnet: NETWORK,
  testnet: TEST_NETWORK,
  regtest: { ...TEST_NETWORK, bech32: 'bcrt' },
};

export interface FakeEsploraOptions {
  port?: number;
  network?: FakeBtcNetwork;
  /** Height of the tip when the fake starts (blocks 0..startHeight exist, empty). Default 100. */
  startHeight?: number;
  latencyMs?: number;
}

interface FakeOutput {
  address: string;
  sats: number;
}

interface FakeTx {
  txid: string;
  outputs: FakeOutput[];
  /** A made-up input so the JSON looks like a real spend. */
  prevTxid: string;
}

interface FakeBlock {
  hash: string;
  height: number;
  time: number;
  txids: string[];
}

/** Esplora's vout entry for an output. */
function voutJson(out: FakeOutput, network: BTC_NETWORK) {
  const script = OutScript.encode(Address(network).decode(out.address));
  const scriptHex = hex.encode(script);
  const program = scriptHex.slice(4);
  const type = script.length === 22 ? 'v0_p2wpkh' : script.length === 34 && script[0] === 0x51 ? 'v1_p2tr' : script.length === 34 ? 'v0_p2wsh' : 'unknown';
  return {
    scriptpubkey: scriptHex,
    scriptpubkey_asm: `${script[0] === 0 ? 'OP_0' : 'OP_PUSHNUM_1'} OP_PUSHBYTES_${program.length / 2} ${program}`,
    scriptpubkey_type: type,
    scriptpubkey_address: out.address,
    value: out.sats,
  };
}

export interface FakeEsplora {
  readonly baseUrl: string;
  readonly requests: string[];
  latencyMs: number;
  /** Most requests seen in flight at once. */
  readonly maxInFlight: number;
  tipHeight(): number;
  tipHash(): string;
  /** Puts a transaction paying `outputs` into the mempool; returns its txid. */
  addTx(tx: { outputs: Array<{ address: string; sats: number | bigint }> }): string;
  /** Mines `n` blocks (the first takes the whole mempool); returns their hashes. */
  mine(n?: number): string[];
  /** Drops the last `depth` blocks. Their transactions return to the mempool (default) or vanish. */
  reorg(depth: number, opts?: { txs?: 'mempool' | 'vanish' }): void;
  /** Answers the next `times` requests (whose path matches `match`, if given) with HTTP `status`. */
  failNext(status: number, times?: number, match?: RegExp): void;
  stop(): Promise<void>;
}

export async function startFakeEsplora(opts: FakeEsploraOptions = {}): Promise<FakeEsplora> {
  const network = NETWORKS[opts.network ?? 'regtest'];
  const txs = new Map<string, FakeTx>();
  const mempool: string[] = [];
  const blocks: FakeBlock[] = [];
  let salt = 0;
  let failures: { status: number; left: number; match: RegExp | undefined } | null = null;
  const requests: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const blockHash = (prev: string, height: number) => createHash('sha256').update(`${prev}:${height}:${salt++}`).digest('hex');
  const now = Math.floor(Date.now() / 1000);
  for (let h = 0; h <= (opts.startHeight ?? 100); h++) {
    blocks.push({ hash: blockHash(blocks[h - 1]?.hash ?? '', h), height: h, time: now - 600 * (1000 - h), txids: [] });
  }

  const blockOf = new Map<string, FakeBlock>();
  const reindex = () => {
    blockOf.clear();
    for (const b of blocks) for (const id of b.txids) blockOf.set(id, b);
  };

  function txJson(id: string) {
    const tx = txs.get(id)!;
    const block = blockOf.get(id);
    const vout = tx.outputs.map((o) => voutJson(o, network));
    const spent = tx.outputs.reduce((s, o) => s + o.sats, 0);
    return {
      txid: tx.txid,
      version: 2,
      locktime: 0,
      vin: [
        {
          txid: tx.prevTxid,
          vout: 0,
          prevout: { ...voutJson({ address: tx.outputs[0]!.address, sats: spent + 1000 }, network) },
          scriptsig: '',
          scriptsig_asm: '',
          witness: ['30440220' + '11'.repeat(64) + '01', '02' + '22'.repeat(32)],
          is_coinbase: false,
          sequence: 4294967293,
        },
      ],
      vout,
      size: 222,
      weight: 561,
      fee: 1000,
      status: block ? { confirmed: true, block_height: block.height, block_hash: block.hash, block_time: block.time } : { confirmed: false },
    };
  }

  const pays = (id: string, address: string) => txs.get(id)!.outputs.some((o) => o.address.toLowerCase() === address.toLowerCase());
  const mempoolFor = (address: string) => mempool.filter((id) => pays(id, address)).reverse();
  const chainFor = (address: string) => {
    const out: string[] = [];
    for (let i = blocks.length - 1; i >= 0; i--) for (const id of [...blocks[i]!.txids].reverse()) if (pays(id, address)) out.push(id);
    return out;
  };

  function route(path: string): { status: number; body: unknown; text?: boolean } {
    let m: RegExpExecArray | null;
    const tip = blocks[blocks.length - 1]!;
    if (path === '/blocks/tip/height') return { status: 200, body: String(tip.height), text: true };
    if (path === '/blocks/tip/hash') return { status: 200, body: tip.hash, text: true };
    if ((m = /^\/block-height\/(\d+)$/.exec(path))) {
      const b = blocks[Number(m[1])];
      return b ? { status: 200, body: b.hash, text: true } : { status: 404, body: 'Block not found', text: true };
    }
    if ((m = /^\/tx\/([0-9a-f]{64})(\/status)?$/.exec(path))) {
      if (!txs.has(m[1]!) || (!blockOf.has(m[1]!) && !mempool.includes(m[1]!))) return { status: 404, body: 'Transaction not found', text: true };
      const json = txJson(m[1]!);
      return { status: 200, body: m[2] ? json.status : json };
    }
    if ((m = /^\/address\/([^/]+)\/txs(?:\/(chain|mempool))?(?:\/([0-9a-f]{64}))?$/.exec(path))) {
      const address = decodeURIComponent(m[1]!);
      try {
        Address(network).decode(address);
      } catch {
        return { status: 400, body: 'Invalid Bitcoin address', text: true };
      }
      const kind = m[2];
      const chain = chainFor(address);
      if (kind === 'mempool') return { status: 200, body: mempoolFor(address).slice(0, 50).map(txJson) };
      if (kind === 'chain') {
        const start = m[3] ? chain.indexOf(m[3]) + 1 : 0;
        if (m[3] && start === 0) return { status: 200, body: [] };
        return { status: 200, body: chain.slice(start, start + 25).map(txJson) };
      }
      if (m[3]) return { status: 404, body: 'Not found', text: true };
      return { status: 200, body: [...mempoolFor(address).slice(0, 50), ...chain.slice(0, 25)].map(txJson) };
    }
    return { status: 404, body: 'Not found', text: true };
  }

  const fake = {
    baseUrl: '',
    requests,
    latencyMs: opts.latencyMs ?? 0,
    get maxInFlight() {
      return maxInFlight;
    },
    tipHeight: () => blocks[blocks.length - 1]!.height,
    tipHash: () => blocks[blocks.length - 1]!.hash,
    addTx(tx: { outputs: Array<{ address: string; sats: number | bigint }> }): string {
      if (tx.outputs.length === 0) throw new Error('a transaction needs at least one output');
      const outputs = tx.outputs.map((o) => {
        const sats = Number(o.sats);
        if (!Number.isSafeInteger(sats) || sats <= 0) throw new Error(`bad amount ${o.sats}`);
        Address(network).decode(o.address); // throws on a wrong-network address
        return { address: o.address, sats };
      });
      const txid = randomBytes(32).toString('hex');
      txs.set(txid, { txid, outputs, prevTxid: randomBytes(32).toString('hex') });
      mempool.push(txid);
      return txid;
    },
    mine(n = 1): string[] {
      const hashes: string[] = [];
      for (let i = 0; i < n; i++) {
        const prev = blocks[blocks.length - 1]!;
        const block: FakeBlock = { hash: blockHash(prev.hash, prev.height + 1), height: prev.height + 1, time: prev.time + 600, txids: i === 0 ? mempool.splice(0) : [] };
        blocks.push(block);
        hashes.push(block.hash);
      }
      reindex();
      return hashes;
    },
    reorg(depth: number, o: { txs?: 'mempool' | 'vanish' } = {}): void {
      if (depth < 1 || depth >= blocks.length) throw new Error(`cannot reorg ${depth} blocks`);
      const dropped = blocks.splice(blocks.length - depth, depth);
      const ids = dropped.flatMap((b) => b.txids);
      if ((o.txs ?? 'mempool') === 'mempool') mempool.unshift(...ids);
      else for (const id of ids) txs.delete(id);
      reindex();
    },
    failNext(status: number, times = 1, match?: RegExp): void {
      failures = { status, left: times, match };
    },
    stop: async () => {},
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(`${req.method} ${req.url}`);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    res.on('close', () => inFlight--);
    const answer = () => {
      if (failures && failures.left > 0 && (!failures.match || failures.match.test(path))) {
        failures.left--;
        res.writeHead(failures.status, { 'content-type': 'text/plain' }).end('fake failure');
        return;
      }
      if (req.method !== 'GET') {
        res.writeHead(405, { 'content-type': 'text/plain' }).end('Method not allowed');
        return;
      }
      const r = route(path);
      if (r.text) res.writeHead(r.status, { 'content-type': 'text/plain' }).end(String(r.body));
      else res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
    };
    if (fake.latencyMs > 0) setTimeout(answer, fake.latencyMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}`;
  fake.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fake = await startFakeEsplora({ port: Number(process.argv[2] ?? 0) });
  console.log(`fake Esplora on ${fake.baseUrl} (regtest), tip ${fake.tipHeight()}`);
}
