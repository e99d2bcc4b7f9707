/**
 * ChatRelay's contract with the upstream call, step by step: a real node:http server and
 * client for the customer's side, a real Meter on an in-memory ledger, and a scripted upstream
 * call in place of undici (so the test decides exactly when each chunk, end or failure
 * arrives — the end-to-end paths are in tests/integration/proxy-openai.test.ts).
 */
import Database from 'better-sqlite3';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Customers } from '../../../services/customers/customers.js';
import { migrate } from '../../../services/db/database.js';
import { migrations } from '../../../services/db/migrations/index.js';
import type { KeyRecord } from '../../../services/keys/key-store.js';
import { Accounts } from '../../../services/ledger/accounts.js';
import { Ledger } from '../../../services/ledger/ledger.js';
import { Meter } from '../../../services/metering/meter.js';
import type { CustomerPrice } from '../../../services/pricing/customer-price.js';
import { ChatRelay } from '../../../services/proxy/chat-relay.js';
import type { UpstreamCall, UpstreamSink, UpstreamUsage } from '../../../services/proxy/ports.js';
import { usageParsing } from '../../../services/proxy/usage-parsing.js';
import { waitFor } from '../../helpers/wait.js';

const price = { model: 'm/one', promptPico: 1_000_000, completionPico: 2_000_000, requestPico: 0, source: 'markup', markupBps: 0, upstream: null } as unknown as CustomerPrice;
const HOLD = 1_000_000;

/** The upstream call as the relay sees it, driven by the test. */
class ScriptedCall implements UpstreamCall {
  sink!: UpstreamSink;
  resumes = 0;
  aborted: Error | null = null;
  abort(reason: Error): void {
    this.aborted = reason;
    this.sink.onError(reason, true); // as RetryingCall does: the sink hears the abort at once
  }
  resume(): void {
    this.resumes += 1;
  }
}

let db: Database.Database;
let ledger: Ledger;
let meter: Meter;
let customerId: string;
let server: Server;
let call: ScriptedCall;
let finished: number;
let lookups: string[];
const events: { outcome: string; chargedMicro: number; status: number }[] = [];
const troubles: unknown[] = [];

const sse = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;

beforeEach(async () => {
  db = new Database(':memory:');
  migrate(db, migrations);
  ledger = new Ledger(db);
  meter = new Meter(db, ledger);
  customerId = new Customers(db).add({ name: 'Alice' }).id;
  ledger.post({ kind: 'credit', customerId, memo: 'test', entries: [{ account: Accounts.receipts('manual'), amount: 5_000_000 }, { account: Accounts.available(customerId), amount: -5_000_000 }] });
  call = new ScriptedCall();
  finished = 0;
  lookups = [];
  events.length = 0;
  troubles.length = 0;
  let n = 0;
  server = createServer((req, res) => {
    n += 1;
    const requestId = `r${n}`;
    const reserved = meter.reserve({ requestId, customerId, keyId: 'k1', model: 'm/one', amountMicro: HOLD, tokens: 0 });
    if (!reserved.ok) throw new Error('the hold should fit the balance');
    const deps = {
      meter,
      usage: usageParsing,
      onRequest: (e: { outcome: string; chargedMicro: number; status: number }) => events.push(e),
      onUpstreamTrouble: (t: unknown) => troubles.push(t),
      upstream: {
        relayChat: (_body: Buffer | string, _o: { stream: boolean }, sink: UpstreamSink) => {
          call.sink = sink;
          return call;
        },
        lookupGeneration: (id: string): Promise<UpstreamUsage | null> => {
          lookups.push(id);
          return Promise.resolve({ promptTokens: 10, completionTokens: 7, costMicro: null });
        },
      },
    };
    const stream = req.headers['x-stream'] === '1';
    const key = { id: 'k1', customerId } as KeyRecord;
    new ChatRelay(res, deps, { key, stream, offered: { id: 'm/one', price, contextLength: null, maxCompletionTokens: null }, hold: reserved.hold, started: performance.now(), promptEstimate: 10 }, () => (finished += 1)).start('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  expect(ledger.checkInvariants()).toEqual([]);
});

function open(stream: boolean): Promise<IncomingMessage> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const r = request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers: { 'x-stream': stream ? '1' : '0' } }, resolve);
    r.on('error', reject);
    r.end('{}');
  });
}

const held = () => ledger.customerBalance(customerId).heldMicro;

describe('ChatRelay', () => {
  it('pauses the upstream while the customer reads nothing, resumes when it reads, and settles from the final usage', async () => {
    const responding = open(true);
    await waitFor(() => call.sink, (s) => s !== undefined, { what: 'the relay to start the upstream call' });
    call.sink.onHead(200, { 'content-type': 'text/event-stream' });
    const filler = sse({ id: 'gen-1', choices: [{ delta: { content: 'x'.repeat(64 * 1024) } }] });
    let sent = 0;
    let flowing = true;
    // The customer's socket fills (kernel buffers, then the response's own): onData says stop.
    while (flowing && sent < 2_000) {
      flowing = call.sink.onData(Buffer.from(filler));
      sent += 1;
    }
    expect(flowing).toBe(false);
    expect(call.resumes).toBe(0);
    const response = await responding; // node:http sends the head with the first chunk
    let got = '';
    response.setEncoding('utf8');
    response.on('data', (d: string) => (got += d));
    const ended = new Promise((resolve) => response.on('end', resolve));
    response.resume();
    await waitFor(() => call.resumes, (r) => r === 1, { what: 'the relay to resume the upstream once the customer drained' });
    call.sink.onData(Buffer.from(sse({ id: 'gen-1', choices: [], usage: { prompt_tokens: 10, completion_tokens: 500 } }) + 'data: [DONE]\n\n'));
    call.sink.onEnd();
    await ended;
    expect(got.split('data: {"id":"gen-1","choices":[{').length - 1).toBe(sent);
    expect(got.endsWith('data: [DONE]\n\n')).toBe(true);
    // 10 prompt × 1 µUSD + 500 completion × 2 µUSD, from the usage the upstream reported
    expect(events).toEqual([expect.objectContaining({ outcome: 'ok', status: 200, chargedMicro: 1_010 })]);
    expect(held()).toBe(0);
    expect(finished).toBe(1);
    expect(lookups).toEqual([]);
  });

  it('a customer who leaves mid-stream aborts the upstream and pays what it generated (looked up by id)', async () => {
    const responding = open(true);
    await waitFor(() => call.sink, (s) => s !== undefined, { what: 'the relay to start the upstream call' });
    call.sink.onHead(200, {});
    call.sink.onData(Buffer.from(sse({ id: 'gen-9', choices: [{ delta: { content: 'hello' } }] })));
    const response = await responding;
    await new Promise((resolve) => response.once('data', resolve));
    response.destroy();
    await waitFor(() => events.length, (n) => n === 1, { what: 'the aborted request to be settled' });
    expect(call.aborted?.message).toMatch(/customer closed/);
    expect(lookups).toEqual(['gen-9']);
    expect(events[0]).toMatchObject({ outcome: 'client_aborted', status: 499, chargedMicro: 10 + 14 });
    expect(held()).toBe(0);
    expect(finished).toBe(1);
  });

  it('an upstream that fails before answering: the customer gets 504 in OpenAI\'s shape and the hold is released uncharged', async () => {
    const responding = open(false);
    await waitFor(() => call.sink, (s) => s !== undefined, { what: 'the relay to start the upstream call' });
    call.sink.onError({ kind: 'timeout', message: 'headers timeout' }, false);
    const response = await responding;
    let body = '';
    for await (const chunk of response) body += chunk;
    expect(response.statusCode).toBe(504);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'upstream_timeout' } });
    // Recorded with the status the customer got, and reported to the owner as a timeout.
    expect(events).toEqual([expect.objectContaining({ outcome: 'timeout', status: 504, chargedMicro: 0 })]);
    expect(troubles).toEqual([{ kind: 'timeout' }]);
    expect(held()).toBe(0);
    expect(finished).toBe(1);
  });
});
