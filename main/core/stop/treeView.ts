// What is left of a task's tree right now, and whether its process group id still names its group.
import { spawnSync } from 'node:child_process';
import { parseDarwinPs, PS_ARGS } from '../monitor/platform/darwin.js';
import { isZombie, procPids, readProcStat } from '../monitor/platform/procfs.js';
import { probeProcess, sameProcess, type ProcessProber, type TrackedProcess } from './liveness.js';

export interface TreeTarget {
  /** The task's process group (POSIX); null on Windows or when the task has no group of its own */
  pgid: number | null;
  /** Every process recorded for the task, root first, with start times (the pid-reuse guard) */
  known: readonly TrackedProcess[];
  /** Leave recorded processes outside the group alone (the job keeps its daemons) */
  groupOnly?: boolean;
}

export interface LiveProcess {
  pid: number;
  startTime: string | undefined;
  state: string;
  /** kill(-pgid) reaches it; false for a recorded process that left the group (setsid) */
  inGroup: boolean;
}

export interface GroupMember {
  pid: number;
  pgid: number;
  startTime: string | undefined;
  state: string;
}

export interface TreeView {
  /** kill(-pgid) reaches this task's group and nothing else */
  groupOwned: boolean;
  /** Live (non-zombie) processes of the tree: members of an owned group, then recorded pids outside it */
  live: LiveProcess[];
}

export interface TreeDeps {
  /** False only when no process (not even a zombie) is in the group: the cheap common case */
  groupExists: (pgid: number) => boolean;
  /** Every member of the group, zombies included (they still prove who owns the group id) */
  groupMembers: (pgid: number) => GroupMember[];
  probe: ProcessProber;
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function linuxGroupMembers(pgid: number): GroupMember[] {
  const out: GroupMember[] = [];
  for (const pid of procPids()) {
    const s = readProcStat(pid);
    if (s && s.pgid === pgid) out.push({ pid, pgid, startTime: s.startTime, state: s.state });
  }
  return out;
}

function darwinGroupMembers(pgid: number): GroupMember[] {
  const ps = spawnSync('ps', PS_ARGS, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (ps.status !== 0) return [];
  return parseDarwinPs(ps.stdout)
    .filter((r) => r.pgid === pgid)
    .map((r) => ({ pid: r.pid, pgid, startTime: r.startTime, state: r.state }));
}

export function treeDeps(platform: NodeJS.Platform = process.platform): TreeDeps {
  const linux = platform === 'linux' || platform === 'android';
  return { groupExists, groupMembers: linux ? linuxGroupMembers : darwinGroupMembers, probe: (pid) => probeProcess(pid, platform) };
}

const matches = (m: GroupMember, known: readonly TrackedProcess[]): boolean =>
  known.some((k) => k.pid === m.pid && (k.startTime === undefined || m.startTime === undefined || k.startTime === m.startTime));

/**
 * A group id is its leader's pid: once every member is gone the kernel may hand it to an unrelated
 * session leader. The group is ours when it holds a recorded process, or has no leader at all (a foreign
 * group would need the reused pid to lead it). POSIX only; the caller deals with Windows.
 */
export function inspectTree(target: TreeTarget, deps: TreeDeps = treeDeps()): TreeView {
  const live: LiveProcess[] = [];
  let groupOwned = false;
  const inGroup = new Set<number>();
  if (target.pgid !== null && target.pgid > 0 && deps.groupExists(target.pgid)) {
    const members = deps.groupMembers(target.pgid);
    groupOwned = members.some((m) => matches(m, target.known)) || !members.some((m) => m.pid === target.pgid);
    if (groupOwned) {
      for (const m of members) {
        if (isZombie(m.state)) continue;
        inGroup.add(m.pid);
        live.push({ pid: m.pid, startTime: m.startTime, state: m.state, inGroup: true });
      }
    }
  }
  for (const k of target.groupOnly && target.pgid !== null ? [] : target.known) {
    if (inGroup.has(k.pid) || live.some((p) => p.pid === k.pid)) continue;
    const probe = deps.probe(k.pid);
    if (sameProcess(probe, k.startTime)) live.push({ pid: k.pid, startTime: probe.startTime ?? k.startTime, state: probe.state ?? '?', inGroup: false });
  }
  return { groupOwned, live };
}
