import type { ProcRow, RunCommand } from './types.js';
import { readFileSync } from 'node:fs';
import { listLinux, procRow, systemUnits, type LinuxDeps } from './platform/linux.js';
import { parseProcStat, readStatText } from './platform/procfs.js';
import { listDarwin } from './platform/darwin.js';
import { listWin32 } from './platform/win32.js';
import { isZombie } from './platform/procfs.js';

export type { ProcRow, RunCommand } from './types.js';
export { procRow, systemUnits } from './platform/linux.js';
export { parseProcStat } from './platform/procfs.js';
export { parseDarwinPs, parsePsTime } from './platform/darwin.js';
export { parseCimJson, parseCimDate } from './platform/win32.js';

export type ProcessTableDeps = Partial<LinuxDeps> & { run?: RunCommand };

/** The whole process table in one pass: one /proc scan, one `ps`, or one CIM query. */
export function listProcesses(platform: NodeJS.Platform = process.platform, deps: ProcessTableDeps = {}): Promise<ProcRow[]> {
  if (platform === 'linux' || platform === 'android') return listLinux(deps);
  if (platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd') return listDarwin(deps);
  if (platform === 'win32') return listWin32(deps);
  return Promise.reject(new Error(`listing processes is not supported on ${platform}`));
}

/**
 * Linux, the cheap pass: only what is reachable from `seeds` (task roots and pids seen in their trees
 * before) — each one's stat, then its children from /proc/<pid>/task/<pid>/children, recursively.
 * Its cost follows the trees, not the machine. It misses children of a process's other threads and
 * a process that left a tree between two full scans; the sampler's periodic full scan finds those.
 */
export async function listLinuxFrom(seeds: Iterable<number>, deps: Partial<LinuxDeps> = {}): Promise<ProcRow[]> {
  const procRoot = deps.procRoot ?? '/proc';
  const readStat = deps.readFile ?? readStatText;
  const readChildren = deps.readFile ?? ((file: string) => readFileSync(file, 'latin1'));
  const units = deps.units ?? (await systemUnits(deps.run));
  const seen = new Set<number>();
  const queue = [...seeds];
  const rows: ProcRow[] = [];
  for (let i = 0; i < queue.length; i++) {
    const pid = queue[i];
    if (seen.has(pid)) continue;
    seen.add(pid);
    let stat;
    let children: string;
    try {
      stat = parseProcStat(readStat(`${procRoot}/${pid}/stat`));
      children = readChildren(`${procRoot}/${pid}/task/${pid}/children`);
    } catch {
      continue; // gone
    }
    if (!stat) continue;
    rows.push(procRow(stat, units));
    for (const c of children.split(' ')) if (c) queue.push(Number(c));
  }
  return rows;
}

export interface TreeRoot<K> {
  key: K;
  pid: number;
  /** Process group of the task (POSIX); null on Windows */
  pgid: number | null;
  /** startTime recorded at spawn; a different value means the pid was reused */
  startTime?: string;
  /**
   * Pids seen in this tree before (with their startTime). Those still alive stay in the
   * tree even after leaving the group (setsid) and being reparented away from the root.
   */
  known?: ReadonlyMap<number, string>;
}

/** Orders two opaque start times when both are numbers in text; unknown order counts as "after". */
function startedNotBefore(a: string, b: string | undefined): boolean {
  if (b === undefined) return true;
  const x = Number(a);
  const y = Number(b);
  return Number.isNaN(x) || Number.isNaN(y) || x >= y;
}

/**
 * A task's tree: its process group plus every descendant (by ppid) of the root and of the
 * group members, minus zombies. A root whose startTime changed is gone (pid reuse); its
 * group members still count when they started after the recorded root.
 */
export function resolveTrees<K>(rows: readonly ProcRow[], roots: readonly TreeRoot<K>[]): Map<K, ProcRow[]> {
  const byPid = new Map<number, ProcRow>();
  const children = new Map<number, ProcRow[]>();
  const byGroup = new Map<number, ProcRow[]>();
  for (const r of rows) {
    if (isZombie(r.state)) continue;
    byPid.set(r.pid, r);
    const siblings = children.get(r.ppid);
    if (siblings) siblings.push(r);
    else children.set(r.ppid, [r]);
    const members = byGroup.get(r.pgid);
    if (members) members.push(r);
    else byGroup.set(r.pgid, [r]);
  }

  const trees = new Map<K, ProcRow[]>();
  for (const root of roots) {
    const tree = new Map<number, ProcRow>();
    const queue: ProcRow[] = [];
    const add = (r: ProcRow): void => {
      if (tree.has(r.pid)) return;
      tree.set(r.pid, r);
      queue.push(r);
    };
    const rootRow = byPid.get(root.pid);
    const rootAlive = rootRow !== undefined && (root.startTime === undefined || rootRow.startTime === root.startTime);
    if (rootAlive) add(rootRow);
    if (root.pgid !== null) {
      for (const m of byGroup.get(root.pgid) ?? []) {
        if (m.pid === root.pid && !rootAlive) continue;
        if (rootAlive || startedNotBefore(m.startTime, root.startTime)) add(m);
      }
    }
    for (const [pid, startTime] of root.known ?? []) {
      const r = byPid.get(pid);
      if (r && r.startTime === startTime && (rootAlive || pid !== root.pid)) add(r);
    }
    // Descendants; a child must not predate its parent (guards ppid reuse on Windows).
    for (let i = 0; i < queue.length; i++) {
      const parent = queue[i];
      for (const c of children.get(parent.pid) ?? []) {
        if (c.pid !== parent.pid && startedNotBefore(c.startTime, parent.startTime)) add(c);
      }
    }
    trees.set(root.key, [...tree.values()]);
  }
  return trees;
}
