import { promises as fsp, unlinkSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { SupervisorEntry } from '../../contract/runs.js';
import { processStartTime, supervisorAlive } from '../stop/liveness.js';

// Every supervisor leaves <state>/control/<pid>.json (what it runs, where its socket is) beside
// <pid>.sock; the directory is the user's alone (0700). Entries of dead pids are removed on sight.

export interface ControlEntry {
  pid: number;
  /** Start time of that pid: a reused pid is not the supervisor that wrote the entry */
  pidStart: string | null;
  startedAt: number;
  socket: string;
  jobName: string | null;
}

export function controlDir(stateDir: string): string {
  return join(stateDir, 'control');
}

/** POSIX: a Unix socket in the control directory. Windows: a named pipe (they live in their own namespace). */
export function socketPathFor(stateDir: string, pid: number, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const user = safeUser().replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40);
    return `\\\\.\\pipe\\corral-${user}-${pid}`;
  }
  return join(controlDir(stateDir), `${pid}.sock`);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}

const entryPath = (stateDir: string, pid: number) => join(controlDir(stateDir), `${pid}.json`);

export async function writeEntry(stateDir: string, e: ControlEntry): Promise<void> {
  const path = entryPath(stateDir, e.pid);
  await fsp.writeFile(`${path}.tmp`, JSON.stringify(e) + '\n', { mode: 0o600 });
  await fsp.rename(`${path}.tmp`, path);
}

/** Synchronous, for process 'exit': the entry and the socket go with the supervisor. */
export function removeEntrySync(stateDir: string, e: Pick<ControlEntry, 'pid' | 'socket'>): void {
  for (const p of [entryPath(stateDir, e.pid), e.socket]) {
    if (p.startsWith('\\\\.\\pipe\\')) continue; // a pipe ends with its server
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
}

/** Live supervisors, oldest first; a dead pid's entry and socket are removed. */
export async function readEntries(stateDir: string): Promise<ControlEntry[]> {
  const dir = controlDir(stateDir);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const out: ControlEntry[] = [];
  for (const n of names) {
    if (!/^\d+\.json$/.test(n)) continue;
    let e: ControlEntry;
    try {
      e = JSON.parse(await fsp.readFile(join(dir, n), 'utf8')) as ControlEntry;
    } catch {
      continue; // being written (the rename makes that rare) or foreign
    }
    if (typeof e.pid !== 'number' || typeof e.socket !== 'string') continue;
    if (supervisorAlive(e)) out.push(e);
    else removeEntrySync(stateDir, e);
  }
  return out.sort((a, b) => a.startedAt - b.startedAt || a.pid - b.pid);
}

export function toSupervisorEntry(e: ControlEntry, attachedPid: number | null): SupervisorEntry {
  return { pid: e.pid, jobName: e.jobName, startedAt: e.startedAt, socket: e.socket, self: e.pid === process.pid, attached: e.pid === (attachedPid ?? process.pid) };
}

export function ownStartTime(): string | null {
  return processStartTime(process.pid) ?? null;
}
