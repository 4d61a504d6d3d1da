import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** What the reaper and the ledger need to know about one pid. */
export interface ProcessProbe {
  alive: boolean;
  /** Opaque, comparable only with another value from the same platform probe. */
  startTime?: string;
}

export type ProcessLister = (pid: number) => ProcessProbe;

export interface ProcStat {
  pid: number;
  state: string;
  pgrp: number;
  /** Field 22: clock ticks since boot when the process started. */
  startTime: string;
}

/** Parses /proc/<pid>/stat; the comm field may hold spaces and parentheses, so split after the last ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const state = rest[0];
  const pgrp = Number(rest[2]);
  const startTime = rest[19];
  if (!Number.isInteger(pid) || !state || !Number.isInteger(pgrp) || !startTime) return undefined;
  return { pid, state, pgrp, startTime };
}

function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

function signalProbe(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Linux reads /proc (a zombie counts as gone: nothing is left to kill, and PID 1 in a container may
 * never reap it); macOS asks `ps` for lstart; Windows only checks existence (no start time).
 */
export function probeProcess(pid: number, platform: NodeJS.Platform = process.platform): ProcessProbe {
  if (!Number.isInteger(pid) || pid <= 0) return { alive: false };
  if (platform === 'linux') {
    const stat = readProcStat(pid);
    if (!stat || stat.state === 'Z' || stat.state === 'X') return { alive: false };
    return { alive: true, startTime: stat.startTime };
  }
  if (!signalProbe(pid)) return { alive: false };
  if (platform === 'win32') return { alive: true };
  const ps = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' });
  const lstart = ps.status === 0 ? ps.stdout.trim() : '';
  return lstart ? { alive: true, startTime: lstart } : { alive: false };
}

/** The value to store in the ledger and send to the reaper for a freshly spawned task. */
export function processStartTime(pid: number, platform: NodeJS.Platform = process.platform): string | undefined {
  return probeProcess(pid, platform).startTime;
}

/** Every pid in /proc (none when /proc cannot be read). */
function procPids(): number[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

const isLive = (stat: ProcStat | undefined): stat is ProcStat => stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';

/** Live (non-zombie) members of the given process groups, one /proc scan for all of them. */
export function linuxGroupMembers(pgids: Iterable<number>): Map<number, number[]> {
  const wanted = new Set(pgids);
  const members = new Map<number, number[]>();
  for (const pid of procPids()) {
    const stat = readProcStat(pid);
    if (!isLive(stat) || !wanted.has(stat.pgrp)) continue;
    const list = members.get(stat.pgrp) ?? [];
    list.push(stat.pid);
    members.set(stat.pgrp, list);
  }
  return members;
}

/**
 * Live processes whose environment holds exactly `entry` (NAME=value), one /proc scan. Tasks carry
 * the supervisor's marker, so a task the reaper was never told about (spawned a moment before the
 * supervisor died) or a grandchild that left its group is still found. Other users' processes are
 * unreadable and skipped; a process that exec'd with a cleared environment is not found.
 */
export function linuxProcessesWithEnv(entry: string): ProcStat[] {
  const needle = Buffer.from(entry);
  const found: ProcStat[] = [];
  for (const pid of procPids()) {
    let env: Buffer;
    try {
      env = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue;
    }
    const stat = holdsEntry(env, needle) ? readProcStat(pid) : undefined;
    if (isLive(stat)) found.push(stat);
  }
  return found;
}

/** True when the NUL-separated environment block holds `needle` as one whole entry. */
export function holdsEntry(env: Buffer, needle: Buffer): boolean {
  for (let at = env.indexOf(needle); at >= 0; at = env.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if ((at === 0 || env[at - 1] === 0) && (end === env.length || env[end] === 0)) return true;
  }
  return false;
}

/** True when the probe shows the same process that was recorded (an unknown start time cannot disprove it). */
export function sameProcess(probe: ProcessProbe, recordedStartTime: string | undefined): boolean {
  if (!probe.alive) return false;
  if (recordedStartTime === undefined || probe.startTime === undefined) return true;
  return probe.startTime === recordedStartTime;
}
