/**
 * Records kept by id that arrive two ways: live events (`invoice.changed`, `support.changed`,
 * or a command's answer after the owner changed one) and snapshots (a list or detail answer).
 *
 * The two race: a snapshot requested before a change may arrive after the change's event. The
 * contract's views carry no version, so the slice counts its own: every live write bumps `seq`
 * and stamps the record with it; a snapshot carries the `seq` read when its request was sent
 * (`since`) and never overwrites a record written live after that.
 *
 * Pure; every function returns its input object when nothing changed, so a batch of
 * duplicates costs no store notification.
 */

export interface KeyedRecords<T> {
  readonly byId: Readonly<Record<string, T>>;
  /** Live writes so far (a logical clock, not a count of records). */
  readonly seq: number;
  /** id → `seq` of its last live write. */
  readonly writtenAt: Readonly<Record<string, number>>;
  /** Whether a snapshot has arrived at least once (an empty list is then really empty). */
  readonly loaded: boolean;
}

export function emptyRecords<T>(): KeyedRecords<T> {
  return { byId: {}, seq: 0, writtenAt: {}, loaded: false };
}

export interface RecordRules<T> {
  idOf(record: T): string;
  /** Whether a value from the wire has the fields the UI computes with (events are not validated). */
  isWellFormed(record: unknown): record is T;
  /** Whether two versions show the same thing (then the old object is kept). */
  same(a: T, b: T): boolean;
}

/** Live writes, in order (later ones win). */
export function applyLive<T>(state: KeyedRecords<T>, incoming: readonly unknown[], rules: RecordRules<T>): KeyedRecords<T> {
  let byId: Record<string, T> | null = null;
  let writtenAt: Record<string, number> | null = null;
  const seq = state.seq + 1;
  for (const record of incoming) {
    if (!rules.isWellFormed(record)) continue;
    const id = rules.idOf(record);
    const current = (byId ?? state.byId)[id];
    if (current !== undefined && rules.same(current, record)) continue;
    byId ??= { ...state.byId };
    writtenAt ??= { ...state.writtenAt };
    byId[id] = record;
    writtenAt[id] = seq;
  }
  if (!byId || !writtenAt) return state;
  return { ...state, byId, writtenAt, seq };
}

/**
 * A snapshot read when the slice's `seq` was `since`: adds and updates records, except those
 * written live after `since`. Never removes a record (a filtered or limited list is partial).
 */
export function mergeSnapshot<T>(state: KeyedRecords<T>, incoming: readonly unknown[], since: number, rules: RecordRules<T>): KeyedRecords<T> {
  let byId: Record<string, T> | null = null;
  for (const record of incoming) {
    if (!rules.isWellFormed(record)) continue;
    const id = rules.idOf(record);
    if ((state.writtenAt[id] ?? -1) > since) continue;
    const current = (byId ?? state.byId)[id];
    if (current !== undefined && rules.same(current, record)) continue;
    byId ??= { ...state.byId };
    byId[id] = record;
  }
  if (!byId) return state.loaded ? state : { ...state, loaded: true };
  return { ...state, byId, loaded: true };
}

export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
