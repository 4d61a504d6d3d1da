import { spawnSync } from 'node:child_process';
import { linuxGroupMembers, probeProcess } from './procStat.js';

export type ReapSignal = 'TERM' | 'KILL';

/** Kills and probes whole task groups; one adapter per platform so callers never branch on it. */
export interface GroupKiller {
  signal(pgid: number, sig: ReapSignal): void;
  /** The subset of pgids that still have a live (non-zombie) member. */
  liveGroups(pgids: number[]): Set<number>;
}

export type CommandRunner = (file: string, args: string[]) => void;

export interface GroupKillerOptions {
  platform?: NodeJS.Platform;
  /** Runs taskkill on Windows; injected by tests. */
  run?: CommandRunner;
  /** Sends a POSIX signal; injected by tests. */
  kill?: (pid: number, sig: NodeJS.Signals | 0) => void;
}

const runSync: CommandRunner = (file, args) => {
  spawnSync(file, args, { stdio: 'ignore', windowsHide: true });
};

/** Windows has no process groups: the task's root pid stands for its tree (taskkill /T walks it). */
export function taskkillArgs(pid: number, sig: ReapSignal): string[] {
  return sig === 'KILL' ? ['/T', '/F', '/PID', String(pid)] : ['/T', '/PID', String(pid)];
}

export function groupKiller(opts: GroupKillerOptions = {}): GroupKiller {
  const platform = opts.platform ?? process.platform;
  const kill = opts.kill ?? ((pid, sig) => process.kill(pid, sig));
  if (platform === 'win32') {
    const run = opts.run ?? runSync;
    return {
      signal: (pgid, sig) => run('taskkill', taskkillArgs(pgid, sig)),
      liveGroups: (pgids) => new Set(pgids.filter((p) => probeProcess(p, platform).alive)),
    };
  }
  const groupExists = (pgid: number): boolean => {
    try {
      kill(-pgid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  return {
    signal(pgid, sig) {
      try {
        kill(-pgid, sig === 'KILL' ? 'SIGKILL' : 'SIGTERM');
      } catch {
        // ESRCH: the group is already gone, which is what we want.
      }
    },
    liveGroups(pgids) {
      const existing = pgids.filter(groupExists);
      if (platform !== 'linux' || existing.length === 0) return new Set(existing);
      // kill(-pgid, 0) also succeeds for a group of zombies; /proc tells them apart.
      return new Set(linuxGroupMembers(existing).keys());
    },
  };
}
