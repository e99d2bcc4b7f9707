import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AuthFailureGuard } from '../../../services/proxy/auth-guard.js';
import { clientIp } from '../../../services/proxy/client-ip.js';
import { RateLimiter } from '../../../services/proxy/rate-limits.js';

const req = (remote: string, xff?: string) => ({ socket: { remoteAddress: remote }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as unknown as IncomingMessage;

describe('clientIp', () => {
  it('ignores X-Forwarded-For from anyone but a trusted proxy', () => {
    expect(clientIp(req('203.0.113.9', '1.2.3.4'), new Set())).toBe('203.0.113.9');
    expect(clientIp(req('::ffff:127.0.0.1', '1.2.3.4'), new Set())).toBe('127.0.0.1');
  });
  it('takes the nearest untrusted hop behind trusted proxies', () => {
    const trusted = new Set(['127.0.0.1', '10.0.0.2']);
    expect(clientIp(req('127.0.0.1', '1.2.3.4'), trusted)).toBe('1.2.3.4');
    // A client that forges the header still shows up as itself: it is the last untrusted hop.
    expect(clientIp(req('127.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.2'), trusted)).toBe('198.51.100.7');
  });
});

describe('AuthFailureGuard', () => {
  it('blocks an address after too many failures within the window, then lets it go', () => {
    let now = 0;
    const g = new AuthFailureGuard(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) g.fail('a');
    expect(g.blockedFor('a')).toBe(60);
    expect(g.blockedFor('b')).toBe(0);
    now = 45_000;
    expect(g.blockedFor('a')).toBe(15);
    now = 60_000;
    expect(g.blockedFor('a')).toBe(0);
  });
});

describe('RateLimiter', () => {
  it('enforces requests per minute with a Retry-After, refilling over time', () => {
    let now = 0;
    const l = new RateLimiter(() => now);
    const spec = { rpm: 2, tpm: null, maxConcurrent: null };
    expect(l.admit('k', spec, 10).ok).toBe(true);
    expect(l.admit('k', spec, 10).ok).toBe(true);
    const refused = l.admit('k', spec, 10);
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 30 });
    now = 30_000;
    expect(l.admit('k', spec, 10).ok).toBe(true);
  });
  it('enforces concurrency until a request ends, and tokens per minute', () => {
    const l = new RateLimiter(() => 0);
    const one = l.admit('c', { rpm: null, tpm: null, maxConcurrent: 1 }, 1);
    expect(l.admit('c', { rpm: null, tpm: null, maxConcurrent: 1 }, 1)).toMatchObject({ ok: false, reason: 'this key allows 1 concurrent request; wait for one to finish' });
    if (one.ok) one.release();
    expect(l.admit('c', { rpm: null, tpm: null, maxConcurrent: 1 }, 1).ok).toBe(true);
    const t = { rpm: null, tpm: 1000, maxConcurrent: null };
    expect(l.admit('t', t, 900).ok).toBe(true);
    expect(l.admit('t', t, 200)).toMatchObject({ ok: false, reason: 'this key allows 1000 tokens per minute' });
    // A request that can use more than a minute's worth says what to change.
    expect(l.admit('t', t, 4196)).toMatchObject({ ok: false, reason: 'this key allows 1000 tokens per minute; this request may use up to 4196 (prompt + max_tokens): lower max_tokens to pass sooner' });
  });
});
