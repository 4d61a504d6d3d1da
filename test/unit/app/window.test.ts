import { describe, expect, it } from 'vitest';
import { appCsp, appSchemePrivileges, isAllowedNavigation, isTrustedSender, windowOptions } from '../../../main/app/window.js';

describe('windowOptions', () => {
  const o = windowOptions({ preload: '/app/out/preload/index.cjs' });
  it('isolates and sandboxes the renderer', () => {
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(o.show).toBe(false);
    expect('icon' in o).toBe(false);
    expect(windowOptions({ preload: 'p', icon: 'i.png' }).icon).toBe('i.png');
  });
  it('registers app:// as standard and secure, without bypassing CSP', () => {
    expect(appSchemePrivileges).toMatchObject({ standard: true, secure: true, bypassCSP: false });
  });
  it('has a CSP with no remote origins and no inline or eval script', () => {
    expect(appCsp).toContain("default-src 'none'");
    expect(appCsp).toContain("script-src 'self';");
    expect(appCsp).not.toMatch(/https?:|\*|unsafe-eval/);
  });
});

describe('isTrustedSender', () => {
  it.each(['app://corral/index.html', 'app://corral/', 'app://corral/index.html#/tasks'])('trusts %s', (u) =>
    expect(isTrustedSender(u)).toBe(true),
  );
  it.each([
    'APP://CORRAL/index.html', // Chromium hands frame URLs over canonical (lower case); anything else is not ours
    'app://corral.evil/index.html',
    'app://evil/index.html',
    'app://corral@evil/index.html',
    'app://x:y@corral/',
    'app://corral:81/',
    'file:///app/out/renderer/index.html',
    'https://corral/',
    'http://127.0.0.1:7420/',
    'about:blank',
    'devtools://devtools/',
    '',
    'not a url',
    null,
    undefined,
  ])('refuses %s', (u) => expect(isTrustedSender(u)).toBe(false));
  it('allows navigation only within the app', () => {
    expect(isAllowedNavigation('app://corral/index.html')).toBe(true);
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
  });
});
