/**
 * Checks messages from the services host before main acts on them. The host is our own code,
 * but a message that is not what the protocol says (a bug, a half-upgraded build) must be
 * dropped with a log line rather than crash main or reach a window in a shape the UI does
 * not expect. Pure (no electron import).
 */
import { isEventName, type EventBatch, type Result, type SystemStatus } from '../../services/contract.js';
import type { HostToParent } from '../../services/host/parent-protocol.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value)) return false;
  if (value.ok === true) return 'value' in value;
  return value.ok === false && isRecord(value.error) && typeof value.error.code === 'string' && typeof value.error.message === 'string';
}

function isBatch(value: unknown): value is EventBatch {
  return isRecord(value) && isEventName(value.stream) && Array.isArray(value.events);
}

function isStatus(value: unknown): value is SystemStatus {
  return isRecord(value) && Array.isArray(value.services);
}

/** Returns the message typed, or null when it does not match the protocol. */
export function parseHostMessage(raw: unknown): HostToParent | null {
  if (!isRecord(raw)) return null;
  switch (raw.type) {
    case 'ready':
      return isStatus(raw.status) ? { type: 'ready', status: raw.status } : null;
    case 'result':
      return Number.isInteger(raw.id) && isResult(raw.result)
        ? { type: 'result', id: raw.id as number, result: raw.result }
        : null;
    case 'events':
      return isBatch(raw.batch) ? { type: 'events', batch: raw.batch } : null;
    case 'secret.persist':
      return typeof raw.key === 'string' && raw.key.length > 0 && (typeof raw.value === 'string' || raw.value === null)
        ? { type: 'secret.persist', key: raw.key, value: raw.value }
        : null;
    case 'fatal':
      return typeof raw.message === 'string' ? { type: 'fatal', message: raw.message } : null;
    default:
      return null;
  }
}
