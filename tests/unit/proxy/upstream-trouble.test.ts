/** The owner's warn lines about upstream failures: what each says, and one per kind a minute. */
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../services/upstream/errors.js';
import { troubleFromError, troubleFromStatus, UpstreamTroubleLog } from '../../../services/proxy/upstream-trouble.js';
import { captureLogger } from '../upstream/helpers.js';

describe('troubleFromStatus / troubleFromError', () => {
  it('names what the owner must do, and leaves the customer\'s own mistakes out', () => {
    expect([400, 404, 413, 422].map(troubleFromStatus)).toEqual([null, null, null, null]);
    expect(troubleFromStatus(401)).toEqual({ kind: 'refused_key', status: 401 });
    expect(troubleFromStatus(402)).toEqual({ kind: 'no_credit', status: 402 });
    expect(troubleFromStatus(429)).toEqual({ kind: 'rate_limited', status: 429 });
    expect(troubleFromStatus(504)).toEqual({ kind: 'timeout', status: 504 });
    expect(troubleFromStatus(503)).toEqual({ kind: 'upstream_error', status: 503 });
    const refused = new UpstreamError({ kind: 'unreachable', message: 'connection refused', requestSent: false, code: 'ECONNREFUSED' });
    expect(troubleFromError(refused)).toEqual({ kind: 'unreachable', code: 'ECONNREFUSED' });
    expect(troubleFromError(new UpstreamError({ kind: 'timeout', message: 'slow', requestSent: true }))).toEqual({ kind: 'timeout' });
  });
});

describe('UpstreamTroubleLog', () => {
  it('writes one warn line per kind a minute, and the next one says how many were folded into it', () => {
    const { logger, lines } = captureLogger();
    let now = 1_000_000;
    const log = new UpstreamTroubleLog(logger, 60_000, () => now);
    log.report({ kind: 'unreachable', code: 'ECONNREFUSED' });
    for (let i = 0; i < 41; i++) log.report({ kind: 'unreachable', code: 'ECONNREFUSED' });
    log.report({ kind: 'refused_key', status: 401 }); // another kind is not folded into the first
    expect(lines.map((l) => [l.level, l.kind, l.folded])).toEqual([
      [40, 'unreachable', 0],
      [40, 'refused_key', 0],
    ]);
    expect(lines[0]!.msg).toMatch(/could not be reached: check upstream\.baseUrl .*\[ECONNREFUSED\]/);
    expect(lines[1]!.msg).toMatch(/refused ArbDesk's key: set a valid one with `arbdesk config set upstream\.apiKey` \[upstream status 401\]/);
    now += 60_000;
    log.report({ kind: 'unreachable' });
    expect(lines[2]).toMatchObject({ event: 'proxy.upstream_failed', kind: 'unreachable', folded: 41 });
    expect(lines[2]!.msg).toMatch(/\(41 more since the last line\)$/);
  });
});
