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

function flush(): void {
  const batch = pending;
  pending = [];
  const since = Math.min(...batch.map((p) => p.sincePid));
  const last = lastPid();
  const all = procPids();
  const candidates = last !== null && last >= since ? all.filter((pid) => pid >= since) : all;
  const found = processesWithEnv(
    batch.map((p) => p.entry),
    candidates,
  );
  for (const p of batch) p.resolve(found.get(p.entry) ?? []);
}
