import react from '@vitejs/plugin-react';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard bundle: relative base (served from file://, a custom protocol or `corral serve`),
// no inline scripts and no remote origins (the CSP in index.html forbids both).
const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: join(here, '..', 'out', 'renderer'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // Inlined module-preload polyfill would be an inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
});
