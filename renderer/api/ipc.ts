/**
 * The Electron transport: the preload's `window.arbdesk` (contract ArbdeskBridge), used as is.
 * The only addition is a safety net: if the bridge ever rejects instead of answering with a
 * Result, the UI still gets a Result.
 */
import type { ArbdeskBridge, CommandError, CommandInput, CommandName, CommandOutput, Result } from '../../services/contract';
import { errorText, failure } from './result';
import type { Api } from './types';

export function createIpcApi(bridge: ArbdeskBridge): Api {
  const authListeners = new Set<(error: CommandError) => void>();

  async function invoke<M extends CommandName>(method: M, input?: CommandInput<M>): Promise<Result<CommandOutput<M>>> {
    let result: Result<CommandOutput<M>>;
    try {
      result = await bridge.invoke(method, input);
    } catch (error) {
      result = failure('internal', `The desktop bridge failed: ${errorText(error)}`);
    }
    if (!result.ok && result.error.code === 'unauthorized') {
      const error = result.error;
      for (const listener of [...authListeners]) listener(error);
    }
    return result;
  }

  return {
    transport: 'ipc',
    invoke,
    subscribe: (listener) => bridge.subscribe(listener),
    onLink(listener) {
      listener({ state: 'open', reason: '', attempt: 0, retryInMs: null });
      return () => undefined;
    },
    onUnauthorized(listener) {
      authListeners.add(listener);
      return () => authListeners.delete(listener);
    },
  };
}
