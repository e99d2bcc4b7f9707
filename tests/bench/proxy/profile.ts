/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went:
 *
 *  - by category: ArbDesk's own code (services/…), each dependency (undici, better-sqlite3,
 *    pino …), Node's internals (node:…), V8 (GC, program), idle;
 *  - by ArbDesk function, "own time plus the library and Node calls it made" — each sample is
 *    charged to the nearest ArbDesk frame on its stack (so node:http's parser, which calls
 *    ArbDesk, is not charged to ArbDesk, but the SQLite statement a meter call runs is);
 *  - by leaf function (self time), the classic flat profile.
 *
 * Bundled code (dist/services/cli.js) is mapped back to its sources with the bundle's source
 * map (node:module SourceMap), so names are `services/metering/meter.ts:settle`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  ms: number;
  /** Share of busy (non-idle) time, percent. */
  pct: number;
  /** CPU µs per request served (when the number of requests is known). */
  usPerReq: number | null;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  busyMs: number;
  requests: number | null;
  categories: ProfileRow[];
  /** Nearest ArbDesk (or, for the bare pass-through, its own) frame on the stack. */
  byOwnFunction: ProfileRow[];
  /** Own-code time aggregated per source file. */
  byOwnFile: ProfileRow[];
  /** Inclusive time: every sample with this own function anywhere on its stack (what a call costs with all it calls). */
  inclusive: ProfileRow[];
  selfTime: ProfileRow[];
}

const maps = new Map<string, SourceMap | null>();
function sourceMapFor(url: string): SourceMap | null {
  if (maps.has(url)) return maps.get(url)!;
  let map: SourceMap | null = null;
  try {
    const file = url.startsWith('file://') ? fileURLToPath(url) : url;
    if (existsSync(file + '.map')) map = new SourceMap(JSON.parse(readFileSync(file + '.map', 'utf8')));
  } catch {
    map = null;
  }
  maps.set(url, map);
  return map;
}

interface Frame {
  /** e.g. services/metering/meter.ts */
  source: string;
  name: string;
  own: boolean;
  category: string;
}

function describe(cf: CallFrame): Frame {
  const name = cf.functionName || '(anonymous)';
  if (!cf.url) {
    const special = ['(garbage collector)', '(program)', '(idle)', '(root)'].includes(name);
    return { source: '', name, own: false, category: special ? `V8 ${name}` : 'V8 builtins' };
  }
  if (cf.url.startsWith('node:')) return { source: cf.url, name, own: false, category: `node internals (${cf.url.slice(5).split('/')[0]})` };
  let source = cf.url.replace(/^file:\/\//, '');
  let line = cf.lineNumber;
  const map = sourceMapFor(cf.url);
  if (map) {
    const entry = map.findEntry(cf.lineNumber, cf.columnNumber) as { originalSource?: string; originalLine?: number };
    if (entry.originalSource) {
      source = entry.originalSource;
      line = entry.originalLine ?? line;
    }
  }
  source = source.replace(/^file:\/\//, '');
  const nm = source.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = source.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    return { source: `${pkg}`, name, own: false, category: pkg };
  }
  const rel = source.replace(/^.*?\/(services|tests|node_modules)\//, '$1/').replace(/^(\.\.\/)+/, '');
  const own = rel.startsWith('services/') || rel.startsWith('tests/bench/');
  return { source: `${rel}:${line + 1}`, name, own, category: own ? (rel.startsWith('services/') ? 'ArbDesk code (services/)' : 'bench pass-through code') : rel };
}

function rows(map: Map<string, number>, busyMs: number, limit: number, requests: number | null): ProfileRow[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: Math.round((ms / busyMs) * 1000) / 10, usPerReq: requests ? Math.round((ms * 1000) / requests) : null }));
}

/** `requests`: how many requests the profiled process served, to express costs per request. */
export function summarizeProfile(file: string, limit = 25, requests: number | null = null): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const frames = new Map<number, Frame>();
  const frame = (id: number): Frame => {
    let f = frames.get(id);
    if (!f) {
      f = describe(byId.get(id)!.callFrame);
      frames.set(id, f);
    }
    return f;
  };
  const nearestOwn = new Map<number, number | null>();
  const findOwn = (id: number): number | null => {
    if (nearestOwn.has(id)) return nearestOwn.get(id)!;
    const f = frame(id);
    const p = parent.get(id);
    const result = f.own ? id : p === undefined ? null : findOwn(p);
    nearestOwn.set(id, result);
    return result;
  };

  const categories = new Map<string, number>();
  const byOwnFunction = new Map<string, number>();
  const byOwnFile = new Map<string, number>();
  const selfTime = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const seen = new Set<string>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const id = profile.samples[i]!;
    total += ms;
    const f = frame(id);
    if (f.name === '(idle)') {
      idle += ms;
      continue;
    }
    categories.set(f.category, (categories.get(f.category) ?? 0) + ms);
    const leafKey = f.source ? `${f.name} (${f.source})` : f.name;
    selfTime.set(leafKey, (selfTime.get(leafKey) ?? 0) + ms);
    const own = findOwn(id);
    if (own !== null) {
      const o = frame(own);
      const key = `${o.name} (${o.source})`;
      byOwnFunction.set(key, (byOwnFunction.get(key) ?? 0) + ms);
      const fileKey = o.source.replace(/:\d+$/, '');
      byOwnFile.set(fileKey, (byOwnFile.get(fileKey) ?? 0) + ms);
    }
    seen.clear();
    for (let up: number | null = own; up !== null; ) {
      const o = frame(up);
      const key = `${o.name} (${o.source})`;
      if (!seen.has(key)) {
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
      }
      const p = parent.get(up);
      up = p === undefined ? null : findOwn(p);
    }
  }
  const busy = total - idle;
  return {
    file,
    totalMs: Math.round(total),
    busyMs: Math.round(busy),
    requests,
    categories: rows(categories, busy, limit, requests),
    byOwnFunction: rows(byOwnFunction, busy, limit, requests),
    byOwnFile: rows(byOwnFile, busy, limit, requests),
    inclusive: rows(inclusive, busy, limit, requests),
    selfTime: rows(selfTime, busy, limit, requests),
  };
}

export function formatProfile(title: string, s: ProfileSummary, limit = 15): string {
  const table = (heading: string, list: ProfileRow[]) =>
    [
      `  ${heading}`,
      ...list.slice(0, limit).map((r) => `    ${r.pct.toFixed(1).padStart(5)} %  ${String(r.ms).padStart(6)} ms${r.usPerReq !== null ? `  ${String(r.usPerReq).padStart(4)} µs/req` : ''}  ${r.name}`),
    ].join('\n');
  return [
    `${title}: ${s.busyMs} ms busy of ${s.totalMs} ms sampled${s.requests ? `, ${s.requests} requests served (${Math.round((s.busyMs * 1000) / s.requests)} µs busy per request)` : ''} — ${s.file}`,
    '  (busy = sampled wall time the main thread was not idle: CPU, blocking system calls such as fsync, and time the OS gave to other processes; read the shares, and the µs only relative to each other)',
    table('by category (self time)', s.categories),
    table('own code, with the library/Node calls it makes (nearest own frame on the stack)', s.byOwnFunction),
    table('own code per file (same attribution)', s.byOwnFile),
    table('own code, inclusive (everything it calls, own code too)', s.inclusive),
    table('self time per function (leaf)', s.selfTime),
  ].join('\n');
}

// npx tsx tests/bench/proxy/profile.ts <file.cpuprofile> [limit]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  const limit = Number(process.argv[3] ?? 25);
  // A glob that matched the worker threads' profiles too lands here as a second file name.
  if (!file || !Number.isInteger(limit) || limit < 1) throw new Error('usage: profile.ts <file.cpuprofile> [limit] (one profile: the largest file of a run is the main thread\'s)');
  console.log(formatProfile(file, summarizeProfile(file, limit), limit));
}
