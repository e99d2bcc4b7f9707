import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../../services/contract.js';
import { StatusBoard } from '../../../electron/main/status-board.js';
import { fakeStatus } from './fakes/fake-host.js';

function service(id: string, name: string, state: ServiceStatus['state'], reason = ''): ServiceStatus {
  return { id, name, state, reason, since: '2030-01-01T00:00:00.000Z', restarts: 0, detail: {} };
}

const up = { stream: 'host.status', events: [{ state: 'up', reason: 'services host is running', restarts: 0 }] } as const;

describe('tray status', () => {
  it('says the services are starting before the host has reported anything', () => {
    expect(new StatusBoard().summary()).toEqual({ level: 'warn', tooltip: 'ArbDesk — starting services…', lines: [] });
  });

  it('is green with one line per service when everything configured runs', () => {
    const board = new StatusBoard();
    board.applyReady(fakeStatus([service('proxy', 'Reselling proxy', 'running'), service('bot', 'Telegram bot', 'off', 'not configured: telegram.token is empty')]));
    board.apply({ ...up, events: [...up.events] });
    expect(board.summary()).toEqual({
      level: 'ok',
      tooltip: 'ArbDesk — 1 running, 1 off',
      lines: ['Reselling proxy: running', 'Telegram bot: off — not configured: telegram.token is empty'],
    });
  });

  it('follows service.status events and turns red when a service fails', () => {
    const board = new StatusBoard();
    board.applyReady(fakeStatus([service('proxy', 'Reselling proxy', 'running'), service('bot', 'Telegram bot', 'running')]));
    board.apply({ ...up, events: [...up.events] });
    board.apply({ stream: 'service.status', events: [service('bot', 'Telegram bot', 'failed', '401 Unauthorized: token rejected')] });
    const summary = board.summary();
    expect(summary.level).toBe('error');
    expect(summary.tooltip).toBe('ArbDesk — Telegram bot failed');
    expect(summary.lines[1]).toBe('Telegram bot: failed — 401 Unauthorized: token rejected');
  });

  it('is amber while a service is degraded or starting', () => {
    const board = new StatusBoard();
    board.apply({ ...up, events: [...up.events] });
    board.apply({ stream: 'service.status', events: [service('proxy', 'Reselling proxy', 'degraded', 'upstream slow')] });
    expect(board.summary()).toMatchObject({ level: 'warn', tooltip: 'ArbDesk — Reselling proxy degraded' });
  });

  it('is grey when nothing is configured yet', () => {
    const board = new StatusBoard();
    board.applyReady(fakeStatus([service('bot', 'Telegram bot', 'off', 'not configured')]));
    board.apply({ ...up, events: [...up.events] });
    expect(board.summary().level).toBe('idle');
  });

  it('is red when the host is down, marking service lines as last known', () => {
    const board = new StatusBoard();
    board.applyReady(fakeStatus([service('proxy', 'Reselling proxy', 'running')]));
    board.apply({ ...up, events: [...up.events] });
    board.apply({
      stream: 'host.status',
      events: [{ state: 'down', reason: 'the services host exited with code 1; restarting in 0.5 s', restarts: 0 }],
    });
    expect(board.summary()).toEqual({
      level: 'error',
      tooltip: 'ArbDesk — services host down: the services host exited with code 1; restarting in 0.5 s',
      lines: ['Reselling proxy: running (last known)'],
    });
  });

  it('shortens long reasons so the menu stays readable', () => {
    const board = new StatusBoard();
    board.apply({ ...up, events: [...up.events] });
    board.apply({ stream: 'service.status', events: [service('bot', 'Telegram bot', 'failed', 'x'.repeat(500))] });
    expect(board.summary().lines[0]?.length).toBeLessThan(100);
  });
});
