import { spawn } from 'node:child_process';

/**
 * Apps started from Finder, the Dock or a desktop launcher inherit a bare PATH
 * (macOS: /usr/bin:/bin:/usr/sbin:/sbin), so `command: convert {}` would not find what the user's
 * terminal finds (Homebrew, nvm, ~/.local/bin). Corral asks the user's login shell for its PATH
 * once at start-up and puts it in front of its own. Windows apps get the full user PATH already.
 */

export type ShellRunner = (shell: string, args: string[]) => Promise<string>;

export interface LoginShellOptions {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Overrides the guess from the environment (TERM / TERM_PROGRAM) */
  launchedFromTerminal?: boolean;
  /** Runs the shell and resolves with its stdout; defaults to spawning it with a timeout */
  runShell?: ShellRunner;
  /** How long the login shell may take before Corral keeps its own PATH; default 5 s */
  timeoutMs?: number;
}

export type LoginShellOutcome = 'not-needed' | 'merged' | 'no-path-in-output' | 'timeout' | 'failed';

export interface LoginShellResult {
  env: NodeJS.ProcessEnv;
  outcome: LoginShellOutcome;
  /** Why the shell's PATH was not used, for the log */
  detail?: string;
}

export const DEFAULT_LOGIN_SHELL_TIMEOUT_MS = 5_000;
// Unlikely in any banner; the PATH is taken from between the last pair.
export const PATH_MARKER = '__CORRAL_PATH_6b1f__';

/** Terminals set TERM (and most set TERM_PROGRAM); launchd and desktop launchers do not. */
export function isLaunchedFromTerminal(env: NodeJS.ProcessEnv): boolean {
  const term = env.TERM;
  return Boolean((term && term !== 'dumb') || env.TERM_PROGRAM);
}

/** The shell to ask and its arguments: interactive + login, so both .zprofile and .zshrc run. */
export function loginShellCommand(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): { shell: string; args: string[] } {
  const shell = env.SHELL && env.SHELL.startsWith('/') ? env.SHELL : platform === 'darwin' ? '/bin/zsh' : '/bin/sh';
  const script = `printf '%s%s%s' '${PATH_MARKER}' "$PATH" '${PATH_MARKER}'`;
  const name = shell.slice(shell.lastIndexOf('/') + 1);
  // csh/tcsh accept -l only as the sole argument; they read .login-like files via -i anyway.
  const args = name === 'csh' || name === 'tcsh' ? ['-i', '-c', script] : ['-i', '-l', '-c', script];
  return { shell, args };
}

/**
 * The PATH printed between the last two markers, or undefined when the output has none.
 * rc files may print banners, escape codes or the marker-less prompt around it.
 */
export function parseShellPath(output: string): string | undefined {
  const end = output.lastIndexOf(PATH_MARKER);
  if (end <= 0) return undefined;
  const start = output.lastIndexOf(PATH_MARKER, end - 1);
  if (start < 0) return undefined;
  const path = output.slice(start + PATH_MARKER.length, end);
  if (/[\0\r\n]/.test(path)) return undefined;
  const entries = path.split(':').filter((p) => p.startsWith('/'));
  return entries.length > 0 ? entries.join(':') : undefined;
}

/** Shell entries first (the terminal's order), then the app's own that the shell lacks. */
export function mergePath(shellPath: string, currentPath: string | undefined): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of [...shellPath.split(':'), ...(currentPath ?? '').split(':')]) {
    if (p === '' || seen.has(p)) continue;
    seen.add(p);
    out.push(p);
  }
  return out.join(':');
}

/** Spawns the shell in its own process group so a hanging rc file can be killed with its children. */
export function spawnShellRunner(env: NodeJS.ProcessEnv, timeoutMs: number): ShellRunner {
  return (shell, args) =>
    new Promise((resolve, reject) => {
      const child = spawn(shell, args, { env, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        killGroup(child.pid);
        reject(new Error(`login shell ${shell} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', () => {
        clearTimeout(timer);
        // The shell may have left background jobs from rc files in its group.
        killGroup(child.pid);
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function loginShellPath(opts: LoginShellOptions): Promise<LoginShellResult> {
  const { platform, env } = opts;
  if (platform === 'win32') return { env, outcome: 'not-needed', detail: 'Windows apps inherit the user PATH' };
  const fromTerminal = opts.launchedFromTerminal ?? isLaunchedFromTerminal(env);
  if (fromTerminal) return { env, outcome: 'not-needed', detail: 'started from a terminal' };

  const timeoutMs = opts.timeoutMs ?? DEFAULT_LOGIN_SHELL_TIMEOUT_MS;
  const run = opts.runShell ?? spawnShellRunner(env, timeoutMs);
  const { shell, args } = loginShellCommand(platform, env);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const running = run(shell, args);
  running.catch(() => {}); // a runner that fails after the timeout won must not go unhandled
  let output: string | 'timeout';
  try {
    output = await Promise.race([running, timeout]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const timedOut = /did not finish within/.test(message);
    return { env, outcome: timedOut ? 'timeout' : 'failed', detail: message };
  } finally {
    clearTimeout(timer);
  }
  if (output === 'timeout') {
    return { env, outcome: 'timeout', detail: `login shell ${shell} did not finish within ${timeoutMs} ms` };
  }
  const shellPath = parseShellPath(output);
  if (shellPath === undefined) {
    return { env, outcome: 'no-path-in-output', detail: `login shell ${shell} printed no PATH` };
  }
  return { env: { ...env, PATH: mergePath(shellPath, env.PATH) }, outcome: 'merged' };
}

/** The environment user commands should run with: the login shell's PATH when started from a launcher. */
export async function loginShellEnv(opts: LoginShellOptions): Promise<NodeJS.ProcessEnv> {
  return (await loginShellPath(opts)).env;
}
