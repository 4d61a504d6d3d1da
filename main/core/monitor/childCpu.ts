import { readStatText } from './platform/procfs.js';

/**
 * CPU time (ms) of every child a process has reaped, with their own reaped children: fields 16
 * and 17 (cutime, cstime) of /proc/<pid>/stat. The spawn helper reaps each command task's main
 * process, so this grows by a task tree's CPU when the task ends — measured at exit, including
 * tasks that ended between two samples. Null where there is no /proc or the process is gone.
 */
// USER_HZ, the unit of /proc's times, is 100 on every Linux architecture Corral runs on.
export function reapedChildrenCpuMs(pid: number, clockTicks = 100, procRoot = '/proc'): number | null {
  let text: string;
  try {
    text = readStatText(`${procRoot}/${pid}/stat`);
  } catch {
    return null;
  }
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // f[i] is field i + 3 of proc(5).
  const ticks = Number(f[13]) + Number(f[14]);
  return Number.isFinite(ticks) ? (ticks * 1000) / clockTicks : null;
}

/** The same, with the pid it belongs to (a restarted helper's counter starts over). */
export function reapedCpuOf(pid: number): { pid: number; ms: number } | null {
  const ms = reapedChildrenCpuMs(pid);
  return ms === null ? null : { pid, ms };
}
