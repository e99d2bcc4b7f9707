/**
 * Builds the renderer (renderer/ → dist/renderer/). `base: './'` makes every asset URL
 * relative, so the same build loads from file:// under Electron and from http:// under the
 * control server (`arbdesk serve`). No network at build time; no inline scripts in the output
 * (the CSP in renderer/index.html forbids them).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

/**
 * `vite` dev server only: React Fast Refresh needs an inline preamble script and HMR a
 * WebSocket, which the production CSP forbids. Relax the meta CSP for the dev server alone.
 */
function devServerCsp(): Plugin {
  return {
    name: 'arbdesk-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: wss:");
    },
  };
}

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react(), devServerCsp()],
  // The renderer's PostCSS config lives at the repo root (postcss.config.cjs).
  css: { postcss: fileURLToPath(new URL('.', import.meta.url)) },
  build: {
    outDir,
    emptyOutDir: true,
    // Chromium (Electron 40 and Playwright's) supports modulepreload natively.
    modulePreload: { polyfill: false },
    // Keep every asset a file: data: URLs would need CSP exceptions.
    assetsInlineLimit: 0,
    target: 'chrome120',
    reportCompressedSize: false,
    // One bundle read from local disk (or 127.0.0.1); splitting it would not make it faster.
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1', strictPort: true },
  preview: { host: '127.0.0.1', strictPort: true },
});
