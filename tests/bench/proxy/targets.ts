/**
 * The four things the load generator calls, each set up the way a user would run it:
 *
 *   direct   the upstream stand-in itself (the floor: no proxy hop)
 *   bare     passthrough.ts — node:http + undici Pool, no logic (the baseline)
 *   arbdesk  the built product, `node bin/arbdesk.js serve`, with a customer, a large balance
 *            and a key made through the CLI against the running host; full metering
 *   portkey  @portkey-ai/gateway, the peer, routed to the stand-in as an OpenAI-compatible
 *            custom host (portkey-launch.mjs)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SETTING_KEYS, envNamesFor } from '../../../services/config/schema.js';
import { forkRole, freePort, httpGet, repoPath, spawnNode, type Child } from './processes.js';
import type { FromPassthrough } from './protocol.js';

export type TargetId = 'direct' | 'bare' | 'arbdesk' | 'portkey';
export const TARGET_IDS: readonly TargetId[] = ['direct', 'bare', 'arbdesk', 'portkey'];

export const TARGET_TITLES: Record<TargetId, string> = {
  direct: 'direct (client → stand-in)',
  bare: 'bare pass-through (node:http + undici)',
  arbdesk: 'ArbDesk, full metering',
  portkey: '@portkey-ai/gateway (peer)',
};

export interface Target {
  id: TargetId;
  origin: string;
  path: string;
  headers: Record<string, string>;
  /** The process whose CPU time is the target's own (none for direct). */
  child: Child | null;
  notes: string[];
}

export interface Upstream {
  baseUrl: string;
  origin: string;
  apiKey: string;
}

const run = promisify(execFile);

/**
 * node --cpu-prof, written when the process exits (the bench stops it with SIGTERM), one file
 * per thread (tsx's module-hooks thread writes its own) in `<dir>/<name>/`: the main thread's
 * is the largest.
 */
const cpuProfFlags = (dir: string, name: string): string[] => ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, name)}`, '--cpu-prof-interval=250'];
const ARBDESK_BIN = repoPath('bin/arbdesk.js');
/** BENCH_ARBDESK_NODE_FLAGS / BENCH_BARE_NODE_FLAGS: experiment flags for one target's node, space-separated. */
const extraNodeFlags = (envName: string): string[] => process.env[envName]?.split(' ').filter(Boolean) ?? [];

export function direct(up: Upstream): Target {
  return { id: 'direct', origin: up.origin, path: new URL(up.baseUrl).pathname + '/chat/completions', headers: { authorization: `Bearer ${up.apiKey}` }, child: null, notes: [] };
}

export async function bare(up: Upstream, profileDir: string | null): Promise<Target> {
  const flags = [...(profileDir ? cpuProfFlags(profileDir, 'bare') : []), ...extraNodeFlags('BENCH_BARE_NODE_FLAGS')];
  const { child, first } = await forkRole<FromPassthrough>('bare pass-through', 'tests/bench/proxy/passthrough.ts', [up.origin], process.env, flags);
  return { id: 'bare', origin: first.origin, path: new URL(up.baseUrl).pathname + '/chat/completions', headers: { authorization: `Bearer ${up.apiKey}` }, child, notes: [] };
}

export const AA_TITLE = 'a second bare pass-through (BENCH_AA, in ArbDesk\'s slot)';

/**
 * BENCH_AA: the bare pass-through again, in ArbDesk's slot (id 'arbdesk', so every check runs
 * unchanged). Two identical proxies should tie; how far the checks stray from that is the
 * noise floor of this machine (docs/benchmarks.md, "The noise floor").
 */
export async function secondBare(up: Upstream): Promise<Target> {
  return { ...(await bare(up, null)), id: 'arbdesk' };
}

/** The environment without the bench runner's own ArbDesk settings (as tests/helpers/cli.ts does). */
function cleanEnv(): NodeJS.ProcessEnv {
  const names = new Set(SETTING_KEYS.flatMap((k) => envNamesFor(k)));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('ARBDESK_') && !names.has(k)) env[k] = v;
  return env;
}

/** The built CLI, or (stage timing) the CLI run from source with tsx. */
const entry = (fromSource: boolean): string[] => (fromSource ? ['--import', 'tsx', repoPath('services/cli/main.ts')] : [ARBDESK_BIN]);

async function cli(dataDir: string, args: string[], fromSource: boolean): Promise<unknown> {
  const { stdout } = await run(process.execPath, [...entry(fromSource), ...args, '--json', '--data-dir', dataDir], { cwd: repoPath('.'), env: cleanEnv(), timeout: 30_000 });
  return JSON.parse(stdout) as unknown;
}

/**
 * `stagesOut`: run from source with tests/bench/proxy/stages.ts loaded, which writes the stage
 * timings there on exit (BENCH_STAGES=1); otherwise the built product (dist/).
 */
export async function arbdesk(up: Upstream, profileDir: string | null, stagesOut: string | null = null): Promise<Target & { dataDir: string }> {
  const fromSource = stagesOut !== null;
  if (!fromSource && !existsSync(repoPath('dist/services/cli.js'))) throw new Error('ArbDesk is not built: run `npm run build` first');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'arbdesk-bench-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...cleanEnv(), OPENROUTER_BASE_URL: up.baseUrl, OPENROUTER_API_KEY: up.apiKey };
  if (stagesOut) env.BENCH_STAGES_OUT = stagesOut;
  const node = [...(profileDir ? cpuProfFlags(profileDir, 'arbdesk') : []), ...extraNodeFlags('BENCH_ARBDESK_NODE_FLAGS')];
  const hooks = fromSource ? ['--import', 'tsx', '--import', repoPath('tests/bench/proxy/stages.ts'), repoPath('services/cli/main.ts')] : [ARBDESK_BIN];
  const args = [...node, ...hooks, 'serve', '--data-dir', dataDir, '--control-port', '0', '--proxy-port', String(port), '--log-level', 'warn', '--quiet'];
  const origin = `http://127.0.0.1:${port}`;
  const child = await spawnNode('ArbDesk', args, env, async () => (await httpGet(`${origin}/health`))?.status === 200);
  const customer = (await cli(dataDir, ['customers', 'add', '--name', 'bench'], fromSource)) as { id: string };
  await cli(dataDir, ['credit', customer.id, '1000000', '--memo', 'benchmark'], fromSource);
  const issued = (await cli(dataDir, ['keys', 'issue', customer.id, '--label', 'bench'], fromSource)) as { key: string };
  return {
    id: 'arbdesk',
    origin,
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${issued.key}` },
    child,
    dataDir,
    notes: [
      `data dir ${dataDir}, log level warn, customer ${customer.id} credited $1,000,000, key without limits`,
      ...(fromSource ? ['run from source with stage timing (tests/bench/proxy/stages.ts)'] : []),
    ],
  };
}

export async function portkey(up: Upstream, streamFix: boolean): Promise<Target> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_PORTKEY_STREAM_FIX: streamFix ? '1' : '0' };
  const child = await spawnNode('@portkey-ai/gateway', [repoPath('tests/bench/proxy/portkey-launch.mjs'), `--port=${port}`, '--headless'], env, async (c) =>
    c.output().includes('portkey-launch: ready') && (await httpGet(`http://127.0.0.1:${port}/`))?.status === 200,
  );
  return {
    id: 'portkey',
    origin: `http://127.0.0.1:${port}`,
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${up.apiKey}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': up.baseUrl },
    child,
    notes: [
      'started with its own start script (build/start-server.js --port=N --headless), bound to 127.0.0.1',
      streamFix
        ? 'streaming needs a work-around for Portkey-AI/gateway#1389 (TypeError: immutable with @hono/node-server ≥ 1.14.3): see portkey-launch.mjs'
        : 'run without the work-around for Portkey-AI/gateway#1389: streamed requests fail with 500',
    ],
  };
}
