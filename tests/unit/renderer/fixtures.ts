/** Small builders for contract values used by the renderer unit tests. */
import type { LogLine, ServiceStatus, SettingView, SystemStatus } from '../../../services/contract';

export function logLine(seq: number, overrides: Partial<LogLine> = {}): LogLine {
  return {
    seq,
    time: new Date(Date.UTC(2025, 0, 1, 12, 0, 0, seq)).toISOString(),
    level: 'info',
    msg: `line ${seq}`,
    fields: {},
    ...overrides,
  };
}

export function service(id: string, overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    id,
    name: id,
    state: 'running',
    reason: '',
    since: '2025-01-01T12:00:00.000Z',
    restarts: 0,
    detail: {},
    ...overrides,
  };
}

export function systemStatus(services: ServiceStatus[], overrides: Partial<SystemStatus> = {}): SystemStatus {
  return {
    version: '0.1.0',
    mode: 'headless',
    pid: 4242,
    startedAt: '2025-01-01T11:00:00.000Z',
    uptimeSeconds: 3600,
    dataDir: '/home/owner/.arbdesk',
    services,
    ...overrides,
  };
}

export function setting(key: string, overrides: Partial<SettingView> = {}): SettingView {
  return {
    key,
    value: '',
    secret: false,
    isSet: true,
    masked: '',
    source: 'default',
    envVars: [],
    type: 'string',
    description: `The ${key} setting.`,
    ...overrides,
  };
}
