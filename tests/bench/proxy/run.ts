/**
 * npm run bench:proxy — ArbDesk's reselling proxy side by side with a direct call, a bare
 * pass-through and a peer gateway, in one run on one machine against one upstream stand-in,
 * at upstream latency 0 and 20 ms, streaming and not. See docs/benchmarks.md.
 *
 * Processes (no two roles share an event loop): this orchestrator; the upstream stand-in
 * (upstream-proc.ts); the load generator (loadgen.ts); the bare pass-through (passthrough.ts);
 * ArbDesk (`node bin/arbdesk.js serve`); the peer (portkey-launch.mjs). All on 127.0.0.1.
 *
 * Per upstream latency × streaming or not:
 *   1. closed loop, N concurrent, every target: the highest request rate it holds;
 *   2. open loop at BENCH_RATE (1,000 req/s), every target: latency per request, so added
 *      latency = target − direct at p50 and p99, and p99 as a ratio to the bare pass-through's;
 *   3. when a target cannot hold that rate: open loop again, every target, at a rate all of
 *      them hold (BENCH_COMMON_FRACTION of the lowest closed-loop rate), to compare latency with
 *      the peer where it is not saturated.
 * Errors (non-2xx, failures, incomplete bodies, requests not sent because the target was
 * saturated) are counted for every run and shown next to its figures.
 *
 * Output: tables on stdout, tests/bench/results/proxy-<timestamp>.json (all figures) and .md
 * (the tables for docs/benchmarks.md). Nothing is asserted: the issue's targets are reported as
 * met or not met.
 *
 * Environment (all optional):
 *   BENCH_QUICK=1                about 70 s: one round, short warm-ups and windows (noisier)
 *   BENCH_ROUNDS=5               rounds per measurement, interleaved across targets; the figures
 *                                are the median round (errors and CPU: all rounds), and the
 *                                targets compare ArbDesk with the bare pass-through round by
 *                                round (the median of the paired rounds: report.ts, paired())
 *   BENCH_FIRST_WARMUP_MS=2000   warm-up of a target's first run (JIT, pools), not measured
 *   BENCH_WARMUP_MS=400          warm-up of every later run, not measured
 *   BENCH_OPEN_MS=1200           measured window of each open-loop round
 *   BENCH_CLOSED_MS=1000         measured window of each closed-loop round
 *   BENCH_RATE=1000              open-loop rate, req/s
 *   BENCH_CONCURRENCY=64         closed-loop concurrency at 0 ms upstream latency
 *   BENCH_CONCURRENCY_LATENCY=256  … when the upstream has latency (64 / 20 ms would cap every target at 3,200 req/s)
 *   BENCH_COMMON_FRACTION=0.6    common rate = this × the lowest closed-loop rate
 *   BENCH_LATENCIES=0,20         upstream latencies, ms
 *   BENCH_MODES=non-stream,stream
 *   BENCH_TARGETS=direct,bare,arbdesk,portkey
 *   BENCH_COMPLETION_WORDS=12    completion length (= SSE content chunks) from the stand-in
 *   BENCH_TIMEOUT_MS=10000       per request
 *   BENCH_MAX_IN_FLIGHT=1000     open loop: a target with this many requests outstanding is saturated
 *   BENCH_PORTKEY_STREAM_FIX=1   0: run the peer without the work-around for Portkey-AI/gateway#1389
 *   BENCH_PROFILE=1              also CPU-profile the bare pass-through and ArbDesk (node --cpu-prof;
 *                                figures are then distorted) and print where ArbDesk's time goes;
 *                                defaults to BENCH_LATENCIES=0 and BENCH_TARGETS=direct,bare,arbdesk
 *   BENCH_STAGES=1               run ArbDesk from source with stage timing (stages.ts): wall time
 *                                of key lookup, reserve, settle, ledger posts, upstream head, SSE
 *                                scanning, stats, events, the whole request, event-loop delay;
 *                                same defaults as BENCH_PROFILE
 *   BENCH_MAX_MINUTES=15         hard stop for the whole bench
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { cpuMs, forkRole, machineBusyMs, repoPath, sleep, stop, type Child } from './processes.js';
import { formatProfile, summarizeProfile, type ProfileSummary } from './profile.js';
import type { FromLoadgen, FromUpstream, RunResult, RunSpec, ToLoadgen, ToUpstream } from './protocol.js';
import { checks, isHeld, markdownChecks, markdownScenario, scenarioName, textScenario, type Check, type Runs, type Scenario } from './report.js';
import { pool, type Part } from './pool.js';
import { formatStages, gitInfo, sourcesNewerThan, stamp, type StageFile } from './run-support.js';
import * as targets from './targets.js';
import { AA_TITLE, TARGET_IDS, TARGET_TITLES, type Target, type TargetId } from './targets.js';

// ---------------------------------------------------------------- configuration

const env = process.env;
const quick = env.BENCH_QUICK === '1';
const profile = env.BENCH_PROFILE === '1';
const stagesMode = env.BENCH_STAGES === '1';
const diagnostic = profile || stagesMode;
const num = (name: string, fallback: number): number => {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number (got "${v}")`);
  return n;
};
const list = (name: string, fallback: string): string[] =>
  (env[name] || fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const config = {
  quick,
  profile,
  stages: stagesMode,
  rounds: Math.max(1, Math.round(num('BENCH_ROUNDS', quick ? 1 : 5))),
  firstWarmupMs: num('BENCH_FIRST_WARMUP_MS', quick ? 1000 : 2000),
  warmupMs: num('BENCH_WARMUP_MS', quick ? 300 : 400),
  openMs: num('BENCH_OPEN_MS', quick ? 700 : 1200),
  closedMs: num('BENCH_CLOSED_MS', quick ? 700 : 1000),
  rate: num('BENCH_RATE', 1000),
  concurrency: num('BENCH_CONCURRENCY', 64),
  concurrencyWithLatency: num('BENCH_CONCURRENCY_LATENCY', 256),
  commonFraction: num('BENCH_COMMON_FRACTION', 0.6),
  latencies: list('BENCH_LATENCIES', diagnostic ? '0' : '0,20').map(Number),
  modes: list('BENCH_MODES', 'non-stream,stream').map((m) => {
    if (m !== 'stream' && m !== 'non-stream') throw new Error(`BENCH_MODES: "${m}" is neither stream nor non-stream`);
    return m === 'stream';
  }),
  targets: list('BENCH_TARGETS', diagnostic ? 'direct,bare,arbdesk' : TARGET_IDS.join(',')).map((t) => {
    if (!(TARGET_IDS as readonly string[]).includes(t)) throw new Error(`BENCH_TARGETS: unknown target "${t}" (${TARGET_IDS.join(', ')})`);
    return t as TargetId;
  }),
  completionWords: num('BENCH_COMPLETION_WORDS', 12),
  timeoutMs: num('BENCH_TIMEOUT_MS', 10_000),
  maxInFlight: num('BENCH_MAX_IN_FLIGHT', 1000),
  portkeyStreamFix: env.BENCH_PORTKEY_STREAM_FIX !== '0',
  /** A/A run: ArbDesk's slot runs a second, identical bare pass-through (targets.secondBare). */
  aa: env.BENCH_AA === '1',
  maxMinutes: num('BENCH_MAX_MINUTES', 15),
};

const MODEL = 'openai/gpt-4o-mini';
const bodyFor = (stream: boolean): string =>
  JSON.stringify({
    model: MODEL,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Write one short, friendly sentence about benchmarks.' },
    ],
    max_tokens: 64,
    temperature: 0.2,
    ...(stream ? { stream: true } : {}),
  });

// ---------------------------------------------------------------- processes

const children: Child[] = [];
let upstreamChild: Child;
let loadgenChild: Child;
let arbdeskDataDir: string | null = null;
let profileDir: string | null = null;
let stagesOut: string | null = null;

async function stopAll(): Promise<void> {
  for (const c of children.splice(0).reverse()) await stop(c);
  if (arbdeskDataDir) rmSync(arbdeskDataDir, { recursive: true, force: true });
}

const hardStop = setTimeout(
  () => {
    console.error(`\nbench: still running after ${config.maxMinutes} minutes (BENCH_MAX_MINUTES) — stopping everything.`);
    void stopAll().finally(() => process.exit(1));
  },
  config.maxMinutes * 60_000,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal} — stopping the bench's processes.`);
    void stopAll().finally(() => process.exit(130));
  });
}

function setUpstreamLatency(latencyMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('upstream stand-in did not confirm its latency')), 5000);
    upstreamChild.proc.once('message', (m: FromUpstream) => {
      clearTimeout(timer);
      if (m.type === 'set' && m.latencyMs === latencyMs) resolve();
      else reject(new Error(`unexpected message from the upstream stand-in: ${JSON.stringify(m)}`));
    });
    upstreamChild.proc.send({ type: 'set', latencyMs } satisfies ToUpstream);
  });
}

function loadgenRun(spec: RunSpec): Promise<RunResult> {
  const limit = spec.warmupMs + spec.durationMs + 2 * spec.timeoutMs + 15_000;
  return new Promise((resolve, reject) => {
    const proc = loadgenChild.proc;
    const timer = setTimeout(() => done(new Error(`load generator gave no result within ${limit} ms`)), limit);
    const onMessage = (m: FromLoadgen) => {
      if (m.type === 'result') done(null, m.result);
      else if (m.type === 'failed') done(new Error(`load generator failed: ${m.message}`));
    };
    const onExit = (code: number | null) => done(new Error(`load generator exited (${code}):\n${loadgenChild.output()}`));
    const done = (error: Error | null, result?: RunResult) => {
      clearTimeout(timer);
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      if (error) reject(error);
      else resolve(result!);
    };
    proc.on('message', onMessage);
    proc.once('exit', onExit);
    proc.send({ type: 'run', spec } satisfies ToLoadgen);
  });
}

// ---------------------------------------------------------------- measuring

/** Stage timing: file what ArbDesk recorded since the last call under `label` (stages.ts). */
async function fileStages(target: Target, label: string): Promise<void> {
  if (!stagesOut || !target.child?.proc.pid) return;
  writeFileSync(`${stagesOut}.label`, label);
  target.child.proc.kill('SIGUSR2');
  await sleep(50);
}

let currentLatency = 0;

/** Targets that have had their first (longer) warm-up. */
const warmed = new Set<TargetId>();

async function runOnce(target: Target, stream: boolean, mode: 'open' | 'closed', load: number, label: string): Promise<Part> {
  const warmupMs = warmed.has(target.id) ? config.warmupMs : Math.max(config.warmupMs, config.firstWarmupMs);
  warmed.add(target.id);
  const spec: RunSpec = {
    label,
    origin: target.origin,
    path: target.path,
    headers: target.headers,
    body: bodyFor(stream),
    stream,
    mode,
    ...(mode === 'open' ? { rate: load } : { concurrency: load }),
    warmupMs,
    durationMs: mode === 'open' ? config.openMs : config.closedMs,
    timeoutMs: config.timeoutMs,
    maxInFlight: config.maxInFlight,
  };
  const pids = { target: target.child?.proc.pid, upstream: upstreamChild.proc.pid };
  const before = { target: cpuMs(pids.target), upstream: cpuMs(pids.upstream), machine: machineBusyMs(), self: process.cpuUsage() };
  const t0 = performance.now();
  const result = await loadgenRun(spec);
  const wallMs = performance.now() - t0;
  const after = { target: cpuMs(pids.target), upstream: cpuMs(pids.upstream), machine: machineBusyMs(), self: process.cpuUsage(before.self) };
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const targetMs = diff(after.target, before.target);
  const upstreamMs = diff(after.upstream, before.upstream);
  const machineMs = diff(after.machine, before.machine);
  const ours = (targetMs ?? 0) + (upstreamMs ?? 0) + result.loadgenCpuMs + (after.self.user + after.self.system) / 1000;
  const otherMs = machineMs === null ? null : Math.max(0, machineMs - ours);

  const ms = (n: number | null) => (n === null || !Number.isFinite(n) ? '—' : n.toFixed(2));
  const errors = result.errorCount + result.skipped > 0 ? `  ERRORS ${JSON.stringify(result.errors)}${result.skipped ? ` not sent ${result.skipped}` : ''}` : '';
  const others = otherMs !== null && otherMs / wallMs >= 0.1 ? `  (others' load ${(otherMs / wallMs).toFixed(1)} cores)` : '';
  const held = mode === 'open' && !isHeld(result) ? '  (not held)' : '';
  console.log(
    `  ${label.padEnd(40)} ${result.throughput.toFixed(0).padStart(6)} req/s  p50 ${ms(result.latency.p50).padStart(6)} ms  p99 ${ms(result.latency.p99).padStart(7)} ms${held}${errors}${others}`,
  );
  await sleep(150); // let closed connections and late timers settle before the next run
  if (stagesOut && target.id === 'arbdesk') await fileStages(target, `${scenarioName({ latencyMs: currentLatency, stream })}: ${mode === 'open' ? `open loop ${load} req/s` : `closed loop ${load} concurrent`}`);
  return { result, targetMs, upstreamMs, otherMs, wallMs };
}

/**
 * One figure per target from its rounds: the median round for latency percentiles and
 * throughput (one round disturbed by other work on the machine does not move it), sums for
 * counts, errors and CPU; held when most rounds held. The pooled percentiles are kept too.
 */
/** BENCH_ROUNDS rounds, each target once per round in turn (so drifting machine load spreads over all of them), pooled per target. */
async function measureAll(list: Target[], stream: boolean, mode: 'open' | 'closed', load: number): Promise<Runs> {
  const parts = new Map<TargetId, Part[]>();
  for (let round = 1; round <= config.rounds; round++) {
    for (const t of list) {
      const label = `${t.id} ${mode === 'open' ? `open ${load} req/s` : `closed ${load} concurrent`}${config.rounds > 1 ? ` #${round}` : ''}`;
      const part = await runOnce(t, stream, mode, load, label);
      parts.set(t.id, [...(parts.get(t.id) ?? []), part]);
    }
  }
  const runs: Runs = {};
  for (const t of list) runs[t.id] = pool(t.id, mode, parts.get(t.id)!);
  return runs;
}

/** One request through the target, to say clearly why a target cannot be measured. */
async function preflight(target: Target, stream: boolean): Promise<string | null> {
  try {
    const r = await request(target.origin + target.path, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body: bodyFor(stream),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await r.body.text();
    if (r.statusCode !== 200) return `HTTP ${r.statusCode}: ${text.slice(0, 300)}`;
    if (stream ? !text.trimEnd().endsWith('data: [DONE]') : !text.trimEnd().endsWith('}')) return `incomplete answer: …${text.slice(-200)}`;
    return null;
  } catch (error) {
    return `request failed: ${(error as Error).message}`;
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const startedAt = new Date();
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadavgAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
  let distBuiltAt: string | null;
  try {
    distBuiltAt = statSync(repoPath('dist/services/cli.js')).mtime.toISOString();
  } catch {
    distBuiltAt = null;
  }
  const git = gitInfo();
  const newer = distBuiltAt ? sourcesNewerThan(repoPath('services'), Date.parse(distBuiltAt)) : [];
  if (newer.length && !stagesMode) {
    console.log(`warning: dist/ is older than ${newer.length} file(s) in services/ (e.g. ${newer.slice(0, 3).join(', ')}): the bench measures the build; run \`npm run build\` to measure the tree`);
  }
  console.log(`ArbDesk proxy benchmark — ${startedAt.toISOString()}${quick ? ' (BENCH_QUICK)' : ''}${profile ? ' (BENCH_PROFILE: figures distorted by the profiler)' : ''}`);
  console.log(`machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, load average ${machine.loadavgAtStart.join(' ')}`);
  console.log(`ArbDesk: commit ${git.commit ?? '?'}${git.changedFiles ? ` + ${git.changedFiles} changed files in the tree` : ''}, dist built ${distBuiltAt ?? 'never'}`);
  if (config.aa) console.log(`BENCH_AA: ArbDesk's slot runs a second bare pass-through, so every check compares two identical proxies: what fails is the bench's own noise\n`);
  console.log(
    `plan: upstream latency ${config.latencies.join(' & ')} ms × ${config.modes.map((s) => (s ? 'streaming' : 'non-streaming')).join(' & ')}; targets ${config.targets.join(', ')}; ` +
      `${config.rounds} round(s) per measurement, each: warm-up ${config.warmupMs} ms (first run of a target ${config.firstWarmupMs} ms), ` +
      `open loop ${config.rate} req/s for ${config.openMs} ms, closed loop ${config.concurrency}/${config.concurrencyWithLatency} concurrent for ${config.closedMs} ms\n`,
  );

  if (profile) {
    profileDir = repoPath(`tests/bench/results/profiles-${stamp(startedAt)}`);
    mkdirSync(profileDir, { recursive: true });
  }
  if (stagesMode) {
    mkdirSync(repoPath('tests/bench/results'), { recursive: true });
    stagesOut = repoPath(`tests/bench/results/stages-${stamp(startedAt)}.json`);
  }

  const childEnv = { ...process.env, BENCH_UPSTREAM_LATENCY_MS: String(config.latencies[0] ?? 0), BENCH_COMPLETION_WORDS: String(config.completionWords) };
  const up = await forkRole<FromUpstream>('upstream stand-in', 'tests/bench/proxy/upstream-proc.ts', [], childEnv);
  upstreamChild = up.child;
  children.push(up.child);
  if (up.first.type !== 'ready') throw new Error('upstream stand-in: unexpected first message');
  const upstream = { baseUrl: up.first.baseUrl, origin: up.first.origin, apiKey: up.first.apiKey };
  const lg = await forkRole<FromLoadgen>('load generator', 'tests/bench/proxy/loadgen.ts', [], process.env);
  loadgenChild = lg.child;
  children.push(lg.child);

  const active: Target[] = [];
  const targetInfo: Record<string, { title: string; notes: string[]; unavailable: string | null; skippedModes: Record<string, string> }> = {};
  for (const id of config.targets) {
    const title = id === 'arbdesk' && config.aa ? AA_TITLE : TARGET_TITLES[id];
    targetInfo[id] = { title, notes: [], unavailable: null, skippedModes: {} };
    try {
      const t =
        id === 'direct'
          ? targets.direct(upstream)
          : id === 'bare'
            ? await targets.bare(upstream, profileDir)
            : id === 'arbdesk'
              ? config.aa
                ? await targets.secondBare(upstream)
                : await targets.arbdesk(upstream, profileDir, stagesOut)
              : await targets.portkey(upstream, config.portkeyStreamFix);
      if (t.child) children.push(t.child);
      if ('dataDir' in t) arbdeskDataDir = (t as { dataDir: string }).dataDir;
      targetInfo[id].notes = t.notes;
      active.push(t);
      console.log(`started ${title} on ${t.origin}`);
    } catch (error) {
      targetInfo[id].unavailable = (error as Error).message;
      console.log(`could not start ${title}: ${(error as Error).message}`);
    }
  }

  const scenarios: Scenario[] = [];
  const allChecks: Check[] = [];
  const arbdeskTarget = active.find((t) => t.id === 'arbdesk');
  if (arbdeskTarget) await fileStages(arbdeskTarget, 'set-up (CLI, first requests)');
  for (const latencyMs of config.latencies) {
    await setUpstreamLatency(latencyMs);
    currentLatency = latencyMs;
    for (const stream of config.modes) {
      const name = scenarioName({ latencyMs, stream });
      const mode = stream ? 'streaming' : 'non-streaming';
      console.log(`\n--- upstream ${name} ---`);
      const usable: Target[] = [];
      for (const t of active) {
        const problem = await preflight(t, stream);
        if (problem) {
          targetInfo[t.id]!.skippedModes[name] = problem;
          console.log(`  ${t.id}: not measured for ${mode} — ${problem}`);
        } else usable.push(t);
      }
      const concurrency = latencyMs > 0 ? config.concurrencyWithLatency : config.concurrency;
      const scenario: Scenario = { latencyMs, stream, closed: { concurrency, runs: {} }, fixed: { rate: config.rate, runs: {} }, common: null };
      scenario.closed.runs = await measureAll(usable, stream, 'closed', concurrency);
      scenario.fixed.runs = await measureAll(usable, stream, 'open', config.rate);
      const notHeld = usable.filter((t) => !scenario.fixed.runs[t.id]?.held);
      if (notHeld.length) {
        const lowest = Math.min(...usable.map((t) => scenario.closed.runs[t.id]?.throughput ?? Infinity));
        const rate = Math.max(10, Math.floor((lowest * config.commonFraction) / 10) * 10);
        if (rate < config.rate) {
          const why = `${notHeld.map((t) => t.id).join(', ')} did not hold ${config.rate} req/s; ${Math.round(config.commonFraction * 100)} % of the lowest closed-loop rate`;
          scenario.common = { rate, why, runs: await measureAll(usable, stream, 'open', rate) };
        }
      }
      scenarios.push(scenario);
      const cs = checks(scenario);
      allChecks.push(...cs);
      console.log('\n' + textScenario(scenario));
    }
  }

  // Stop the targets first: a profiled process writes its profile when it exits.
  await stopAll();
  clearTimeout(hardStop);

  const profiles: Record<string, ProfileSummary> = {};
  if (profileDir) {
    for (const id of ['bare', 'arbdesk'] as const) {
      try {
        const dir = path.join(profileDir, id);
        const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
        const main = files.map((f) => path.join(dir, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
        if (!main) throw new Error(`no .cpuprofile in ${dir}`);
        let served = 0;
        for (const sc of scenarios) for (const runs of [sc.closed.runs, sc.fixed.runs, sc.common?.runs ?? {}]) served += (runs as Runs)[id]?.answered ?? 0;
        profiles[id] = summarizeProfile(main, 40, served || null);
        console.log('\n' + formatProfile(`CPU profile of ${TARGET_TITLES[id]}`, profiles[id]!));
      } catch (error) {
        console.log(`no profile for ${id}: ${(error as Error).message}`);
      }
    }
  }

  let stageTimes: unknown = null;
  if (stagesOut) {
    try {
      rmSync(`${stagesOut}.label`, { force: true });
      stageTimes = JSON.parse(readFileSync(stagesOut, 'utf8')) as unknown;
      console.log('\n' + formatStages(stageTimes as StageFile));
    } catch (error) {
      console.log(`no stage timings: ${(error as Error).message}`);
    }
  }

  const finishedAt = new Date();
  console.log('\n=== Targets from the issue (ArbDesk) ===');
  for (const c of allChecks) console.log(`[${c.met ? 'met' : 'NOT MET'}] ${c.scenario}: ${c.target} — ${c.value}${c.why ? ` — ${c.why}` : ''}`);
  for (const [id, info] of Object.entries(targetInfo)) {
    if (info.unavailable) console.log(`${id}: not measured — ${info.unavailable}`);
    for (const [s, why] of Object.entries(info.skippedModes)) console.log(`${id}: not measured at ${s} — ${why}`);
  }

  const resultsDir = repoPath('tests/bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const base = path.join(resultsDir, `proxy-${stamp(startedAt)}`);
  const json = {
    bench: 'proxy',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
    machine: { ...machine, loadavgAtEnd: os.loadavg().map((n) => Math.round(n * 100) / 100) },
    arbdesk: { ...git, distBuiltAt, sourcesNewerThanDist: newer },
    config,
    request: { model: MODEL, body: JSON.parse(bodyFor(false)) as unknown, completionWords: config.completionWords },
    targets: targetInfo,
    scenarios,
    checks: allChecks,
    profiles,
    stages: stageTimes,
  };
  writeFileSync(base + '.json', JSON.stringify(json, null, 2) + '\n');
  const md = [
    `Run ${startedAt.toISOString()} — ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}; ArbDesk ${git.commit ?? '?'}; ${json.seconds} s${quick ? ' (BENCH_QUICK)' : ''}${profile ? ' (BENCH_PROFILE)' : ''}`,
    '',
    ...scenarios.map(markdownScenario),
    '### Targets',
    '',
    markdownChecks(allChecks),
    '',
  ].join('\n');
  writeFileSync(base + '.md', md);
  console.log(`\nResults: ${path.relative(process.cwd(), base)}.json and .md (${json.seconds} s)`);
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(`\nbench failed: ${(error as Error).stack ?? String(error)}`);
    await stopAll().catch(() => undefined);
    process.exit(1);
  },
);

