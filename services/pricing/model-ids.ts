/**
 * Model ids the owner types (`keys issue --models`, `grant`, a package's `model`) are checked
 * against the upstream catalog, so a typo is caught when it is made — not when a customer's
 * key is refused, or a package never goes on sale. With no catalog loaded yet (a fresh install,
 * never connected) there is nothing to check against and every id is accepted.
 */

/** Why `id` is not a model the upstream offers, with the closest ids it does offer; null when it is (or nothing is known). */
export function unknownModelProblem(id: string, known: ReadonlySet<string> | null): string | null {
  if (!known || known.has(id)) return null;
  const tail = id.slice(id.indexOf('/') + 1).toLowerCase().slice(0, 8);
  const near = tail ? [...known].filter((k) => k.toLowerCase().includes(tail)).slice(0, 3) : [];
  return `model "${id}" is not in the upstream catalog${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`;
}

export const CATALOG_HINT = '`arbdesk pricing list` shows the model ids';
