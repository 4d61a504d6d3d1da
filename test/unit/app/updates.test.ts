import { describe, expect, it } from 'vitest';
import { cliMenuLabel, menuTemplate, updatesMenuLabel } from '../../../main/app/menu.js';
import { isDeveloperIdSigned, updateCheckMessage, updatePolicy } from '../../../main/app/updates.js';

type Item = { label?: string; role?: string; enabled?: boolean; sublabel?: string; click?: () => void; submenu?: Item[] };

describe('updatePolicy (item 12)', () => {
  const base = { isPackaged: true, platform: 'win32' as NodeJS.Platform, macSigned: false, appImage: false };
  it('is off in development', () => {
    expect(updatePolicy({ ...base, isPackaged: false })).toEqual({ enabled: false, reason: 'Updates are off in development builds.' });
  });
  it('on macOS only for a Developer ID signed app', () => {
    expect(updatePolicy({ ...base, platform: 'darwin' })).toEqual({ enabled: false, reason: 'Updates need a signed build; this copy of Corral is not signed.' });
    expect(updatePolicy({ ...base, platform: 'darwin', macSigned: true })).toEqual({ enabled: true, reason: null });
  });
  it('on Windows when installed; on Linux for the AppImage only (apt owns the .deb)', () => {
    expect(updatePolicy(base).enabled).toBe(true);
    expect(updatePolicy({ ...base, platform: 'linux', appImage: true }).enabled).toBe(true);
    expect(updatePolicy({ ...base, platform: 'linux' })).toEqual({ enabled: false, reason: 'Updates on Linux come from your package manager (.deb) or a new AppImage.' });
  });
});

describe('isDeveloperIdSigned', () => {
  it('reads codesign -dv output', () => {
    expect(isDeveloperIdSigned('Executable=/Applications/Corral.app/Contents/MacOS/Corral\nSignature=adhoc\nTeamIdentifier=not set\n')).toBe(false);
    expect(isDeveloperIdSigned('Authority=Developer ID Application: Corral Devs (AB12CD34EF)\nAuthority=Developer ID Certification Authority\n')).toBe(true);
    expect(isDeveloperIdSigned('Authority=Apple Development: someone (X)\n')).toBe(false);
  });
});

describe('updateCheckMessage', () => {
  it('says what a manual check found', () => {
    expect(updateCheckMessage({ current: '0.1.0', available: null, error: null })).toBe('Corral 0.1.0 is the newest version.');
    expect(updateCheckMessage({ current: '0.1.0', available: '0.1.0', error: null })).toBe('Corral 0.1.0 is the newest version.');
    expect(updateCheckMessage({ current: '0.1.0', available: '0.2.0', error: null })).toBe(
      'Corral 0.2.0 is available (you have 0.1.0); it is downloading and will be installed when you quit.',
    );
    expect(updateCheckMessage({ current: '0.1.0', available: null, error: 'net::ERR_INTERNET_DISCONNECTED' })).toBe(
      'Could not check for updates: net::ERR_INTERNET_DISCONNECTED',
    );
  });
});

describe('Help menu', () => {
  const clicked: string[] = [];
  const actions = {
    openJob() {},
    openRecent() {},
    clearRecent() {},
    runDemo() {},
    checkForUpdates: () => void clicked.push('updates'),
    installCommandLineTool: () => void clicked.push('cli'),
  };
  const help = (isMac: boolean, updates = { enabled: true, reason: null as string | null }) =>
    ((menuTemplate(actions, [], isMac, updates) as Item[]).find((m) => m.role === 'help')?.submenu ?? []) as Item[];

  it('"Check for Updates…" runs the check when updates are on', () => {
    const item = help(false).find((i) => i.label === updatesMenuLabel)!;
    expect(item.enabled).toBe(true);
    item.click!();
    expect(clicked).toContain('updates');
  });

  it('is greyed out with the reason when off (development)', () => {
    const item = help(false, { enabled: false, reason: 'Updates are off in development builds.' }).find((i) => i.label === updatesMenuLabel)!;
    expect(item).toMatchObject({ enabled: false, sublabel: 'Updates are off in development builds.' });
  });

  it('"Install Command Line Tool…" is on macOS only', () => {
    expect(help(false).map((i) => i.label)).toEqual([updatesMenuLabel]);
    const mac = help(true);
    expect(mac.map((i) => i.label)).toEqual([updatesMenuLabel, cliMenuLabel]);
    mac[1].click!();
    expect(clicked).toContain('cli');
  });
});
