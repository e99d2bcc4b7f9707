/**
 * What the EVM watcher remembers between polls and across restarts, as one JSON string the
 * engine stores for it (get/set callbacks; the watcher never touches the database):
 *
 *   next     the next block to scan for native ETH transfers;
 *   hashes   the hashes of the last scanned blocks (at most `reorgDepth`), to notice reorgs;
 *   covered  for each watched address, the first block it is covered from;
 *   found    native transfers already seen to still-watched addresses, so they are re-reported
 *            with rising confirmations (block scans do not find them again).
 *
 * ERC-20 transfers need no memory: they are asked for again with eth_getLogs every poll.
 */

/** The engine's persistence for the cursor. Synchronous (better-sqlite3) or async both work. */
export interface EvmCursorStore {
  load(): string | null | undefined | Promise<string | null | undefined>;
  save(value: string): void | Promise<void>;
}

export interface FoundNative {
  txHash: string;
  address: string;
  from: string;
  /** wei, decimal string */
  amount: string;
  blockNumber: number;
  blockHash: string;
}

export interface EvmScanState {
  v: 1;
  chainId: number;
  next: number | null;
  hashes: Array<[number, string]>;
  covered: Record<string, number>;
  found: FoundNative[];
}

export function freshState(chainId: number): EvmScanState {
  return { v: 1, chainId, next: null, hashes: [], covered: {}, found: [] };
}

const HASH = /^0x[0-9a-f]{64}$/;
const ADDR = /^0x[0-9a-f]{40}$/;
const isBlock = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Reads a stored state. Anything unreadable, from another chain or another version gives a
 * fresh state and a reason (the watcher then re-covers watched addresses from their fromBlock).
 */
export function parseState(text: string | null | undefined, chainId: number): { state: EvmScanState; problem?: string } {
  if (!text) return { state: freshState(chainId) };
  let raw: Partial<EvmScanState>;
  try {
    raw = JSON.parse(text) as Partial<EvmScanState>;
  } catch {
    return { state: freshState(chainId), problem: 'the stored scan cursor is not JSON; starting over' };
  }
  if (raw?.v !== 1) return { state: freshState(chainId), problem: 'the stored scan cursor has an unknown version; starting over' };
  if (raw.chainId !== chainId) return { state: freshState(chainId), problem: `the stored scan cursor is for chain ${raw.chainId}, not ${chainId}; starting over` };
  const ok =
    (raw.next === null || isBlock(raw.next)) &&
    Array.isArray(raw.hashes) &&
    raw.hashes.every((h) => Array.isArray(h) && isBlock(h[0]) && typeof h[1] === 'string' && HASH.test(h[1])) &&
    typeof raw.covered === 'object' &&
    raw.covered !== null &&
    Object.entries(raw.covered).every(([a, n]) => ADDR.test(a) && isBlock(n)) &&
    Array.isArray(raw.found) &&
    raw.found.every(
      (f) =>
        HASH.test(f.txHash) && ADDR.test(f.address) && typeof f.from === 'string' && /^\d+$/.test(f.amount) && isBlock(f.blockNumber) && HASH.test(f.blockHash),
    );
  if (!ok) return { state: freshState(chainId), problem: 'the stored scan cursor is damaged; starting over' };
  return { state: raw as EvmScanState };
}

export function serializeState(state: EvmScanState): string {
  return JSON.stringify(state);
}
