import { spawnSync } from 'node:child_process';
import { inspectTree, probeProcess, signalTreeSync, treeDeps, type TreeDeps } from '../stop/index.js';

export type ReapSignal = 'TERM' | 'KILL';

/** A task group the reaper or the ledger knows of: its id, its leader and the leader's start time. */
export interface ReapTarget {
  pgid: number;
  pid: number;
  startTime?: string;
}

/** Kills and probes whole task groups; one adapter per platform so callers never branch on it. */
export interface GroupKiller {
  signal(target: ReapTarget, sig: ReapSignal): void;
  /** The pgids of the targets whose group still has a live (non-zombie) member that is theirs. */
  liveGroups(targets: readonly ReapTarget[]): Set<number>;
}

export type TaskkillRunner = (file: string, args: string[]) => void;

export interface GroupKillerOptions {
  platform?: NodeJS.Platform;
  /** Runs taskkill on Windows; injected by tests. */
  run?: TaskkillRunner;
  /** Sends a POSIX signal; injected by tests. */
  kill?: (pid: number, sig: NodeJS.Signals) => void;
  /** Lists a group's members and probes pids (POSIX); injected by tests. */
  tree?: TreeDeps;
}

const runSync: TaskkillRunner = (file, args) => {
  spawnSync(file, args, { stdio: 'ignore', windowsHide: true });
};

/** Windows has no process groups: the task's root pid stands for its tree (taskkill /T walks it). */
export function taskkillArgs(pid: number, sig: ReapSignal): string[] {
  return sig === 'KILL' ? ['/T', '/F', '/PID', String(pid)] : ['/T', '/PID', String(pid)];
}

const known = (t: ReapTarget) => ({ pgid: t.pgid, known: [{ pid: t.pid, startTime: t.startTime }] });

export function groupKiller(opts: GroupKillerOptions = {}): GroupKiller {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') {
    const run = opts.run ?? runSync;
    const probe = opts.tree?.probe ?? ((pid: number) => probeProcess(pid, platform));
    const same = (t: ReapTarget) => probe(t.pid).alive;
    return {
      signal: (t, sig) => {
        if (same(t)) run('taskkill', taskkillArgs(t.pid, sig));
      },
      liveGroups: (targets) => new Set(targets.filter(same).map((t) => t.pgid)),
    };
  }
  const tree = opts.tree ?? treeDeps(platform);
  return {
    signal(t, sig) {
      try {
        // Checks first that the group id still names this task's group (see inspectTree).
        signalTreeSync(known(t), sig, { tree, ...(opts.kill ? { kill: opts.kill } : {}) });
      } catch {
        // A refused signal shows up as a survivor at the verify step.
      }
    },
    liveGroups: (targets) => new Set(targets.filter((t) => inspectTree(known(t), tree).live.length > 0).map((t) => t.pgid)),
  };
}
