/**
 * Messages between the Electron main process and the services host running in an Electron
 * `utilityProcess` (see services/host/utility-entry.ts and electron/main/supervisor.ts).
 *
 * The host never imports `electron`; it talks through `process.parentPort`, which Electron
 * provides inside a utility process. Types only; both sides validate what they receive.
 */
import type { CommandName, EventBatch, Result, SystemStatus } from '../contract.js';

/** main → host */
export type ParentToHost =
  /** First message: secrets decrypted by main with safeStorage. The host waits for it before starting. */
  | { type: 'init'; secrets: Record<string, string> }
  | { type: 'invoke'; id: number; method: CommandName; input: unknown }
  | { type: 'shutdown' };

/** host → main */
export type HostToParent =
  | { type: 'ready'; status: SystemStatus }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'events'; batch: EventBatch }
  /** Persist (value) or delete (null) a secret; main encrypts it with safeStorage. */
  | { type: 'secret.persist'; key: string; value: string | null }
  /** The host cannot run (bad config, data dir unusable); main shows the reason and backs off. */
  | { type: 'fatal'; message: string };

/** Arguments main passes to the utility process. */
export interface HostLaunchArgs {
  dataDir: string;
}
