import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { sleep, waitFor } from '../../support/wait.js';

export { sleep, waitFor };

export interface Spawned {
  child: ChildProcess;
  pid: number;
  pgid: number;
  /** Resolves with the first stdout line */
  firstLine: Promise<string>;
}

const groups = new Set<number>();
const loose = new Set<number>();

/** Spawns a command in its own process group, as the supervisor does (detached). */
export function spawnGroup(file: string, args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  if (child.pid === undefined) throw new Error(`could not spawn ${file}`);
  groups.add(child.pid);
  const firstLine = new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before printing a line`)));
  });
  firstLine.catch(() => {});
  return { child, pid: child.pid, pgid: child.pid, firstLine };
}

/** Remember a pid that may leave its group, so cleanup kills it too. */
export function trackPid(pid: number): void {
  loose.add(pid);
}

/** SIGKILL every group and pid the tests started: never leave processes behind. */
export function killAllSpawned(): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (const pid of loose) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  groups.clear();
  loose.clear();
}


export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}
