// When Corral updates itself (electron-updater, GitHub Releases feed in electron-builder.yml).
// Off in development; on macOS only for a Developer ID signed app, since Squirrel.Mac refuses to
// install an update into an app that is not, and an ad-hoc signed build would fail every check.

export interface UpdatePolicy {
  enabled: boolean;
  /** Why updates are off, shown under the menu item; null when enabled */
  reason: string | null;
}

export const updateOffReasons = Object.freeze({
  development: 'Updates are off in development builds.',
  unsignedMac: 'Updates need a signed build; this copy of Corral is not signed.',
  appImageOnly: 'Updates on Linux come from your package manager (.deb) or a new AppImage.',
});

/** True when `codesign -dv` output names a Developer ID authority (not "Signature=adhoc"). */
export function isDeveloperIdSigned(codesignOutput: string): boolean {
  return /^Authority=Developer ID Application: /m.test(codesignOutput);
}

export function updatePolicy(o: { isPackaged: boolean; platform: NodeJS.Platform; macSigned: boolean; appImage: boolean }): UpdatePolicy {
  if (!o.isPackaged) return { enabled: false, reason: updateOffReasons.development };
  if (o.platform === 'darwin' && !o.macSigned) return { enabled: false, reason: updateOffReasons.unsignedMac };
  // electron-updater updates an AppImage in place; a .deb belongs to apt and the user's own upgrades.
  if (o.platform === 'linux' && !o.appImage) return { enabled: false, reason: updateOffReasons.appImageOnly };
  return { enabled: true, reason: null };
}

/** What the "Check for Updates…" dialog says after a manual check. */
export function updateCheckMessage(r: { current: string; available: string | null; error: string | null }): string {
  if (r.error !== null) return `Could not check for updates: ${r.error}`;
  if (r.available === null || r.available === r.current) return `Corral ${r.current} is the newest version.`;
  return `Corral ${r.available} is available (you have ${r.current}); it is downloading and will be installed when you quit.`;
}
