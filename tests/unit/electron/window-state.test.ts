import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW, MIN_HEIGHT, MIN_WIDTH, captureWindowState, restoreWindowState } from '../../../electron/main/window-state.js';

const laptop = [{ x: 0, y: 0, width: 1440, height: 900 }];
const docked = [...laptop, { x: 1440, y: 0, width: 2560, height: 1440 }];

describe('window state', () => {
  it('restores size, position and maximized state that fit today’s screens', () => {
    expect(restoreWindowState({ x: 1600, y: 100, width: 1800, height: 1000, maximized: true }, docked)).toEqual({
      x: 1600,
      y: 100,
      width: 1800,
      height: 1000,
      maximized: true,
    });
  });

  it('drops a position on a monitor that is gone, so the window opens centred', () => {
    expect(restoreWindowState({ x: 1600, y: 100, width: 1200, height: 800, maximized: false }, laptop)).toEqual({
      width: 1200,
      height: 800,
      maximized: false,
    });
  });

  it('keeps the title bar reachable: a window pushed above or left off-screen is recentred', () => {
    expect(restoreWindowState({ x: 100, y: -500, width: 1000, height: 700, maximized: false }, laptop)).not.toHaveProperty('x');
    expect(restoreWindowState({ x: -1950, y: 10, width: 2000, height: 700, maximized: false }, laptop)).not.toHaveProperty('x');
  });

  it('clamps sizes to the minimum and to the largest screen', () => {
    expect(restoreWindowState({ width: 10, height: 10, maximized: false }, laptop)).toMatchObject({ width: MIN_WIDTH, height: MIN_HEIGHT });
    expect(restoreWindowState({ width: 9000, height: 9000, maximized: false }, laptop)).toMatchObject({ width: 1440, height: 900 });
  });

  it('falls back to the defaults for missing or corrupt state', () => {
    expect(restoreWindowState(undefined, laptop)).toEqual(DEFAULT_WINDOW);
    expect(restoreWindowState('garbage', laptop)).toEqual(DEFAULT_WINDOW);
    expect(restoreWindowState({ width: 'wide', height: null, x: 1.5 }, laptop)).toEqual(DEFAULT_WINDOW);
  });

  it('saves whole pixels', () => {
    expect(captureWindowState({ x: 10.4, y: 20.6, width: 1000.5, height: 700.2 }, false)).toEqual({
      x: 10,
      y: 21,
      width: 1001,
      height: 700,
      maximized: false,
    });
  });
});
