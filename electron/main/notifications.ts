/**
 * Desktop notifications through Electron's `Notification` (main process). What to tell and when
 * is decided in attention.ts; this file only shows it. A click opens the window.
 */
import { Notification } from 'electron';
import type { DesktopNotice } from './attention.js';

export interface Notifier {
  (notice: DesktopNotice): void;
}

export function desktopNotifier(options: { iconPath: string; onClick: (notice: DesktopNotice) => void; log: { warn(msg: string, fields?: Record<string, unknown>): void } }): Notifier {
  let warned = false;
  return (notice) => {
    if (!Notification.isSupported()) {
      if (!warned) options.log.warn('desktop notifications are not supported on this system; alerts show in the tray and the window only');
      warned = true;
      return;
    }
    const n = new Notification({ title: notice.title, body: notice.body, icon: options.iconPath });
    n.on('click', () => options.onClick(notice));
    n.show();
  };
}
