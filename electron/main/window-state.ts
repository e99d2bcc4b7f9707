/**
 * Remembering the window's size, position and maximized state between runs.
 *
 * The saved state is only a wish: the monitor it was on may be gone (laptop undocked), so a
 * position is used only if the window's title bar would be on a screen the OS reports now;
 * otherwise the window opens centred. Pure (no electron import); window.ts stores it with
 * electron-store in <dataDir>/desktop-state.json.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent ⇒ let the OS centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 800, maximized: false };
export const MIN_WIDTH = 900;
export const MIN_HEIGHT = 600;

/** JSON schema for electron-store, so a hand-edited or corrupt file is reset, not trusted. */
export const WINDOW_STATE_SCHEMA = {
  type: 'object',
  properties: {
    x: { type: 'integer' },
    y: { type: 'integer' },
    width: { type: 'integer', minimum: 1 },
    height: { type: 'integer', minimum: 1 },
    maximized: { type: 'boolean' },
  },
  required: ['width', 'height', 'maximized'],
  additionalProperties: false,
} as const;

function isFiniteInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** How much of the title bar must be on screen for a saved position to count. */
const GRAB_WIDTH = 100;
const GRAB_HEIGHT = 40;

function titleBarVisible(x: number, y: number, width: number, workAreas: Rect[]): boolean {
  const bar = { x, y, width: Math.min(width, GRAB_WIDTH * 2), height: GRAB_HEIGHT };
  return workAreas.some((area) => {
    const overlapW = Math.min(bar.x + bar.width, area.x + area.width) - Math.max(bar.x, area.x);
    const overlapH = Math.min(bar.y + bar.height, area.y + area.height) - Math.max(bar.y, area.y);
    return overlapW >= GRAB_WIDTH && overlapH >= GRAB_HEIGHT / 2;
  });
}

/** Turns whatever was saved into a state that opens a usable window on today's screens. */
export function restoreWindowState(saved: unknown, workAreas: Rect[]): WindowState {
  if (typeof saved !== 'object' || saved === null) return { ...DEFAULT_WINDOW };
  const s = saved as Partial<Record<keyof WindowState, unknown>>;
  const maxWidth = Math.max(MIN_WIDTH, ...workAreas.map((a) => a.width));
  const maxHeight = Math.max(MIN_HEIGHT, ...workAreas.map((a) => a.height));
  const width = isFiniteInt(s.width) ? Math.min(Math.max(s.width, MIN_WIDTH), maxWidth) : DEFAULT_WINDOW.width;
  const height = isFiniteInt(s.height) ? Math.min(Math.max(s.height, MIN_HEIGHT), maxHeight) : DEFAULT_WINDOW.height;
  const state: WindowState = { width, height, maximized: s.maximized === true };
  if (isFiniteInt(s.x) && isFiniteInt(s.y) && titleBarVisible(s.x, s.y, width, workAreas)) {
    state.x = s.x;
    state.y = s.y;
  }
  return state;
}

/** What to save: the normal (un-maximized) bounds, so un-maximizing next time restores them. */
export function captureWindowState(normalBounds: Rect, maximized: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.round(normalBounds.width),
    height: Math.round(normalBounds.height),
    maximized,
  };
}
