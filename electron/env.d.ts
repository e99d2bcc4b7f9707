/** Replaced at build time by scripts/build.mjs (esbuild `define`) with package.json's version. */
declare const __ARBDESK_VERSION__: string;
