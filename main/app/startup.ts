import { fileURLToPath } from 'node:url';

// Start-up decisions as plain functions: the Windows identity, which environment the app trusts
// when installed, job files that arrive before the supervisor exists, file:// URIs from launchers.

/** electron-builder.yml appId: the NSIS installer tags shortcuts with it, so notifications and the taskbar match. */
export const appUserModelId = 'app.corral.desktop';

/** Windows only: without it, notifications may be dropped and the taskbar shows a second icon. */
export function applyAppIdentity(app: { setAppUserModelId(id: string): void }, platform: NodeJS.Platform): void {
  if (platform === 'win32') app.setAppUserModelId(appUserModelId);
}

/** CORRAL_APP_ROOT redirects preload, renderer, module host and reaper: a development aid, never trusted when installed. */
export function resourceEnv(env: NodeJS.ProcessEnv, isPackaged: boolean): NodeJS.ProcessEnv {
  if (!isPackaged || env.CORRAL_APP_ROOT === undefined) return env;
  const { CORRAL_APP_ROOT: _ignored, ...rest } = env;
  return rest;
}

/** A path, or a file:// URI as desktop launchers pass for %U (spaces and non-ASCII percent-encoded). Null for other URIs. */
export function pathFromArg(arg: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) return arg;
  if (!/^file:\/\//i.test(arg)) return null;
  try {
    return fileURLToPath(arg);
  } catch {
    return null; // file://host/… (a remote host) or an encoded slash: not a local file
  }
}

/**
 * Files to open that arrive before the supervisor exists (macOS sends `open-file` before `ready`)
 * wait here, in order, and are opened once `start` is given the opener; later ones open at once.
 */
export class OpenQueue {
  #waiting: string[] = [];
  #open: ((file: string) => void) | null = null;

  push(file: string): void {
    if (this.#open) this.#open(file);
    else this.#waiting.push(file);
  }

  start(open: (file: string) => void): void {
    this.#open = open;
    const files = this.#waiting;
    this.#waiting = [];
    let failed: unknown = null;
    for (const file of files) {
      try {
        open(file);
      } catch (err) {
        failed ??= err; // the files after it are still opened
      }
    }
    if (failed !== null) throw failed;
  }
}
