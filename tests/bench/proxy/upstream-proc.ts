/**
 * The upstream stand-in (tests/fakes/upstream.ts) in a process of its own, driven over IPC:
 * the orchestrator sets its latency between phases. Nothing is recorded per request
 * (maxRecorded 0) and the generation table is emptied every second, so memory and GC stay flat
 * over hundreds of thousands of requests.
 */
import { startFakeUpstream } from '../../fakes/upstream.js';
import type { FromUpstream, ToUpstream } from './protocol.js';

const send = (m: FromUpstream) => process.send?.(m);

const upstream = await startFakeUpstream({
  latencyMs: Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 0),
  completionWords: Number(process.env.BENCH_COMPLETION_WORDS ?? 12),
  maxRecorded: 0,
});
const sweep = setInterval(() => upstream.generations.clear(), 1000);
sweep.unref();

process.on('message', (m: ToUpstream) => {
  if (m.type === 'set') {
    upstream.set({ latencyMs: m.latencyMs });
    send({ type: 'set', latencyMs: m.latencyMs });
  } else if (m.type === 'stop') {
    void upstream.stop().then(() => process.exit(0));
  }
});
// The orchestrator died: do not outlive it.
process.on('disconnect', () => process.exit(0));

send({ type: 'ready', baseUrl: upstream.baseUrl, origin: upstream.origin, apiKey: upstream.apiKey });
