import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { appCsp, appHost, appScheme } from './window.js';

// app://corral/<path> → a file inside out/renderer. Anything else is a 404: other hosts,
// traversal (raw or encoded), directories, symlinks leading out of the folder.

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface AppFile {
  file: string;
  headers: Record<string, string>;
}

export function resolveAppRequest(url: string, rendererDir: string): AppFile | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${appScheme}:` || u.host !== appHost) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((p) => p === '..' || p === '.')) return null;
  try {
    const root = realpathSync(rendererDir);
    const real = realpathSync(join(root, path === '/' ? 'index.html' : path.slice(1)));
    const rel = relative(root, real);
    if (rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel) || !statSync(real).isFile()) return null;
    return {
      file: real,
      headers: {
        'Content-Type': types[extname(real).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': appCsp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    };
  } catch {
    return null;
  }
}
