import { readdirSync } from 'node:fs';
import type { ProcRow, RunCommand } from '../types.js';
import { execFileAnyExit } from './exec.js';
import { parseProcStat, readStatText, type ProcStat } from './procfs.js';

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

const defaultDeps: LinuxDeps = {
  readdir: (dir) => readdirSync(dir),
  readFile: readStatText,
  run: execFileAnyExit,
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
export function systemUnits(run: RunCommand = execFileAnyExit): Promise<SystemUnits> {
  cachedUnits ??= Promise.all([getconf(run, 'CLK_TCK', 100), getconf(run, 'PAGESIZE', 4096)]).then(
    ([clockTicks, pageSize]) => ({ clockTicks, pageSize }),
  );
  return cachedUnits;
}

/** A stat in the kernel's units → a process-table row in ms and bytes. */
export function procRow(stat: ProcStat, units: SystemUnits): ProcRow {
  return {
    pid: stat.pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    state: stat.state,
    startTime: stat.startTime,
    name: stat.name,
    cpuTimeMs: stat.cpuTicks * (1000 / units.clockTicks),
    rss: stat.rssPages * units.pageSize,
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
    const stat = parseProcStat(text);
    if (stat) rows.push(procRow(stat, units));
  }
  return rows;
}
