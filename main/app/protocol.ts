import { contentTypeFor, resolveStaticPath } from '../core/platform/staticFiles.js';
import { appCsp, appHost, appScheme } from './window.js';

// app://corral/<path> → a file inside out/renderer. Anything else is a 404: other hosts,
// traversal (raw or encoded), directories, symlinks leading out of the folder.

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
  const real = resolveStaticPath(rendererDir, u.pathname);
  if (!real) return null;
  return {
    file: real,
    headers: {
      'Content-Type': contentTypeFor(real),
      'Content-Security-Policy': appCsp,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    },
  };
}
