import { execFile } from 'node:child_process';
import { lstat, readFile, readlink, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, session } from 'electron';
import { autoUpdater } from 'electron-updater';
import type { JobInfo, Notice, Tick } from '../contract/index.js';
import { loginShellEnv } from '../core/platform/loginShellPath.js';
import { corralResources } from '../core/platform/resources.js';
import { detach } from '../core/errors.js';
import { JobRegistry, createJobView, type JobView } from '../core/jobs/index.js';
import { createAttachable, startControlOrWarn } from '../core/control/index.js';
import { stateDir } from '../core/reap/index.js';
import { registerIpc } from './ipc.js';
import { addRecent, wantsDemo, jobFileFromArgv, notificationFor, parseRecent, progressFor, quitBudgetMs, quitPrompt } from './lifecycle.js';
import { installCommandLineTool } from './cliInstall.js';
import { menuTemplate } from './menu.js';
import { resolveAppRequest } from './protocol.js';
import { applyAppIdentity, OpenQueue, resourceEnv } from './startup.js';
import { isDeveloperIdSigned, updateCheckMessage, updatePolicy } from './updates.js';
import { appIndexUrl, appScheme, appSchemePrivileges, isAllowedNavigation, windowOptions } from './window.js';
import { confirmQuit, WindowKeeper } from './windowKeeper.js';

// Electron main: thin wiring of the pure pieces (window, protocol, ipc, lifecycle, menu, startup, updates).

protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { ...appSchemePrivileges } }]);
applyAppIdentity(app, process.platform);

// macOS delivers files opened at launch (`open -a Corral job.yaml`, Finder) as open-file, often
// before ready: registered here, at once, and queued until the supervisor exists.
const toOpen = new OpenQueue();
app.on('open-file', (e, file) => {
  e.preventDefault();
  toOpen.push(file);
});
const firstFile = jobFileFromArgv(process.argv, process.cwd(), app.isPackaged);
if (firstFile) toOpen.push(firstFile);
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

/** `codesign -dv` of the running app (macOS): only a Developer ID signed app can update itself. */
function macDeveloperSigned(): Promise<boolean> {
  return new Promise((done) => execFile('/usr/bin/codesign', ['-dv', process.execPath], (err, _out, stderr) => done(!err && isDeveloperIdSigned(String(stderr)))));
}

async function main(): Promise<void> {
  let jobs: JobRegistry | null = null;
  /** The window's way in: the job it has selected (menu actions load into it) */
  let supervisor: JobView | null = null;
  let job: JobInfo | null = null;
  let quitting = false;
  const recentFile = () => join(app.getPath('userData'), 'recent-jobs.json');
  let recent: string[] = [];

  let started = false; // the window exists (or is being made) from here on
  const keeper = new WindowKeeper(() => {
    const w = new BrowserWindow(windowOptions({ preload: resources.preloadScript }));
    w.once('ready-to-show', () => w.show());
    detach(w.loadURL(appIndexUrl), fatal);
    return w;
  });
  app.on('second-instance', (_e, argv, cwd) => {
    if (started) keeper.ensure(); // the window may be closed (Windows/Linux after a cancelled quit)
    const file = jobFileFromArgv(argv, cwd, app.isPackaged);
    if (file) toOpen.push(file);
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
  const resources = corralResources({ from: __dirname, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, env: resourceEnv(process.env, app.isPackaged) });
  const updates = updatePolicy({
    isPackaged: app.isPackaged,
    platform: process.platform,
    macSigned: process.platform === 'darwin' && app.isPackaged && (await macDeveloperSigned()),
    appImage: process.env.APPIMAGE !== undefined,
  });
  const env = await loginShellEnv({ platform: process.platform, env: process.env });
  // The app's working folder is often / : relative paths in pasted text are refused, not resolved there.
  // Several jobs at once, each its own supervisor and pool (New job in the Runs sidebar).
  jobs = new JobRegistry({ env, resources, pastedBaseDir: null });
  supervisor = createJobView(jobs);

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(appScheme, async (request) => {
    const found = resolveAppRequest(request.url, resources.rendererDir);
    if (!found) return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    return new Response(await readFile(found.file), { status: 200, headers: found.headers });
  });

  // Other supervisors attach to this one through its control socket; the window can attach to theirs.
  const registry = jobs;
  detach(startControlOrWarn(createJobView(registry), stateDir(), (l) => console.warn(l), () => createJobView(registry)), fatal);
  registerIpc(ipcMain, createAttachable(supervisor, stateDir()), () => keeper.current?.webContents ?? null);
  supervisor.on('tick', (tick: Tick) => {
    if (tick.job) job = tick.job;
    keeper.current?.setProgressBar(progressFor(job));
  });
  registry.on('notice', (_jobId: string, notice: Notice) => {
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
            checkForUpdates: () => detach(checkForUpdates(), fatal),
            installCommandLineTool: () => detach(installCli(), fatal),
          },
          recent,
          process.platform === 'darwin',
          updates,
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
    let r = await supervisor.call('loadJob', { path: file });
    // The job on show is running: the file opens as a new job beside it (its own pool).
    if (!r.ok && r.error.code === 'JOB_RUNNING' && (await supervisor.call('newJob', {})).ok) r = await supervisor.call('loadJob', { path: file });
    showError(r);
    if (r.ok) {
      app.addRecentDocument(file);
      await saveRecent(addRecent(recent, file));
    }
  }
  async function chooseJob() {
    const opts = { properties: ['openFile' as const], filters: [{ name: 'Job files', extensions: ['yaml', 'yml', 'json'] }] };
    const win = keeper.current;
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    if (!r.canceled && r.filePaths[0]) await openJob(r.filePaths[0]);
  }
  const tell = async (message: string) => {
    const win = keeper.current;
    await (win ? dialog.showMessageBox(win, { message }) : dialog.showMessageBox({ message }));
  };
  async function checkForUpdates() {
    const current = app.getVersion();
    const r = await autoUpdater.checkForUpdates().then(
      (res) => ({ current, available: res?.isUpdateAvailable ? res.updateInfo.version : null, error: null }),
      (err: Error) => ({ current, available: null, error: err.message }),
    );
    await tell(updateCheckMessage(r));
  }
  async function installCli() {
    const launcher = join(process.resourcesPath, 'bin', 'corral');
    const run = (file: string, args: string[]) =>
      new Promise<void>((done, fail) => execFile(file, args, (err, _o, stderr) => (err ? fail(new Error(String(stderr) || err.message)) : done())));
    await tell((await installCommandLineTool(launcher, { lstat, readlink, symlink, unlink, run })).message);
  }

  rebuildMenu();
  keeper.ensure();
  started = true;
  toOpen.start((file) => detach(openJob(file), fatal));
  if (updates.enabled) detach(autoUpdater.checkForUpdatesAndNotify().then(() => undefined), () => {}); // offline or no release yet: quiet
  if (!firstFile && wantsDemo(process.argv)) {
    const r = await supervisor.call('loadJob', { demo: true });
    showError(r);
    if (r.ok) await supervisor.call('startJob', {});
  }

  app.on('activate', () => keeper.ensure());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (e) => {
    if (quitting || !jobs) return;
    e.preventDefault(); // stop tasks (asking first if any run) before the process goes
    const sup = jobs;
    const ask = async () => {
      const prompt = quitPrompt(sup.list(null).jobs.reduce((n, j) => n + j.running, 0) || 1);
      const win = keeper.current;
      return (await (win ? dialog.showMessageBox(win, prompt) : dialog.showMessageBox(prompt))).response === 0;
    };
    const stop = async () => {
      quitting = true;
      keeper.current?.setProgressBar(-1);
      await Promise.race([sup.closeAll(), new Promise((r) => setTimeout(r, quitBudgetMs))]);
    };
    detach(confirmQuit({ hasRunningTasks: () => sup.hasRunningTasks(), confirm: ask, stop, quit: () => app.quit(), keepWindow: () => keeper.ensure() }), fatal);
  });
}
