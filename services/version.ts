/** The app version, injected at build time from package.json (see scripts/build.mjs, vitest.config.ts). */
declare const __ARBDESK_VERSION__: string | undefined;

export const VERSION: string = typeof __ARBDESK_VERSION__ !== 'undefined' ? __ARBDESK_VERSION__ : '0.0.0-dev';
