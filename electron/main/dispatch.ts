/**
 * What happens to one `arbdesk:invoke` message, in order:
 *   1. the sending frame must be the top frame of our own page (else `forbidden_sender`);
 *   2. the method must be in the contract and the input must pass its zod schema
 *      (`checkCommand`: `unknown_command` / `invalid_input`);
 *   3. only then is it forwarded to the services host, which answers with a Result (or
 *      `host_unavailable` while it is down — see supervisor.ts).
 * The sender is checked first so an untrusted frame learns nothing, not even which names exist.
 *
 * Pure (no electron import): ipc.ts adapts Electron's event to `SenderInfo`.
 */
import { checkCommand, fail, type CommandName, type Result } from '../../services/contract.js';
import type { SenderInfo } from './url-policy.js';

export interface DispatchDeps {
  isTrustedSender(sender: SenderInfo | null): boolean;
  /** Sends a checked command to the services host; resolves with its answer, never rejects. */
  forward(method: CommandName, input: unknown): Promise<Result<unknown>>;
  /** Told about refused messages (without their input, which may hold secrets). */
  onRefused?(reason: string, sender: SenderInfo | null, method: unknown): void;
}

export type InvokeHandler = (sender: SenderInfo | null, method: unknown, input: unknown) => Promise<Result<unknown>>;

export function createInvokeHandler(deps: DispatchDeps): InvokeHandler {
  return async (sender, method, input) => {
    if (!deps.isTrustedSender(sender)) {
      deps.onRefused?.('forbidden_sender', sender, method);
      return fail('forbidden_sender', 'This request did not come from the ArbDesk window.');
    }
    const checked = checkCommand(method, input);
    if (!checked.ok) {
      deps.onRefused?.(checked.error.code, sender, method);
      return checked;
    }
    try {
      return await deps.forward(checked.method, checked.input);
    } catch (err) {
      // forward() should not throw; if it does, the renderer still gets data, not a stack.
      deps.onRefused?.(`forward failed: ${(err as Error).message}`, sender, method);
      return fail('internal', `${checked.method} failed inside the desktop shell; details are in the log.`);
    }
  };
}
