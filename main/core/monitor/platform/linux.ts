import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import type { ProcRow, RunCommand } from '../types.js';
import { runCommand } from './exec.js';

/**
 * Synchronous on purpose: a scan of ~300 stat files costs ~1 ms of CPU with open/read/close,
 * against ~20 ms through fs.promises (one threadpool round trip and promise per file).
 */
export interface LinuxDeps {
  readdir: (dir: string) => string[];
  /** Throws when the process is gone */
  readFile: (file: string) => string;
  run: RunCommand;
  procRoot: string;
  /** Skip getconf (tests) */
  units?: SystemUnits;
}

const statBuffer = Buffer.alloc(4096); // a stat line is ~300 bytes; comm is at most 64

function readStat(file: string): string {
  const fd = openSync(file, 'r');
  try {
    return statBuffer.toString('latin1', 0, readSync(fd, statBuffer, 0, statBuffer.length, 0));
  } finally {
    closeSync(fd); // never cache fds: a cached /proc fd per pid is how pidusage leaks
  }
}

const defaultDeps: LinuxDeps = {
  readdir: (dir) => readdirSync(dir),
  readFile: readStat,
  run: runCommand,
  procRoot: '/proc',
};

export interface SystemUnits {
  clockTicks: number; // per second
  pageSize: number; // bytes
}

let cachedUnits: Promise<SystemUnits> | null = null;

async function getconf(run: RunCommand, name: string, fallback: number): Promise<number> {
  try {
    const { stdout, code } = await run('getconf', [name]);
    const n = Number(stdout.trim());
    return code === 0 && Number.isFinite(n) && n > 0 ? n : fallback;
  } catch {
    return fallback;
  }
}

/** CLK_TCK and PAGESIZE never change while we run: ask getconf once per process. */
export function systemUnits(run: RunCommand = runCommand): Promise<SystemUnits> {
  cachedUnits ??= Promise.all([getconf(run, 'CLK_TCK', 100), getconf(run, 'PAGESIZE', 4096)]).then(
    ([clockTicks, pageSize]) => ({ clockTicks, pageSize }),
  );
  return cachedUnits;
}

/**
 * Parses one /proc/<pid>/stat line. comm may hold spaces and parentheses, so the
 * fields start after the LAST ')'. Returns null for text that is not a stat line.
 */
export function parseProcStat(text: string, units: SystemUnits): ProcRow | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const f = text.slice(close + 2).trim().split(' ');
  // f[0] is field 3 (state) of proc(5); f[i] is field i + 3.
  if (!Number.isInteger(pid) || f.length < 22) return null;
  const ticksToMs = 1000 / units.clockTicks;
  return {
    pid,
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    state: f[0],
    startTime: f[19],
    name: text.slice(open + 1, close),
    cpuTimeMs: (Number(f[11]) + Number(f[12])) * ticksToMs,
    rss: Number(f[21]) * units.pageSize,
  };
}

/** One pass over /proc. Processes that vanish between readdir and read are skipped. */
export async function listLinux(deps: Partial<LinuxDeps> = {}): Promise<ProcRow[]> {
  const d = { ...defaultDeps, ...deps };
  const units = d.units ?? (await systemUnits(d.run));
  const rows: ProcRow[] = [];
  for (const n of d.readdir(d.procRoot)) {
    const c = n.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let text: string;
    try {
      text = d.readFile(`${d.procRoot}/${n}/stat`);
    } catch {
      continue; // ENOENT/ESRCH: exited mid-scan
    }
    const row = parseProcStat(text, units);
    if (row) rows.push(row);
  }
  return rows;
}
