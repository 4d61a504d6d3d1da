import type { ProcRow, RunCommand } from '../types.js';
import { execFileAnyExit } from './exec.js';

const CIM_COMMAND =
  'Get-CimInstance Win32_Process | Select ProcessId,ParentProcessId,CreationDate,Name,WorkingSetSize,KernelModeTime,UserModeTime | ConvertTo-Json -Compress';

interface CimProcess {
  ProcessId?: number;
  ParentProcessId?: number;
  CreationDate?: string | { value?: string; DateTime?: string } | null;
  Name?: string | null;
  WorkingSetSize?: number | string | null;
  KernelModeTime?: number | string | null;
  UserModeTime?: number | string | null;
}

/**
 * ConvertTo-Json writes a DateTime as "/Date(1700000000000)/" (Windows PowerShell 5.1),
 * as an ISO string (PowerShell 7), or wrapped as { value, DateTime } when it carries notes.
 */
export function parseCimDate(raw: CimProcess['CreationDate']): string {
  const text = raw && typeof raw === 'object' ? (raw.value ?? raw.DateTime ?? '') : (raw ?? '');
  const ms = /\/Date\((-?\d+)/.exec(text);
  if (ms) return ms[1];
  const iso = Date.parse(text);
  return Number.isNaN(iso) ? text : String(iso);
}

/** Parses the CIM query's JSON: an array, or a bare object when there is one process. */
export function parseCimJson(stdout: string): ProcRow[] {
  const text = stdout.trim();
  if (text === '') return [];
  const parsed = JSON.parse(text) as CimProcess | CimProcess[];
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const rows: ProcRow[] = [];
  for (const p of list) {
    if (typeof p.ProcessId !== 'number') continue;
    // KernelModeTime/UserModeTime count 100 ns units.
    const cpu100ns = Number(p.KernelModeTime ?? 0) + Number(p.UserModeTime ?? 0);
    rows.push({
      pid: p.ProcessId,
      ppid: p.ParentProcessId ?? 0,
      pgid: p.ProcessId, // no process groups on Windows: the supervisor passes pgid null and we walk ppids
      state: '?', // Win32_Process.ExecutionState is never filled in
      startTime: parseCimDate(p.CreationDate),
      name: p.Name ?? '',
      cpuTimeMs: cpu100ns / 10_000,
      rss: Number(p.WorkingSetSize ?? 0),
    });
  }
  return rows;
}

export async function listWin32(deps: { run?: RunCommand } = {}): Promise<ProcRow[]> {
  const run = deps.run ?? execFileAnyExit;
  const { stdout, code } = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', CIM_COMMAND]);
  if (code !== 0) throw new Error(`powershell exited with code ${code}`);
  return parseCimJson(stdout);
}
