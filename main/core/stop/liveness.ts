// The one liveness probe for pool, stop and reaper: a zombie is gone (nothing is left to signal, and a
// PID 1 that reaps late — containers — may keep it for seconds), and a pid is only "the same process"
// when its start time matches the one recorded.
import { spawnSync } from 'node:child_process';
import { parseDarwinPs } from '../monitor/platform/darwin.js';
import { isZombie, readProcStat } from '../monitor/platform/procfs.js';

export interface ProcessProbe {
  alive: boolean;
  /** Same format as ProcRow.startTime on this platform; absent when the platform cannot tell */
  startTime?: string;
  /** One letter (R S D T …) where the platform has one */
  state?: string;
}

/** A process Corral recorded: its pid and, when known, its start time (pid-reuse guard). */
export interface TrackedProcess {
  pid: number;
  startTime: string | undefined;
}

export type ProcessProber = (pid: number) => ProcessProbe;

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** macOS: one `ps` for one pid, parsed like the process table so the start times compare with ===. */
function probeDarwin(pid: number): ProcessProbe {
  const ps = spawnSync('ps', ['-o', 'pid=,ppid=,pgid=,stat=,lstart=,rss=,time=,comm=', '-p', String(pid)], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  const row = ps.status === 0 ? parseDarwinPs(ps.stdout).find((r) => r.pid === pid) : undefined;
  if (!row || isZombie(row.state)) return { alive: false };
  return { alive: true, startTime: row.startTime, state: row.state };
}

/**
 * Linux reads /proc/<pid>/stat; macOS asks `ps`; Windows only checks existence (a CIM query per
 * probe costs a PowerShell start; signalTree checks Windows start times in one query per step).
 */
export function probeProcess(pid: number, platform: NodeJS.Platform = process.platform): ProcessProbe {
  if (!Number.isInteger(pid) || pid <= 0) return { alive: false };
  if (platform === 'linux' || platform === 'android') {
    const stat = readProcStat(pid);
    if (!stat || isZombie(stat.state)) return { alive: false };
    return { alive: true, startTime: stat.startTime, state: stat.state };
  }
  if (!exists(pid)) return { alive: false };
  if (platform === 'win32') return { alive: true };
  return probeDarwin(pid);
}

/** The start time to record for a freshly spawned pid (undefined when it is already gone). */
export function processStartTime(pid: number, platform: NodeJS.Platform = process.platform): string | undefined {
  return probeProcess(pid, platform).startTime;
}

/** True when the probe shows the same process that was recorded (an unknown start time cannot disprove it). */
export function sameProcess(probe: ProcessProbe, recordedStartTime: string | undefined): boolean {
  if (!probe.alive) return false;
  if (recordedStartTime === undefined || probe.startTime === undefined) return true;
  return probe.startTime === recordedStartTime;
}

/** A supervisor recorded by pid and start time (run manifests, control entries) is this process or still alive. */
export function supervisorAlive(r: { pid: number; pidStart: string | null }): boolean {
  if (r.pid === process.pid) return true;
  const probe = probeProcess(r.pid);
  return probe.alive && (r.pidStart === null || sameProcess(probe, r.pidStart));
}
