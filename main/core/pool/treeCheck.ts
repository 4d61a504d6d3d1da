import { inspectTree, type LiveProcess, type TrackedProcess, type TreeTarget } from '../stop/index.js';

/** A process recorded for a task. Pinned ones (the root, found at the task's end) outlive a tick's view. */
export interface TaskProcess extends TrackedProcess {
  pinned?: boolean;
}

/**
 * What the kill path needs to reach a task's tree: its group and every process recorded for it
 * (only the group when the job keeps its daemons).
 */
export function treeTarget(pgid: number | null, known: readonly TaskProcess[], daemons: 'kill' | 'keep' = 'kill'): TreeTarget {
  return { pgid, known, groupOnly: daemons === 'keep' };
}

/** The live (non-zombie, same start time) processes of a task's tree; empty once it is verified gone. */
export function liveTree(target: TreeTarget): LiveProcess[] {
  return inspectTree(target).live;
}

/** A tick's view of the tree replaces the last one; pinned entries stay until verified gone. */
export function recordSampledTree(prev: readonly TaskProcess[], pids: readonly number[], startTimes: readonly string[]): TaskProcess[] {
  const next: TaskProcess[] = pids.map((pid, i) => {
    const pinned = prev.some((p) => p.pinned && p.pid === pid && p.startTime === startTimes[i]);
    return pinned ? { pid, startTime: startTimes[i], pinned } : { pid, startTime: startTimes[i] };
  });
  const seen = new Set(pids);
  for (const p of prev) if (p.pinned && !seen.has(p.pid)) next.push(p);
  return next;
}

/** Pins processes found for a task (group members at its end, marker carriers) so later checks see them. */
export function pinProcesses(known: TaskProcess[], found: readonly { pid: number; startTime: string | undefined }[]): void {
  for (const f of found) {
    const k = known.find((p) => p.pid === f.pid);
    if (k && (k.startTime === f.startTime || k.startTime === undefined)) {
      k.pinned = true;
      k.startTime ??= f.startTime;
    } else if (!k) known.push({ pid: f.pid, startTime: f.startTime, pinned: true });
    else Object.assign(k, { startTime: f.startTime, pinned: true }); // the old pid was reused: this is the new one
  }
}
