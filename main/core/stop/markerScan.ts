// Finds a task's processes by the marker in their environment: the only trace a daemon that left the
// task's group (setsid) keeps when no tick happened to sample it. Linux only (/proc/<pid>/environ).
import { randomBytes } from 'node:crypto';
import { lastPid, procPids, processesWithEnv, type ProcStat } from '../monitor/platform/procfs.js';

/** Every command task carries CORRAL_TASK=<supervisor marker>:<seq>:<attempt>, set after the job's env. */
export const TASK_MARKER_ENV = 'CORRAL_TASK';

/** Stands in for the supervisor's marker when no orphan guard gave one (tests, embedded use). */
const processMarker = `${process.pid}-${randomBytes(6).toString('hex')}`;

export function taskMarker(supervisorMarker: string | undefined, seq: number, attempt: number): string {
  return `${supervisorMarker || processMarker}:${seq}:${attempt}`;
}

interface Pending {
  entry: string;
  sincePid: number;
  resolve: (found: ProcStat[]) => void;
}

let pending: Pending[] = [];

/**
 * Live processes carrying `CORRAL_TASK=<marker>`. Reading an environ costs ~20 µs, so every request
 * of one event-loop turn shares one pass, and only pids handed out since the task started are read
 * (all of them when the pid counter wrapped since).
 */
export function findMarkedProcesses(marker: string, sincePid: number, platform: NodeJS.Platform = process.platform): Promise<ProcStat[]> {
  if (platform !== 'linux' && platform !== 'android') return Promise.resolve([]);
  return new Promise((resolve) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push({ entry: `${TASK_MARKER_ENV}=${marker}`, sincePid, resolve });
  });
}

/** Above this many pids handed out since, one readdir of /proc is cheaper than trying each number. */
const DIRECT_RANGE = 32;

/** Pids that may belong to a task started at `since`: a short task reads a handful, not all of /proc. */
function candidatePids(since: number): number[] {
  const last = lastPid();
  // Unknown counter, or it wrapped since the task started: every pid is a candidate.
  if (last === null || last < since) return procPids();
  if (last - since > DIRECT_RANGE) return procPids().filter((pid) => pid >= since);
  const range: number[] = [];
  for (let pid = since; pid <= last; pid++) range.push(pid);
  return range; // numbers with no process cost one failed open each
}

/** How long a process seen inside execve (empty environ) is given before it is read again. */
const EXEC_SETTLE_MS = 25;

function flush(): void {
  const batch = pending;
  pending = [];
  const entries = batch.map((p) => p.entry);
  const unsettled: number[] = [];
  const found = processesWithEnv(entries, candidatePids(Math.min(...batch.map((p) => p.sincePid))), '/proc', unsettled);
  const resolve = () => {
    for (const p of batch) p.resolve(found.get(p.entry) ?? []);
  };
  if (unsettled.length === 0) return resolve();
  // A task's daemon caught between fork and exec (`setsid nohup sleep &` execs three times in a row)
  // has no environment to read for that moment: read it once more when the exec is through.
  setTimeout(() => {
    for (const [entry, procs] of processesWithEnv(entries, unsettled)) found.set(entry, [...(found.get(entry) ?? []), ...procs]);
    resolve();
  }, EXEC_SETTLE_MS);
}

/** Daemons a task left running on purpose (`daemons: keep`), by pid and start time: the close scan spares them. */
const kept = new Set<string>();

const keptListeners = new Set<(pid: number, startTime: string) => void>();

export function keepDaemon(pid: number, startTime: string | undefined): void {
  kept.add(`${pid}:${startTime}`);
  if (startTime !== undefined) for (const l of keptListeners) l(pid, startTime);
}

/** The orphan guard tells its reaper, so a supervisor crash spares kept daemons too. Returns the unsubscribe. */
export function onKeptDaemon(listener: (pid: number, startTime: string) => void): () => void {
  keptListeners.add(listener);
  return () => keptListeners.delete(listener);
}

export function isKeptDaemon(pid: number, startTime: string | undefined): boolean {
  return kept.has(`${pid}:${startTime}`);
}
