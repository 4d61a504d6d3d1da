import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';
import type { UpdatePolicy } from './updates.js';

// The application menu as data; main.ts builds it with Menu.buildFromTemplate.

export interface MenuActions {
  openJob(): void;
  openRecent(file: string): void;
  clearRecent(): void;
  runDemo(): void;
  checkForUpdates?(): void;
  installCommandLineTool?(): void;
}

export const updatesMenuLabel = 'Check for Updates…';
export const cliMenuLabel = 'Install Command Line Tool…';

export function menuTemplate(
  actions: MenuActions,
  recent: readonly string[],
  isMac: boolean,
  updates: UpdatePolicy = { enabled: false, reason: null },
): MenuItemConstructorOptions[] {
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? [
        ...recent.map((f) => ({ label: basename(f), sublabel: f, click: () => actions.openRecent(f) })),
        { type: 'separator' as const },
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No recent jobs', enabled: false }];
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open Job…', accelerator: 'CmdOrCtrl+O', click: () => actions.openJob() },
      { label: 'Open Recent', submenu: recentItems },
      { label: 'Run Demo', click: () => actions.runDemo() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  // Updates are listed everywhere (greyed out, with the reason, when off); the CLI link is macOS only:
  // the deb links /usr/bin/corral and the Windows installer offers PATH.
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      {
        label: updatesMenuLabel,
        enabled: updates.enabled,
        ...(updates.reason ? { sublabel: updates.reason } : {}),
        click: () => actions.checkForUpdates?.(),
      },
      ...(isMac ? [{ label: cliMenuLabel, click: () => actions.installCommandLineTool?.() }] : []),
    ],
  };
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    help,
  ];
}
