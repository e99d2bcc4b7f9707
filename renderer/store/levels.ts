/**
 * Runtime copies of the contract's enums. The renderer may import services/contract.ts for
 * types only, so the lists live here; the checks below fail type-check if the contract adds
 * or renames a member and these lists are not updated.
 */
import type { LogLevel, ServiceState } from '../../services/contract';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const satisfies readonly LogLevel[];
export const SERVICE_STATES = ['off', 'starting', 'running', 'degraded', 'failed'] as const satisfies readonly ServiceState[];

type Covers<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const logLevelsComplete: Covers<LogLevel, (typeof LOG_LEVELS)[number]> = true;
const serviceStatesComplete: Covers<ServiceState, (typeof SERVICE_STATES)[number]> = true;
void logLevelsComplete;
void serviceStatesComplete;

const LEVEL_RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

export function levelRank(level: LogLevel): number {
  return LEVEL_RANK[level] ?? 0;
}

export function isAtLeast(level: LogLevel, min: LogLevel): boolean {
  return levelRank(level) >= levelRank(min);
}
