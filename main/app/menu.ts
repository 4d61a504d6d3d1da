import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';

// The application menu as data; main.ts builds it with Menu.buildFromTemplate.

export interface MenuActions {
  openJob(): void;
  openRecent(file: string): void;
  clearRecent(): void;
  runDemo(): void;
}

export function menuTemplate(actions: MenuActions, recent: readonly string[], isMac: boolean): MenuItemConstructorOptions[] {
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
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
}
