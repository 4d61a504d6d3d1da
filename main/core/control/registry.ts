import { promises as fsp, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { SupervisorEntry } from '../../contract/runs.js';
import { probeProcess, processStartTime, supervisorAlive } from '../stop/liveness.js';

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

/** Synchronous, for process 'exit': the entry (and a half-written one) and the socket go with the supervisor. */
export function removeEntrySync(stateDir: string, e: Pick<ControlEntry, 'pid' | 'socket'>): void {
  for (const p of [entryPath(stateDir, e.pid), `${entryPath(stateDir, e.pid)}.tmp`, e.socket]) {
    if (p.startsWith('\\\\.\\pipe\\')) continue; // a pipe ends with its server
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
}

/**
 * Live supervisors, oldest first; a dead pid's entry and socket are removed, and so are the strays a
 * supervisor killed -9 between listening and renaming its entry into place leaves: `<pid>.sock`
 * and `<pid>.json.tmp` with no `<pid>.json` (see removeStrays).
 */
export async function readEntries(stateDir: string): Promise<ControlEntry[]> {
  const dir = controlDir(stateDir);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  await removeStrays(dir, names);
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

/**
 * A socket or half-written entry with no entry beside it belongs to a supervisor that died before its
 * entry landed — or to one starting right now. Its files go when its pid is gone, or when the pid is
 * alive (reused, or a supervisor between listen and rename) but nothing answers on the socket.
 */
async function removeStrays(dir: string, names: string[]): Promise<void> {
  const has = new Set(names);
  const pids = new Set<number>();
  for (const n of names) {
    const m = /^(\d+)\.(?:sock|json\.tmp)$/.exec(n);
    if (m && !has.has(`${m[1]}.json`)) pids.add(Number(m[1]));
  }
  for (const pid of pids) {
    if (pid === process.pid) continue;
    const sock = join(dir, `${pid}.sock`);
    if (probeProcess(pid).alive && (!has.has(`${pid}.sock`) || (await answers(sock)))) continue;
    for (const p of [sock, join(dir, `${pid}.json.tmp`)]) {
      try {
        unlinkSync(p);
      } catch {
        // not there, or removed by another reader
      }
    }
  }
}

/** A Unix socket someone listens on accepts a connection; a dead one refuses it. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(2_000, () => done(true)); // slow is not dead
  });
}

export function toSupervisorEntry(e: ControlEntry, attachedPid: number | null): SupervisorEntry {
  return { pid: e.pid, jobName: e.jobName, startedAt: e.startedAt, socket: e.socket, self: e.pid === process.pid, attached: e.pid === (attachedPid ?? process.pid) };
}

export function ownStartTime(): string | null {
  return processStartTime(process.pid) ?? null;
}
