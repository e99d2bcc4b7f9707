/** Turning whatever came back over the wire into a contract `Result`, never a throw. */
import type { CommandError, ErrorCode, Result } from '../../services/contract';

export const NOT_SIGNED_IN_MESSAGE =
  'Not signed in. Open the login URL printed by `arbdesk serve` (or run `arbdesk url`).';

export function failure(code: ErrorCode, message: string): { ok: false; error: CommandError } {
  return { ok: false, error: { code, message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok === false) {
    const error = value.error;
    return isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string';
  }
  return false;
}

export function errorText(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}
