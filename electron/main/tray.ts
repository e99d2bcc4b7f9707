/**
 * The tray icon: colour = overall state, tooltip = one-line summary (with what waits for the
 * owner: pending invoices, open tickets, low credit), menu = Open ArbDesk, one line per waiting
 * item (opens the window), one disabled line per service, Quit. The services keep running while the window is closed, so
 * the tray is how the owner sees at a glance that the bot and proxy are up.
 * What to show is decided in status-board.ts; this file only draws it.
 */
import path from 'node:path';
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import type { OverallLevel, TraySummary } from './status-board.js';

export interface TrayActions {
  open(): void;
  quit(): void;
}

export class StatusTray {
  private readonly tray: Tray;
  private readonly icons = new Map<OverallLevel, NativeImage>();
  private shown = '';

  constructor(
    private readonly iconDir: string,
    private readonly actions: TrayActions,
  ) {
    this.tray = new Tray(this.icon('warn'));
    this.tray.on('click', () => actions.open());
  }

  update(summary: TraySummary): void {
    const key = JSON.stringify(summary);
    if (key === this.shown) return; // nothing changed: do not rebuild the menu
    this.shown = key;
    this.tray.setImage(this.icon(summary.level));
    this.tray.setToolTip(summary.tooltip);
    const serviceItems: Electron.MenuItemConstructorOptions[] = summary.lines.length
      ? summary.lines.map((label) => ({ label, enabled: false }))
      : [{ label: 'No service status yet', enabled: false }];
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open ArbDesk', click: () => this.actions.open() },
        { type: 'separator' },
        { label: summary.tooltip.replace(/^ArbDesk — /, ''), enabled: false },
        ...(summary.waiting ?? []).map((line): Electron.MenuItemConstructorOptions => ({ label: `Waiting: ${line}`, click: () => this.actions.open() })),
        ...serviceItems,
        { type: 'separator' },
        { label: 'Quit ArbDesk', click: () => this.actions.quit() },
      ]),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }

  /** resources/tray/tray-<level>.png; Electron picks the @2x file on HiDPI screens itself. */
  private icon(level: OverallLevel): NativeImage {
    let image = this.icons.get(level);
    if (!image) {
      image = nativeImage.createFromPath(path.join(this.iconDir, `tray-${level}.png`));
      this.icons.set(level, image);
    }
    return image;
  }
}
