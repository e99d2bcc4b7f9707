import { describe, expect, it } from 'vitest';
import { applyServiceEvents, applyServicesSnapshot } from '../../../renderer/store/services';
import { service } from './fixtures';

const T0 = '2025-01-01T12:00:00.000Z';
const T1 = '2025-01-01T12:00:05.000Z';

describe('services slice', () => {
  it('a snapshot lists the services in the host order', () => {
    const map = applyServicesSnapshot({}, [service('proxy'), service('bot')]);
    expect(Object.keys(map)).toEqual(['proxy', 'bot']);
  });

  it('an event updates one service and leaves the others untouched', () => {
    const before = applyServicesSnapshot({}, [service('proxy'), service('bot')]);
    const after = applyServiceEvents(before, [service('bot', { state: 'failed', reason: 'token rejected', since: T1 })]);
    expect(after.bot?.state).toBe('failed');
    expect(after.bot?.reason).toBe('token rejected');
    expect(after.proxy).toBe(before.proxy);
    expect(before.bot?.state).toBe('running');
  });

  it('applies several events of one batch in order; the last wins', () => {
    const after = applyServiceEvents({}, [
      service('proxy', { state: 'starting', since: T0 }),
      service('proxy', { state: 'running', since: T1 }),
    ]);
    expect(after.proxy?.state).toBe('running');
  });

  it('a late snapshot does not undo a newer event', () => {
    const live = applyServiceEvents({}, [service('proxy', { state: 'degraded', since: T1 })]);
    const after = applyServicesSnapshot(live, [service('proxy', { state: 'running', since: T0 })]);
    expect(after.proxy?.state).toBe('degraded');
  });

  it('an event with an older since than what is shown is ignored', () => {
    const current = applyServiceEvents({}, [service('bot', { state: 'running', since: T1 })]);
    expect(applyServiceEvents(current, [service('bot', { state: 'starting', since: T0 })])).toBe(current);
  });

  it('a snapshot drops services the host no longer lists', () => {
    const before = applyServicesSnapshot({}, [service('proxy'), service('old')]);
    expect(Object.keys(applyServicesSnapshot(before, [service('proxy')]))).toEqual(['proxy']);
  });

  it('returns the same map when nothing changed (no re-render)', () => {
    const before = applyServicesSnapshot({}, [service('proxy', { detail: { url: 'http://127.0.0.1:8080' } })]);
    expect(applyServicesSnapshot(before, [service('proxy', { detail: { url: 'http://127.0.0.1:8080' } })])).toBe(before);
    expect(applyServiceEvents(before, [service('proxy', { detail: { url: 'http://127.0.0.1:8080' } })])).toBe(before);
  });

  it('a changed detail or restart count is an update', () => {
    const before = applyServicesSnapshot({}, [service('proxy')]);
    expect(applyServiceEvents(before, [service('proxy', { restarts: 1 })]).proxy?.restarts).toBe(1);
    expect(applyServiceEvents(before, [service('proxy', { detail: { url: 'x' } })]).proxy?.detail).toEqual({ url: 'x' });
  });
});
