/**
 * Turns the runs of one bench into figures (added latency over direct, ratios to the bare
 * pass-through), checks the issue's targets (reported as met / not met — never asserted), and
 * prints them as plain-text tables (stdout) and Markdown tables (for docs/benchmarks.md).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunResult } from './protocol.js';
import { round } from './stats.js';
import { TARGET_IDS, type TargetId } from './targets.js';

export interface CpuFigures {
  /** CPU time of the target's own process per answered request, µs (null for direct). */
  targetUsPerReq: number | null;
  upstreamUsPerReq: number | null;
  loadgenUsPerReq: number | null;
  /** Busy CPU on the machine during the run not used by the bench's processes, in cores (others' load). */
  otherCores: number | null;
}

/** One round of a measurement (a measurement is BENCH_ROUNDS rounds, interleaved across targets). */
export interface RoundSummary {
  throughput: number;
  p50: number;
  p99: number;
  held: boolean | null;
  errors: number;
  otherCores: number | null;
}

/**
 * A measurement of one target over its rounds: `latency` percentiles and `throughput` are the
 * median round's, counts, errors and CPU are summed over all rounds.
 */
export interface RunRecord extends Omit<RunResult, 'samples' | 'scheduleSamples'> {
  /** Percentiles of all rounds' samples together. */
  pooledLatency: RunResult['latency'];
  target: TargetId;
  /** Open loop: the target answered (almost) every scheduled request in the window. */
  held: boolean | null;
  cpu: CpuFigures;
  rounds: RoundSummary[];
}

export type Runs = Partial<Record<TargetId, RunRecord>>;

export interface Scenario {
  latencyMs: number;
  stream: boolean;
  closed: { concurrency: number; runs: Runs };
  fixed: { rate: number; runs: Runs };
  /** Open loop at a rate every target holds, when the fixed rate is too much for one of them. */
  common: { rate: number; why: string; runs: Runs } | null;
}

export interface Check {
  scenario: string;
  target: string;
  value: string;
  met: boolean | null;
  why: string;
}

/**
 * Held = none skipped, at least 97 % of the requests scheduled in the window answered correctly,
 * and answers arrived within the window at ≥ 97 % of the offered rate (a target that queues
 * answers them all eventually, but late).
 */
export function isHeld(r: Pick<RunResult, 'started' | 'windowMs' | 'skipped' | 'completed' | 'throughput'>): boolean {
  const offered = r.started / (r.windowMs / 1000);
  return r.skipped === 0 && r.completed >= 0.97 * r.started && r.throughput >= 0.97 * offered;
}

export const scenarioName = (s: { latencyMs: number; stream: boolean }): string => `${s.latencyMs} ms, ${s.stream ? 'streaming' : 'non-streaming'}`;

const f2 = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(2));
const f0 = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US'));
const ratio = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '—' : `${n.toFixed(2)}×`);
const signed = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '—' : `${n >= 0 ? '+' : ''}${n.toFixed(2)}`);

function errorText(r: RunRecord | undefined): string {
  if (!r) return '—';
  if (r.errorCount === 0 && r.skipped === 0) return '0';
  const parts = Object.entries(r.errors).map(([k, v]) => `${v} ${k}`);
  if (r.skipped) parts.push(`${r.skipped} not sent (saturated)`);
  return parts.join(', ');
}

export interface OpenRow {
  target: TargetId;
  held: boolean | null;
  /** "yes 3/3", "NO 1/3": held overall, and in how many rounds. */
  heldText: string;
  throughput: number;
  p50: number;
  p99: number;
  added50: number | null;
  added99: number | null;
  p99VsBare: number | null;
  errors: string;
  errorCount: number;
  cpuUs: number | null;
}

export function openRows(runs: Runs): OpenRow[] {
  const d = runs.direct;
  const b = runs.bare;
  return TARGET_IDS.filter((t) => runs[t]).map((t) => {
    const r = runs[t]!;
    return {
      target: t,
      held: r.held,
      heldText: `${r.held ? 'yes' : 'NO'}${r.rounds.length > 1 ? ` ${r.rounds.filter((x) => x.held).length}/${r.rounds.length}` : ''}`,
      throughput: r.throughput,
      p50: r.latency.p50,
      p99: r.latency.p99,
      added50: t === 'direct' || !d ? null : r.latency.p50 - d.latency.p50,
      added99: t === 'direct' || !d ? null : r.latency.p99 - d.latency.p99,
      p99VsBare: t === 'direct' || !b ? null : r.latency.p99 / b.latency.p99,
      errors: errorText(r),
      errorCount: r.errorCount + r.skipped,
      cpuUs: r.cpu.targetUsPerReq,
    };
  });
}

export interface ClosedRow {
  target: TargetId;
  throughput: number;
  /** Throughput of each round, to show the spread. */
  perRound: string;
  vsBare: number | null;
  p50: number;
  p99: number;
  errors: string;
  errorCount: number;
  cpuUs: number | null;
}

export function closedRows(runs: Runs): ClosedRow[] {
  const b = runs.bare;
  return TARGET_IDS.filter((t) => runs[t]).map((t) => {
    const r = runs[t]!;
    return {
      target: t,
      throughput: r.throughput,
      perRound: r.rounds.map((x) => f0(x.throughput)).join(' / '),
      vsBare: b && t !== 'direct' ? r.throughput / b.throughput : null,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: errorText(r),
      errorCount: r.errorCount,
      cpuUs: r.cpu.targetUsPerReq,
    };
  });
}

/** The issue's targets for ArbDesk in one scenario. */
export function checks(s: Scenario): Check[] {
  const name = scenarioName(s);
  const out: Check[] = [];
  const fixed = s.fixed.runs;
  const a = fixed.arbdesk;
  const b = fixed.bare;
  const d = fixed.direct;
  const dirty = (...rs: (RunRecord | undefined)[]) => rs.some((r) => r && (r.errorCount > 0 || r.skipped > 0));
  const errorsWhy = (...rs: (RunRecord | undefined)[]) =>
    rs
      .filter((r) => r && (r.errorCount > 0 || r.skipped > 0))
      .map((r) => `${r!.target} ${r!.errorCount > 0 ? 'had errors' : 'could not keep up'} (${errorText(r)})`)
      .join('; ');

  if (a && b && d) {
    const extra = paired(a, b, (x, y) => x.p50 - y.p50);
    out.push({
      scenario: name,
      target: `metering adds ≤ 0.25 ms at p50 over the bare pass-through's added latency (at ${s.fixed.rate} req/s)`,
      value: `${signed(a.latency.p50 - d.latency.p50)} ms vs ${signed(b.latency.p50 - d.latency.p50)} ms → ${signed(extra.median)} ms${extra.text((v) => signed(v))}`,
      met: dirty(a, b, d) ? false : extra.median <= 0.25,
      why: dirty(a, b, d) ? errorsWhy(a, b, d) : '',
    });
    const r99 = paired(a, b, (x, y) => x.p99 / y.p99);
    out.push({
      scenario: name,
      target: `p99 at ${s.fixed.rate} req/s ≤ 1.5× the bare pass-through's`,
      value: `${f2(a.latency.p99)} ms vs ${f2(b.latency.p99)} ms → ${ratio(r99.median)}${r99.text(ratio)}`,
      met: dirty(a, b) || !a.held || !b.held ? false : r99.median <= 1.5,
      why: dirty(a, b) ? errorsWhy(a, b) : !a.held ? `ArbDesk did not hold ${s.fixed.rate} req/s` : '',
    });
  }
  // The same at the common (lower) rate, when there is one: the cost of metering itself,
  // without the queueing of a process near saturation.
  const cr = s.common?.runs;
  if (cr?.arbdesk && cr.bare && cr.direct) {
    const extra = cr.arbdesk.latency.p50 - cr.bare.latency.p50;
    out.push({
      scenario: name,
      target: `metering adds ≤ 0.25 ms at p50 over the bare pass-through's added latency (at the common rate, ${s.common!.rate} req/s)`,
      value: `${signed(cr.arbdesk.latency.p50 - cr.direct.latency.p50)} ms vs ${signed(cr.bare.latency.p50 - cr.direct.latency.p50)} ms → ${signed(extra)} ms`,
      met: dirty(cr.arbdesk, cr.bare, cr.direct) ? false : extra <= 0.25,
      why: dirty(cr.arbdesk, cr.bare, cr.direct) ? errorsWhy(cr.arbdesk, cr.bare, cr.direct) : '',
    });
  }
  const ca = s.closed.runs.arbdesk;
  const cb = s.closed.runs.bare;
  if (ca && cb) {
    const r = paired(ca, cb, (x, y) => x.throughput / y.throughput);
    out.push({
      scenario: name,
      target: `throughput at ${s.closed.concurrency} concurrent ≥ 80 % of the bare pass-through's`,
      value: `${f0(ca.throughput)} vs ${f0(cb.throughput)} req/s → ${Math.round(r.median * 100)} %${r.text((v) => `${Math.round(v * 100)} %`)}`,
      met: dirty(ca, cb) ? false : r.median >= 0.8,
      why: dirty(ca, cb) ? errorsWhy(ca, cb) : '',
    });
  }
  const peer = peerComparison(s);
  if (peer) out.push(peer);
  return out;
}

/**
 * ArbDesk against the bare pass-through, round by round: each round runs the two back to back
 * (run.ts), so a round's figure for one and the other share the machine's state at that
 * moment. The median of the per-round comparisons cancels the machine's drift between rounds,
 * which the ratio of the two medians does not (on a shared 2-core VM a whole round can run 20 %
 * slower than the one before it). Falls back to the medians when the rounds do not pair up.
 */
export function paired(a: RunRecord, b: RunRecord, compare: (a: RoundSummary, b: RoundSummary) => number): { median: number; values: number[]; text: (f: (v: number) => string) => string } {
  const pairs = a.rounds.length === b.rounds.length && a.rounds.length > 1 ? a.rounds.map((x, i) => compare(x, b.rounds[i]!)).filter(Number.isFinite) : [];
  if (pairs.length < 2) return { median: compare(medianRound(a), medianRound(b)), values: [], text: () => '' };
  return { median: medianOf(pairs), values: pairs, text: (f) => ` (median of ${pairs.length} paired rounds: ${pairs.map(f).join(', ')})` };
}

/** A measurement's medians in the shape of one round (paired()'s fallback). */
function medianRound(r: RunRecord): RoundSummary {
  return { ...r.rounds[0]!, throughput: r.throughput, p50: r.latency.p50, p99: r.latency.p99 };
}

export function medianOf(values: number[]): number {
  const v = [...values].sort((x, y) => x - y);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** "Ahead of the peer on every figure": added p50 and p99, p99 at the fixed rate, throughput. */
function peerComparison(s: Scenario): Check | null {
  const fa = s.fixed.runs.arbdesk;
  const fp = s.fixed.runs.portkey;
  const ca = s.closed.runs.arbdesk;
  const cp = s.closed.runs.portkey;
  if (!fa || !fp || !ca || !cp) return null;
  const notes: string[] = [];
  let ahead = true;
  // Latency where the peer holds the rate: the fixed rate if it held it, else the common rate.
  const lat = fp.held ? s.fixed.runs : s.common?.runs;
  const rate = fp.held ? s.fixed.rate : s.common?.rate;
  if (lat?.arbdesk && lat.portkey && lat.direct) {
    const a50 = lat.arbdesk.latency.p50 - lat.direct.latency.p50;
    const p50 = lat.portkey.latency.p50 - lat.direct.latency.p50;
    const a99 = lat.arbdesk.latency.p99 - lat.direct.latency.p99;
    const p99 = lat.portkey.latency.p99 - lat.direct.latency.p99;
    notes.push(`added p50 ${f2(a50)} vs ${f2(p50)} ms, added p99 ${f2(a99)} vs ${f2(p99)} ms at ${rate} req/s`);
    if (!(a50 < p50 && a99 < p99)) ahead = false;
    if (lat.portkey.errorCount > 0 || lat.arbdesk.errorCount > 0) notes.push('(errors in these runs)');
    if (lat.arbdesk.errorCount > 0) ahead = false;
  } else {
    notes.push('no rate where the peer held to compare latency');
  }
  if (fp.held) {
    notes.push(`p99 at ${s.fixed.rate} req/s ${f2(fa.latency.p99)} vs ${f2(fp.latency.p99)} ms`);
    if (!fa.held || !(fa.latency.p99 < fp.latency.p99)) ahead = false;
  } else if (fa.held) {
    notes.push(`at ${s.fixed.rate} req/s ArbDesk held, the peer did not (answered ${f0(fp.throughput)}/s)`);
  } else {
    // Neither kept up: ahead is answering more of the offered load.
    notes.push(`neither held ${s.fixed.rate} req/s: answered ${f0(fa.throughput)} vs ${f0(fp.throughput)}/s`);
    if (!(fa.throughput > fp.throughput)) ahead = false;
  }
  notes.push(`throughput ${f0(ca.throughput)} vs ${f0(cp.throughput)} req/s`);
  if (!(ca.throughput > cp.throughput)) ahead = false;
  if (fa.errorCount > 0 || ca.errorCount > 0) ahead = false;
  return { scenario: scenarioName(s), target: 'ahead of @portkey-ai/gateway on every figure', value: notes.join('; '), met: ahead, why: '' };
}

/** How busy the machine was with other people's work during the scenario (noise). */
export function othersLoad(s: Scenario): string {
  const all = [s.closed.runs, s.fixed.runs, s.common?.runs ?? {}].flatMap((runs) => Object.values(runs)).flatMap((r) => r.rounds.map((x) => x.otherCores));
  const known = all.filter((x): x is number => x !== null);
  if (!known.length) return "others' load on the machine: unknown";
  const avg = known.reduce((a, b) => a + b, 0) / known.length;
  const warn = avg > 0.3 ? ' — the machine was busy with other work: p99s and throughputs are unreliable, run again when it is quiet' : '';
  return `others' load on the machine during these runs: ${avg.toFixed(2)} cores on average, ${Math.max(...known).toFixed(2)} at most${warn}`;
}

// ---------------------------------------------------------------- plain text

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

export function textScenario(s: Scenario): string {
  const lines: string[] = [`=== upstream latency ${scenarioName(s)} ===`];
  const open = (rate: number, runs: Runs, heading: string) => {
    lines.push(heading);
    lines.push(
      pad([
        ['target', 'held', 'answered/s', 'p50 ms', 'p99 ms', '+p50 ms', '+p99 ms', 'p99/bare', 'cpu µs/req', 'errors'],
        ...openRows(runs).map((r) => [
          r.target,
          r.heldText,
          f0(r.throughput),
          f2(r.p50),
          f2(r.p99),
          signed(r.added50),
          signed(r.added99),
          ratio(r.p99VsBare),
          f0(r.cpuUs),
          r.errors,
        ]),
      ]).replace(/^/gm, '  '),
    );
    void rate;
  };
  open(s.fixed.rate, s.fixed.runs, `Open loop at ${s.fixed.rate} req/s (latency per request; +p50/+p99 = over direct; median of rounds)`);
  if (s.common) open(s.common.rate, s.common.runs, `Open loop at ${s.common.rate} req/s — ${s.common.why}`);
  lines.push(`Closed loop, ${s.closed.concurrency} concurrent (highest rate held)`);
  lines.push(
    pad([
      ['target', 'req/s', 'rounds', '× bare', 'p50 ms', 'p99 ms', 'cpu µs/req', 'errors'],
      ...closedRows(s.closed.runs).map((r) => [r.target, f0(r.throughput), r.perRound, ratio(r.vsBare), f2(r.p50), f2(r.p99), f0(r.cpuUs), r.errors]),
    ]).replace(/^/gm, '  '),
  );
  lines.push(`  ${othersLoad(s)}`);
  const cs = checks(s);
  if (cs.length) {
    lines.push('Targets (ArbDesk):');
    for (const c of cs) lines.push(`  [${c.met ? 'met' : 'NOT MET'}] ${c.target}: ${c.value}${c.why ? ` — ${c.why}` : ''}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- markdown

function mdTable(rows: string[][], leftColumns = 1): string {
  const [head, ...body] = rows;
  return [`| ${head!.join(' | ')} |`, `|${head!.map((_, i) => (i < leftColumns ? '---' : '---:')).join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function markdownScenario(s: Scenario): string {
  const out: string[] = [`### Upstream latency ${scenarioName(s)}`, ''];
  const open = (rate: number, runs: Runs, heading: string) => {
    out.push(heading, '');
    out.push(
      mdTable([
        ['target', 'held', 'answered/s', 'p50 ms', 'p99 ms', 'added p50 ms', 'added p99 ms', 'p99 / bare', 'CPU µs/req', 'errors'],
        ...openRows(runs).map((r) => [
          r.target,
          r.held ? r.heldText : `**${r.heldText.replace('NO', 'no')}**`,
          f0(r.throughput),
          f2(r.p50),
          f2(r.p99),
          signed(r.added50),
          signed(r.added99),
          ratio(r.p99VsBare),
          f0(r.cpuUs),
          r.errors,
        ]),
      ]),
      '',
    );
    void rate;
  };
  open(s.fixed.rate, s.fixed.runs, `Open loop, ${s.fixed.rate} req/s:`);
  if (s.common) open(s.common.rate, s.common.runs, `Open loop, ${s.common.rate} req/s (${s.common.why}):`);
  out.push(`Closed loop, ${s.closed.concurrency} concurrent:`, '');
  out.push(
    mdTable([
      ['target', 'req/s', 'per round', '× bare', 'p50 ms', 'p99 ms', 'CPU µs/req', 'errors'],
      ...closedRows(s.closed.runs).map((r) => [r.target, f0(r.throughput), r.perRound, ratio(r.vsBare), f2(r.p50), f2(r.p99), f0(r.cpuUs), r.errors]),
    ]),
    '',
    `_${othersLoad(s)}_`,
    '',
  );
  return out.join('\n');
}

export function markdownChecks(all: Check[]): string {
  return mdTable([['scenario', 'target', 'figures', 'result'], ...all.map((c) => [c.scenario, c.target, c.value + (c.why ? ` — ${c.why}` : ''), c.met ? 'met' : '**not met**'])], 4);
}

export { round };

// Re-print a saved run (after changing how it is reported):
//   npx tsx tests/bench/proxy/report.ts tests/bench/results/proxy-<stamp>.json [--md]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: report.ts <results.json> [--md]');
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { scenarios: Scenario[] };
  if (process.argv.includes('--md')) {
    console.log([...saved.scenarios.map(markdownScenario), '### Targets', '', markdownChecks(saved.scenarios.flatMap(checks)), ''].join('\n'));
  } else {
    for (const s of saved.scenarios) console.log(textScenario(s) + '\n');
  }
}
