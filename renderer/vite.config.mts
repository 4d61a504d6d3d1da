import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboard bundle: relative base (served from file://, a custom protocol or `corral serve`),
// no inline scripts and no remote origins (the CSP in index.html forbids both).
// Paths come from import.meta.url: the renderer lint zone forbids node:* imports, even here.
const dir = (rel: string) => decodeURIComponent(new URL(rel, import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');

export default defineConfig({
  root: dir('.'),
  base: './',
  plugins: [react()],
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
