import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The dashboard bundle: relative base (served from file://, a custom protocol or `corral serve`),
// no inline scripts and no remote origins (the CSP header of app:// and `corral serve` forbids both).
// Paths come from import.meta.url: the renderer lint zone forbids node:* imports, even here.
const dir = (rel: string) => decodeURIComponent(new URL(rel, import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');

/** CORRAL_RENDERER_MOCK=1 keeps the ?mock simulator in a build (scripts/screenshot.mjs --mock needs it). */
const keepMock = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.CORRAL_RENDERER_MOCK === '1';

export const noMockModule = '\0corral-simulator-left-out';
export const noMockMessage = 'the ?mock simulator is not in this build (build the renderer with CORRAL_RENDERER_MOCK=1)';

/** Production builds replace renderer/dev/mock* with a stub, so the simulator chunk never ships. */
export function leaveOutMock(keep = keepMock): Plugin {
  return {
    name: 'corral-leave-out-mock',
    apply: 'build',
    enforce: 'pre',
    resolveId(source) {
      return !keep && /(^|\/)dev\/mock\w*(\.[jt]s)?$/.test(source) ? noMockModule : null;
    },
    load(id) {
      return id === noMockModule ? `export function createMockApi() { throw new Error(${JSON.stringify(noMockMessage)}); }\n` : null;
    },
  };
}

export default defineConfig({
  root: dir('.'),
  base: './',
  plugins: [react(), leaveOutMock()],
  build: {
    outDir: dir('../out/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // Inlined module-preload polyfill would be an inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
});
