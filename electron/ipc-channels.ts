/**
 * The only two IPC channels between a window and main. Shared by main and preload so the
 * names cannot drift apart; a channel not listed here has no handler in main.
 */
/** renderer → main, ipcRenderer.invoke(method, input) → Result */
export const INVOKE_CHANNEL = 'arbdesk:invoke';
/** main → renderer, one EventBatch per message */
export const EVENTS_CHANNEL = 'arbdesk:events';
