import { describe, expect, it } from 'vitest';
import { describeConnectionProblem, initialConnection, type ConnectionState } from '../../../renderer/store/connection';
import { overallStatus } from '../../../renderer/store/overall';
import { service } from './fixtures';

const http = (patch: Partial<ConnectionState> = {}): ConnectionState => ({ ...initialConnection('http'), ...patch });
const ipc = (patch: Partial<ConnectionState> = {}): ConnectionState => ({ ...initialConnection('ipc'), ...patch });

describe('connection banner text', () => {
  it('says nothing while the first connection is being made or when all is up', () => {
    expect(describeConnectionProblem(http())).toBeNull();
    expect(describeConnectionProblem(ipc({ host: { state: 'up', reason: '', restarts: 0 } }))).toBeNull();
  });

  it('says the WebSocket is down, why, and when it retries', () => {
    const problem = describeConnectionProblem(
      http({ link: { state: 'closed', reason: 'the control server cannot be reached', attempt: 2, retryInMs: 2000 } }),
    );
    expect(problem?.title).toBe('Connection to the services host is down');
    expect(problem?.message).toBe('The control server cannot be reached. Reconnecting in 2 s…');
  });

  it('keeps saying why while a reconnect attempt is under way', () => {
    const problem = describeConnectionProblem(
      http({ link: { state: 'connecting', reason: 'the control server is shutting down', attempt: 1, retryInMs: null } }),
    );
    expect(problem?.message).toBe('The control server is shutting down. Reconnecting now…');
  });

  it('says the host is down or restarting, with the reason from host.status', () => {
    expect(describeConnectionProblem(ipc({ host: { state: 'down', reason: 'exited with code 1', restarts: 0 } }))).toEqual({
      title: 'The services host is down',
      message: 'Exited with code 1',
      severity: 'error',
    });
    expect(
      describeConnectionProblem(ipc({ host: { state: 'restarting', reason: 'crashed (SIGSEGV)', restarts: 3 } }))?.message,
    ).toBe('Crashed (SIGSEGV) (restart 3).');
  });

  it('leaves the not-signed-in case to the full-page message', () => {
    expect(
      describeConnectionProblem(
        http({ auth: 'unauthorized', link: { state: 'closed', reason: 'x', attempt: 1, retryInMs: 500 } }),
      ),
    ).toBeNull();
  });
});

describe('overall status badge', () => {
  const up = { host: { state: 'up' as const, reason: '', restarts: 0 } };

  it('names the worst service state', () => {
    expect(overallStatus([service('a'), service('b', { state: 'failed' }), service('c', { state: 'failed' })], ipc(up))).toEqual({
      label: '2 failed',
      color: 'red',
    });
    expect(overallStatus([service('a'), service('b', { state: 'degraded' })], ipc(up)).label).toBe('1 degraded');
    expect(overallStatus([service('a'), service('b', { state: 'starting' })], ipc(up)).label).toBe('Starting');
    expect(overallStatus([service('a'), service('b', { state: 'off' })], ipc(up)).label).toBe('Running');
    expect(overallStatus([service('b', { state: 'off' })], ipc(up)).label).toBe('Idle');
  });

  it('puts connection problems first', () => {
    const services = [service('a')];
    expect(overallStatus(services, http({ link: { state: 'closed', reason: '', attempt: 1, retryInMs: 1 } })).label).toBe(
      'Disconnected',
    );
    expect(overallStatus(services, ipc({ host: { state: 'down', reason: '', restarts: 0 } })).label).toBe('Host down');
    expect(overallStatus(services, ipc({ host: { state: 'restarting', reason: '', restarts: 1 } })).label).toBe('Restarting');
    expect(overallStatus(services, http({ auth: 'unauthorized' })).label).toBe('Not signed in');
  });
});
