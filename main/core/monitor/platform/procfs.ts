// The one place that reads Linux /proc: stat lines, pid lists, environment blocks, the pid counter.
// Synchronous on purpose: open/read/close of a stat file costs a few µs, a promise per file ~20×.
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

/** The fields of /proc/<pid>/stat that Corral uses, in the kernel's units. */
export interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  /** One letter: R S D T Z X I … */
  state: string;
  /** Field 22: clock ticks since boot when the process started (text: compared with ===) */
  startTime: string;
  name: string;
  /** utime + stime, clock ticks */
  cpuTicks: number;
  rssPages: number;
}

/** Parses one stat line. comm may hold spaces and parentheses, so the fields start after the LAST ')'. */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const f = text.slice(close + 2).trim().split(' ');
  // f[0] is field 3 (state) of proc(5); f[i] is field i + 3.
  if (!Number.isInteger(pid) || f.length < 22 || !f[0]) return null;
  return {
    pid,
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    state: f[0],
    startTime: f[19],
    name: text.slice(open + 1, close),
    cpuTicks: Number(f[11]) + Number(f[12]),
    rssPages: Number(f[21]),
  };
}

/** Zombies (Z) and dead tasks (X) have nothing left to signal or measure. */
export const isZombie = (state: string): boolean => state === 'Z' || state === 'X';

const statBuffer = Buffer.alloc(4096); // a stat line is ~300 bytes; comm is at most 64

/** Raw text of a stat file; throws when the process is gone. Never caches fds (pidusage's leak). */
export function readStatText(file: string): string {
  const fd = openSync(file, 'r');
  try {
    return statBuffer.toString('latin1', 0, readSync(fd, statBuffer, 0, statBuffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** One process's stat, or null when it is gone (or /proc is absent). */
export function readProcStat(pid: number, procRoot = '/proc'): ProcStat | null {
  try {
    return parseProcStat(readStatText(`${procRoot}/${pid}/stat`));
  } catch {
    return null;
  }
}

/** Every pid in /proc (none when /proc cannot be read). */
export function procPids(procRoot = '/proc'): number[] {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const n of names) {
    const c = n.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(n));
  }
  return pids;
}

/** The last pid the kernel handed out in this pid namespace, or null when unreadable. */
export function lastPid(procRoot = '/proc'): number | null {
  try {
    const n = Number(readFileSync(`${procRoot}/sys/kernel/ns_last_pid`, 'latin1').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** True when the NUL-separated environment block holds `needle` as one whole entry. */
export function holdsEntry(env: Buffer, needle: Buffer): boolean {
  for (let at = env.indexOf(needle); at >= 0; at = env.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if ((at === 0 || env[at - 1] === 0) && (end === env.length || env[end] === 0)) return true;
  }
  return false;
}

/**
 * Live (non-zombie) processes among `pids` whose environment holds one of `entries` (NAME=value),
 * keyed by the entry. Other users' processes are unreadable and skipped; a process that exec'd with
 * a cleared environment is not found.
 */
export function processesWithEnv(entries: readonly string[], pids: readonly number[] = procPids(), procRoot = '/proc', unsettled?: number[]): Map<string, ProcStat[]> {
  const needles = entries.map((e) => [e, Buffer.from(e)] as const);
  const found = new Map<string, ProcStat[]>();
  for (const pid of pids) {
    let env: Buffer;
    try {
      env = readFileSync(`${procRoot}/${pid}/environ`);
    } catch {
      continue;
    }
    // Empty while a process is inside execve (the new image's environment is not set up yet), and for
    // kernel threads and zombies: a caller that must not miss a process reads the first kind again.
    if (env.length === 0 && unsettled) {
      const stat = readProcStat(pid, procRoot);
      if (stat && !isZombie(stat.state) && pid !== 2 && stat.ppid !== 2) unsettled.push(pid);
      continue;
    }
    for (const [entry, needle] of needles) {
      if (!holdsEntry(env, needle)) continue;
      const stat = readProcStat(pid, procRoot);
      if (stat && !isZombie(stat.state)) found.set(entry, [...(found.get(entry) ?? []), stat]);
      break;
    }
  }
  return found;
}
