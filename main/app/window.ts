import type { BrowserWindowConstructorOptions } from 'electron';

// The window's security posture as pure data, so tests can pin every flag.

export const appScheme = 'app';
export const appHost = 'corral';
export const appOrigin = `${appScheme}://${appHost}`;
export const appIndexUrl = `${appOrigin}/index.html`;

/** The custom scheme the UI loads from: standard (real origin, relative URLs) and secure (like https). */
export const appSchemePrivileges = Object.freeze({
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  bypassCSP: false,
  stream: false,
});

export function windowOptions(paths: { preload: string; icon?: string }): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 560,
    show: false, // shown on ready-to-show: no white flash
    title: 'Corral',
    ...(paths.icon ? { icon: paths.icon } : {}),
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false, // a dropped file goes to the page (and loadJob), never replaces it
    },
  };
}

/** Only the app's own pages may call the supervisor: app://corral/…, nothing else (no file:, no remote). */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  if (typeof frameUrl !== 'string' || frameUrl.length === 0) return false;
  let u: URL;
  try {
    u = new URL(frameUrl);
  } catch {
    return false;
  }
  return u.protocol === `${appScheme}:` && u.host === appHost && u.username === '' && u.password === '';
}

/** Navigation is refused except to the app's own pages (a reload of app://corral/…). */
export function isAllowedNavigation(url: string): boolean {
  return isTrustedSender(url);
}

/** The UI's CSP: nothing remote, no inline or eval'd script; inline styles for chart/table positioning. */
export const appCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
