import { describe, expect, it } from 'vitest';
import {
  PATH_MARKER,
  isLaunchedFromTerminal,
  loginShellCommand,
  loginShellEnv,
  loginShellPath,
  mergePath,
  parseShellPath,
  type ShellRunner,
} from '../../../../main/core/platform/loginShellPath.js';

const FINDER_ENV = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', HOME: '/Users/ann', SHELL: '/bin/zsh' };
const wrap = (path: string) => `${PATH_MARKER}${path}${PATH_MARKER}`;
const printing = (out: string): ShellRunner => async () => out;

describe('isLaunchedFromTerminal', () => {
  it('reads TERM and TERM_PROGRAM', () => {
    expect(isLaunchedFromTerminal({ TERM: 'xterm-256color' })).toBe(true);
    expect(isLaunchedFromTerminal({ TERM_PROGRAM: 'Apple_Terminal' })).toBe(true);
    expect(isLaunchedFromTerminal({ TERM: 'dumb' })).toBe(false);
    expect(isLaunchedFromTerminal(FINDER_ENV)).toBe(false);
  });
});

describe('loginShellCommand', () => {
  it('runs $SHELL as an interactive login shell', () => {
    const { shell, args } = loginShellCommand('linux', { SHELL: '/usr/bin/fish' });
    expect(shell).toBe('/usr/bin/fish');
    expect(args.slice(0, 3)).toEqual(['-i', '-l', '-c']);
    expect(args[3]).toContain(PATH_MARKER);
  });

  it('falls back to zsh on macOS and sh elsewhere when SHELL is missing or relative', () => {
    expect(loginShellCommand('darwin', {}).shell).toBe('/bin/zsh');
    expect(loginShellCommand('linux', { SHELL: 'bash' }).shell).toBe('/bin/sh');
  });

  it('does not pass -l to csh-family shells (they take it only alone)', () => {
    expect(loginShellCommand('darwin', { SHELL: '/bin/tcsh' }).args.slice(0, 2)).toEqual(['-i', '-c']);
  });
});

describe('parseShellPath', () => {
  it('finds the PATH among banners, prompts and escape codes', () => {
    const out = `\x1b[1mWelcome, ann!\x1b[0m\nLast login: Mon\nnvm: using node 22\n${wrap('/opt/homebrew/bin:/Users/ann/.nvm/bin:/usr/bin')}\x1b]0;~\x07logout\n`;
    expect(parseShellPath(out)).toBe('/opt/homebrew/bin:/Users/ann/.nvm/bin:/usr/bin');
  });

  it('takes the last pair when an rc file echoes the command line', () => {
    const out = `+ printf %s%s%s ${PATH_MARKER} /bin ${PATH_MARKER}\n${wrap('/real/bin:/usr/bin')}`;
    expect(parseShellPath(out)).toBe('/real/bin:/usr/bin');
  });

  it('drops relative and empty entries', () => {
    expect(parseShellPath(wrap('.:/usr/local/bin::bin:/usr/bin'))).toBe('/usr/local/bin:/usr/bin');
  });

  it('gives up on garbage', () => {
    expect(parseShellPath('')).toBeUndefined();
    expect(parseShellPath('zsh: command not found: compinit\n')).toBeUndefined();
    expect(parseShellPath(`${PATH_MARKER}/usr/bin`)).toBeUndefined();
    expect(parseShellPath(wrap('/usr/bin\n/evil'))).toBeUndefined();
    expect(parseShellPath(wrap('relative/only'))).toBeUndefined();
  });
});

describe('mergePath', () => {
  it('puts the shell entries first and keeps the app entries it lacks, without duplicates', () => {
    expect(mergePath('/opt/homebrew/bin:/usr/bin:/bin', '/usr/bin:/bin:/usr/sbin:/sbin')).toBe(
      '/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin',
    );
    expect(mergePath('/a', undefined)).toBe('/a');
  });
});

describe('loginShellEnv', () => {
  it('merges the login shell PATH when started from Finder', async () => {
    const calls: Array<[string, string[]]> = [];
    const env = await loginShellEnv({
      platform: 'darwin',
      env: FINDER_ENV,
      runShell: async (shell, args) => {
        calls.push([shell, args]);
        return `Welcome!\n${wrap('/opt/homebrew/bin:/usr/bin:/bin')}`;
      },
    });
    expect(calls.map(([s]) => s)).toEqual(['/bin/zsh']);
    expect(env.PATH).toBe('/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin');
    expect(env.HOME).toBe('/Users/ann');
    expect(FINDER_ENV.PATH).toBe('/usr/bin:/bin:/usr/sbin:/sbin'); // input untouched
  });

  it('leaves Windows alone without running anything', async () => {
    const env = { Path: 'C:\\Windows' };
    const r = await loginShellPath({ platform: 'win32', env, runShell: () => Promise.reject(new Error('must not run')) });
    expect(r).toEqual({ env, outcome: 'not-needed', detail: 'Windows apps inherit the user PATH' });
  });

  it('does not run the shell when started from a terminal', async () => {
    const env = { ...FINDER_ENV, TERM: 'xterm-256color' };
    const r = await loginShellPath({ platform: 'linux', env, runShell: () => Promise.reject(new Error('must not run')) });
    expect(r).toEqual({ env, outcome: 'not-needed', detail: 'started from a terminal' });
  });

  it('honours an explicit launchedFromTerminal over the guess', async () => {
    const r = await loginShellPath({
      platform: 'linux',
      env: { ...FINDER_ENV, TERM: 'xterm' },
      launchedFromTerminal: false,
      runShell: printing(wrap('/home/ann/.local/bin:/usr/bin')),
    });
    expect(r.outcome).toBe('merged');
    expect(r.env.PATH?.split(':')[0]).toBe('/home/ann/.local/bin');
  });

  it('keeps its own PATH when the shell prints no PATH', async () => {
    const r = await loginShellPath({ platform: 'darwin', env: FINDER_ENV, runShell: printing('oh-my-zsh update? [Y/n]') });
    expect(r).toEqual({ env: FINDER_ENV, outcome: 'no-path-in-output', detail: 'login shell /bin/zsh printed no PATH' });
  });

  it('keeps its own PATH when the shell cannot start', async () => {
    const r = await loginShellPath({
      platform: 'linux',
      env: { ...FINDER_ENV, SHELL: '/nope/sh' },
      runShell: () => Promise.reject(new Error('spawn /nope/sh ENOENT')),
    });
    expect(r).toEqual({ env: { ...FINDER_ENV, SHELL: '/nope/sh' }, outcome: 'failed', detail: 'spawn /nope/sh ENOENT' });
  });

  it('gives up on a shell that hangs', async () => {
    const r = await loginShellPath({ platform: 'darwin', env: FINDER_ENV, timeoutMs: 50, runShell: () => new Promise<string>(() => {}) });
    expect(r).toEqual({ env: FINDER_ENV, outcome: 'timeout', detail: 'login shell /bin/zsh did not finish within 50 ms' });
  });
});
