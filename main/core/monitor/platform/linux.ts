import { readdir, readFile } from 'node:fs/promises';
import type { ProcRow, RunCommand } from '../types.js';
import { runCommand } from './exec.js';

export interface LinuxDeps {
  readdir: (dir: string) => Promise<string[]>;
  readFile: (file: string) => Promise<string>;
  run: RunCommand;
  procRoot: string;
  /** Skip getconf (tests) */
  units?: SystemUnits;
}

const defaultDeps: LinuxDeps = {
  readdir: (dir) => readdir(dir),
  readFile: (file) => readFile(file, 'latin1'),
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
  const names = await d.readdir(d.procRoot);
  const rows = await Promise.all(
    names
      .filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57)
      .map(async (n) => {
        try {
          return parseProcStat(await d.readFile(`${d.procRoot}/${n}/stat`), units);
        } catch {
          return null; // ENOENT/ESRCH: exited mid-scan
        }
      }),
  );
  return rows.filter((r): r is ProcRow => r !== null);
}
