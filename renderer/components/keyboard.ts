/**
 * Keyboard navigation: Alt+1 … Alt+9 open the screens in navbar order, and the skip link moves
 * focus past the header and navbar. Pure helpers (the listener is in AppFrame).
 */
import { ROUTES, type RouteId } from '../router/routes';

/** "Alt+1" for the first screen … "Alt+9"; none past the ninth. */
export function shortcutLabel(index: number): string | undefined {
  return index < 9 ? `Alt+${index + 1}` : undefined;
}

/**
 * The screen an Alt+digit key press opens, or null. Reads `code` (Digit1…), not `key`, so it
 * works on layouts where Alt+1 types another character (macOS Option+1 = ¡).
 */
export function screenForShortcut(event: { altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; code: string }): RouteId | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const m = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  if (!m) return null;
  return ROUTES[Number(m[1]) - 1]?.id ?? null;
}

/** Focus the page's h1 (or the main region) — where the skip link and a repeated shortcut land. */
interface Focusable {
  focus(): void;
}

/** Structural (no DOM lib types), so the pure tests in tests/unit can import this file. */
export function focusMain(main: (Focusable & { querySelector(selector: string): unknown }) | null): void {
  const title = main?.querySelector('[data-page-title]') as Focusable | null | undefined;
  (title ?? main)?.focus();
}
