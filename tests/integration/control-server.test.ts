/**
 * The control server as a browser or the CLI meets it: every route needs the owner token
 * (401 otherwise), the login URL sets a session cookie, commands outside the contract and bad
 * input are refused as data, and events stream over the WebSocket.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBatch } from '../../services/contract.js';
import { runHost, type RunningHost } from '../../services/host/run-host.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

let running: RunningHost;
let token: string;
let base: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  const rendererDir = path.join(t.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>ArbDesk</title><div id="root"></div>');
  running = await runHost({
    dataDir: path.join(t.dir, 'data'),
    mode: 'headless',
    flags: { 'control.port': 0, 'proxy.port': 0 },
    stdoutLogs: false,
    rendererDir,
    env: {},
  });
  base = running.control.url;
  token = readFileSync(path.join(t.dir, 'data', 'owner-token'), 'utf8').trim();
});

afterAll(async () => {
  await running?.stop();
  cleanup?.();
});

const invoke = (method: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  fetch(`${base}/api/invoke/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('control server', () => {
  it('keeps the owner token in a 0600 file and prints it only in the login URL', () => {
    const file = path.join(path.dirname(running.host.settings.configFile), 'owner-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(running.loginUrl).toBe(`${base}/?token=${encodeURIComponent(token)}`);
  });

  it('answers 401 without the token, on the page and on the API', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('arbdesk url');
    const api = await invoke('system.status', {}, {});
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await invoke('system.status', {}, { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    const wrongLogin = await fetch(`${base}/?token=nope`, { redirect: 'manual' });
    expect(wrongLogin.status).toBe(401);
    expect(wrongLogin.headers.get('set-cookie')).toBeNull();
  });

  it('signs a browser in from the login URL with an HttpOnly cookie that is not the token', async () => {
    const login = await fetch(running.loginUrl, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/');
    expect(login.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).not.toContain(token);
    const page = await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    // Another site's page cannot drive the API with the owner's cookie.
    const cross = await invoke('system.status', {}, { cookie: cookie.split(';')[0]!, origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
  });

  it('answers contract commands, and refuses others and bad input as data', async () => {
    const status = await (await invoke('system.status', {})).json();
    expect(status).toMatchObject({ ok: true, value: { mode: 'headless', services: expect.any(Array) } });
    const unknown = await (await invoke('system.exec', { cmd: 'rm -rf /' })).json();
    expect(unknown).toEqual({ ok: false, error: { code: 'unknown_command', message: '"system.exec" is not a command of the ArbDesk contract' } });
    const bad = await (await invoke('logs.tail', { limit: 'all' })).json();
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/^logs\.tail: limit: /) } });
    const notJson = await fetch(`${base}/api/invoke/system.status`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('streams service status and log events over the WebSocket, only with the token', async () => {
    const refused = new WebSocket(`${base.replace('http', 'ws')}/api/events`);
    const refusedCode = await new Promise<number>((resolve) => refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(refusedCode).toBe(401);

    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/events`, { headers: { authorization: `Bearer ${token}` } });
    const batches: EventBatch[] = [];
    ws.on('message', (data) => batches.push(JSON.parse(String(data)) as EventBatch));
    await waitFor(() => batches.map((b) => b.stream), (s) => s.includes('host.status') && s.includes('service.status'), { what: 'initial batches' });
    await invoke('settings.update', { changes: { 'pricing.markupPercent': 30 } });
    const line = await waitFor(
      () => batches.flatMap((b) => (b.stream === 'log' ? b.events : [])),
      (lines) => lines.some((l) => l.event === 'settings.updated'),
      { what: 'settings.updated log line' },
    );
    expect(line.length).toBeGreaterThan(0);
    ws.close();
  });
});
