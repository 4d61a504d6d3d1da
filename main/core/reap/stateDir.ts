import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export interface StateDirOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * Where Corral keeps per-user state (the task ledger): $CORRAL_STATE_DIR, else the platform's
 * convention — XDG state on Linux, Application Support on macOS, LocalAppData on Windows.
 */
export function stateDir(opts: StateDirOptions = {}): string {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const home = opts.home ?? homedir();
  if (env.CORRAL_STATE_DIR) return env.CORRAL_STATE_DIR;
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local');
    return win32.join(local, 'Corral');
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'Corral');
  // XDG says a relative XDG_STATE_HOME is invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  if (xdg && xdg.startsWith('/')) return posix.join(xdg, 'corral');
  return posix.join(home, '.local', 'state', 'corral');
}
