import type { ProcRow, RunCommand } from '../types.js';
import { execFileAnyExit } from './exec.js';

export const PS_ARGS = ['-A', '-o', 'pid=,ppid=,pgid=,stat=,lstart=,rss=,time=,comm='];

// pid ppid pgid stat | lstart "Mon Jan  6 10:00:00 2025" | rss (KiB) time comm (rest of line, may hold spaces)
const LINE = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+\s+\S+\s+\d+\s+[\d:]+\s+\d{4})\s+(\d+)\s+(\S+)\s+(.*)$/;

/** ps TIME: [[dd-]hh:]mm:ss[.cc] → ms */
export function parsePsTime(text: string): number {
  const [days, clock] = text.includes('-') ? text.split('-', 2) : ['0', text];
  const parts = clock.split(':').map(Number);
  let seconds = 0;
  for (const p of parts) seconds = seconds * 60 + p;
  return Math.round((Number(days) * 86400 + seconds) * 1000);
}

/** macOS states: U is uninterruptible wait (Linux D); I is "idle" = sleeping over 20 s (Linux S). */
function darwinState(stat: string): string {
  const c = stat.charAt(0);
  if (c === 'U') return 'D';
  if (c === 'I') return 'S';
  return c;
}

/** Parses `ps -A -o pid=,ppid=,pgid=,stat=,lstart=,rss=,time=,comm=` (run with LC_ALL=C). */
export function parseDarwinPs(stdout: string): ProcRow[] {
  const rows: ProcRow[] = [];
  for (const line of stdout.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const started = Date.parse(m[5].replace(/\s+/g, ' '));
    const comm = m[8].trim();
    rows.push({
      pid: Number(m[1]),
      ppid: Number(m[2]),
      pgid: Number(m[3]),
      state: darwinState(m[4]),
      startTime: Number.isNaN(started) ? m[5] : String(started),
      name: comm.slice(comm.lastIndexOf('/') + 1),
      cpuTimeMs: parsePsTime(m[7]),
      rss: Number(m[6]) * 1024,
    });
  }
  return rows;
}

export async function listDarwin(deps: { run?: RunCommand } = {}): Promise<ProcRow[]> {
  const run = deps.run ?? execFileAnyExit;
  const { stdout, code } = await run('ps', PS_ARGS, { env: { LC_ALL: 'C' } });
  if (code !== 0) throw new Error(`ps exited with code ${code}`);
  return parseDarwinPs(stdout);
}
