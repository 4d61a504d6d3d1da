export { contentTypes, contentTypeFor, resolveStaticPath } from '../core/platform/staticFiles.js';

/** Vite puts content-hashed files under /assets/: cache them for good; everything else revalidates. */
export function cacheControlFor(urlPath: string): string {
  return urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * The dashboard's CSP. Scripts only from the page's own origin (no inline, no eval); inline
 * styles allowed because recharts and the virtualized table position elements with style
 * attributes; connections only to this server's WebSocket.
 */
export function dashboardCsp(origin: { host: string }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${origin.host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every response. */
export function securityHeaders(hostHeader: string): Record<string, string> {
  return {
    'Content-Security-Policy': dashboardCsp({ host: hostHeader }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
