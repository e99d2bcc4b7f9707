import type { ArbdeskBridge, CommandError, CommandName, CommandInput, CommandOutput, EventBatch, Result } from '../../services/contract';
import type { LinkStatus } from '../store/connection';

export type Invoke = <M extends CommandName>(method: M, input?: CommandInput<M>) => Promise<Result<CommandOutput<M>>>;

/**
 * What the rest of the renderer uses: the contract's bridge, plus transport news the stores
 * need. Same API whether it runs under Electron (IPC) or in a browser (HTTP + WebSocket).
 */
export interface Api {
  readonly transport: 'ipc' | 'http';
  invoke: Invoke;
  /** Every event batch; returns an unsubscribe function. */
  subscribe(listener: (batch: EventBatch) => void): () => void;
  /** Browser only: the event WebSocket opened, closed or is retrying. */
  onLink(listener: (link: LinkStatus) => void): () => void;
  /** A call came back `unauthorized` (the control server does not know our cookie). */
  onUnauthorized(listener: (error: CommandError) => void): () => void;
}

export type { ArbdeskBridge };
