// At close, one /proc pass for what still carries the supervisor's marker: a daemon a module task
// started, or one that escaped a task's end. The reaper does the same only if the supervisor dies.
import { processesWithEnv, type ProcStat } from '../monitor/platform/procfs.js';
import { MARKER_ENV } from './protocol.js';
import { reapGroups, type ReapOptions, type ReapResult, type ReapTarget } from './reapGroups.js';

/** Ends (TERM, grace, KILL) the groups of live processes carrying the marker, except those spared. Linux only. */
export async function reapMarkedAtClose(
  marker: string,
  spare: (p: ProcStat) => boolean,
  opts: ReapOptions & { platform?: NodeJS.Platform } = {},
): Promise<ReapResult | null> {
  if ((opts.platform ?? process.platform) !== 'linux') return null;
  const entry = `${MARKER_ENV}=${marker}`;
  const groups = new Map<number, ReapTarget>();
  for (const p of processesWithEnv([entry]).get(entry) ?? []) {
    if (p.pid === process.pid || spare(p) || groups.has(p.pgid)) continue;
    // The process stands for its group: its start time guards the kill against pid reuse.
    groups.set(p.pgid, { pgid: p.pgid, pid: p.pid, startTime: p.startTime });
  }
  if (groups.size === 0) return null;
  return reapGroups([...groups.values()], opts);
}
