import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, session } from 'electron';
import type { JobInfo, Notice, Tick } from '../contract/index.js';
import { loginShellEnv } from '../core/platform/loginShellPath.js';
import { corralResources } from '../core/platform/resources.js';
import { detach } from '../core/errors.js';
import { createSupervisor } from '../core/supervisor.js';
import { createAttachable, startControlOrWarn } from '../core/control/index.js';
import { stateDir } from '../core/reap/index.js';
import type { Supervisor } from '../core/supervisor.js';
import { registerIpc } from './ipc.js';
import { addRecent, wantsDemo, jobFileFromArgv, notificationFor, parseRecent, progressFor, quitBudgetMs, quitPrompt } from './lifecycle.js';
import { menuTemplate } from './menu.js';
import { resolveAppRequest } from './protocol.js';
import { appIndexUrl, appScheme, appSchemePrivileges, isAllowedNavigation, windowOptions } from './window.js';

// Electron main: thin wiring of the pure pieces (window, protocol, ipc, lifecycle, menu).

protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { ...appSchemePrivileges } }]);

const firstFile = jobFileFromArgv(process.argv, process.cwd(), app.isPackaged);
if (!app.requestSingleInstanceLock()) {
  app.quit(); // the first instance gets our argv through 'second-instance'
} else {
  detach(main(), fatal);
}

/** A bug in the app's own wiring: say it in a dialog and in the log, never an unhandled rejection. */
function fatal(err: Error): void {
  console.error(`corral: internal error: ${err.stack ?? err.message}`);
  dialog.showErrorBox('Corral: internal error', err.message);
}

async function main(): Promise<void> {
  let win: BrowserWindow | null = null;
  let supervisor: Supervisor | null = null;
  let job: JobInfo | null = null;
  let quitting = false;
  const recentFile = () => join(app.getPath('userData'), 'recent-jobs.json');
  let recent: string[] = [];

  app.on('second-instance', (_e, argv, cwd) => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    const file = jobFileFromArgv(argv, cwd, app.isPackaged);
    if (file) detach(openJob(file), fatal);
  });
  app.on('open-file', (e, file) => {
    e.preventDefault(); // macOS: Finder "Open With" and dock drops
    detach(openJob(file), fatal);
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev, url) => {
      if (!isAllowedNavigation(url)) ev.preventDefault();
    });
    contents.on('will-redirect', (ev, url) => {
      if (!isAllowedNavigation(url)) ev.preventDefault();
    });
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  await app.whenReady();
  recent = parseRecent(await readFile(recentFile(), 'utf8').catch(() => '[]'));
  const resources = corralResources({ from: __dirname, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath });
  const env = await loginShellEnv({ platform: process.platform, env: process.env });
  supervisor = createSupervisor({ env, resources });

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(appScheme, async (request) => {
    const found = resolveAppRequest(request.url, resources.rendererDir);
    if (!found) return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    return new Response(await readFile(found.file), { status: 200, headers: found.headers });
  });

  // Other supervisors attach to this one through its control socket; the window can attach to theirs.
  detach(startControlOrWarn(supervisor, stateDir(), (l) => console.warn(l)), fatal);
  registerIpc(ipcMain, createAttachable(supervisor, stateDir()), () => win?.webContents ?? null);
  supervisor.on('tick', (tick: Tick) => {
    if (tick.job) job = tick.job;
    win?.setProgressBar(progressFor(job));
  });
  supervisor.on('notice', (notice: Notice) => {
    const n = notificationFor(notice);
    if (n && Notification.isSupported()) new Notification(n).show();
  });

  const rebuildMenu = () =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(
          {
            openJob: () => detach(chooseJob(), fatal),
            openRecent: (f) => detach(openJob(f), fatal),
            clearRecent: () => detach(saveRecent([]), fatal),
            runDemo: () => supervisor && detach(supervisor.call('loadJob', { demo: true }).then(showError), fatal),
          },
          recent,
          process.platform === 'darwin',
        ),
      ),
    );
  const saveRecent = async (list: string[]) => {
    recent = list;
    rebuildMenu();
    await writeFile(recentFile(), JSON.stringify(recent)).catch(() => {});
  };
  const showError = (r: { ok: boolean; error?: { message: string; details?: unknown } }) => {
    if (r.ok || !r.error) return;
    const issues = Array.isArray(r.error.details) ? r.error.details.map((i: { text?: string }) => i.text ?? '').join('\n') : '';
    dialog.showErrorBox('Corral could not open the job', [r.error.message, issues].filter(Boolean).join('\n\n'));
  };
  async function openJob(file: string) {
    if (!supervisor) return;
    const r = await supervisor.call('loadJob', { path: file });
    showError(r);
    if (r.ok) {
      app.addRecentDocument(file);
      await saveRecent(addRecent(recent, file));
    }
  }
  async function chooseJob() {
    const opts = { properties: ['openFile' as const], filters: [{ name: 'Job files', extensions: ['yaml', 'yml', 'json'] }] };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    if (!r.canceled && r.filePaths[0]) await openJob(r.filePaths[0]);
  }

  const createWindow = () => {
    win = new BrowserWindow(windowOptions({ preload: resources.preloadScript }));
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => (win = null));
    detach(win.loadURL(appIndexUrl), fatal);
  };
  rebuildMenu();
  createWindow();
  if (firstFile) await openJob(firstFile);
  else if (wantsDemo(process.argv)) {
    const r = await supervisor.call('loadJob', { demo: true });
    showError(r);
    if (r.ok) await supervisor.call('startJob', {});
  }

  app.on('activate', () => {
    if (!win) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (e) => {
    if (quitting || !supervisor) return;
    e.preventDefault(); // stop tasks (asking first if any run) before the process goes
    detach((async () => {
      if (supervisor.hasRunningTasks()) {
        const running = job?.counts.running ?? 1;
        const answer = win ? await dialog.showMessageBox(win, quitPrompt(running)) : await dialog.showMessageBox(quitPrompt(running));
        if (answer.response !== 0) return;
      }
      quitting = true;
      win?.setProgressBar(-1);
      await Promise.race([supervisor.close(), new Promise((r) => setTimeout(r, quitBudgetMs))]);
      app.quit();
    })(), fatal);
  });
}
