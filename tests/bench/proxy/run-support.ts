/**
 * Small helpers of the proxy bench's orchestrator (run.ts): the commit it measures, whether
 * dist/ is older than the sources, file-name stamps, and the stage-timing summary
 * (BENCH_STAGES=1, recorded by stages.ts inside ArbDesk).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoPath } from './processes.js';

export function gitInfo(): { commit: string | null; changedFiles: number | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoPath('.'), encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain'], { cwd: repoPath('.'), encoding: 'utf8' }).split('\n').filter(Boolean).length;
    return { commit, changedFiles: changed };
  } catch {
    return { commit: null, changedFiles: null };
  }
}

export interface StageSummary {
  calls: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  totalMs: number;
}
export interface StageFile {
  byLabel: Record<string, Record<string, StageSummary>>;
  eventLoopDelay: { meanMs: number; p50Ms: number; p99Ms: number; maxMs: number };
  notPatched: string[];
}

export function formatStages(f: StageFile): string {
  const us = (ms: number) => `${Math.round(ms * 1000)}`.padStart(7);
  const out = ['Stage timings inside ArbDesk (wall time per call, µs), per kind of run:'];
  for (const [label, stages] of Object.entries(f.byLabel)) {
    if (label.startsWith('set-up')) continue;
    out.push(`  ${label}`, '       mean     p50     p99    calls  stage');
    for (const [name, s] of Object.entries(stages)) out.push(`    ${us(s.meanMs)} ${us(s.p50Ms)} ${us(s.p99Ms)} ${String(s.calls).padStart(8)}  ${name}`);
  }
  out.push(`  event-loop delay over the whole bench: mean ${f.eventLoopDelay.meanMs.toFixed(2)} ms, p99 ${f.eventLoopDelay.p99Ms.toFixed(2)} ms, max ${f.eventLoopDelay.maxMs.toFixed(1)} ms`);
  if (f.notPatched.length) out.push(`  not patched (renamed?): ${f.notPatched.join(', ')}`);
  return out.join('\n');
}

/** Source files changed after `since` (ms), relative to the repo. */
export function sourcesNewerThan(dir: string, since: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (statSync(file).mtimeMs > since) found.push(path.relative(repoPath('.'), file));
  }
  return found;
}

export function stamp(d: Date): string {
  return d.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
}
