import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { procPids, readProcStat } from '../../../main/core/monitor/platform/procfs.js';
import { probeProcess, sameProcess } from '../../../main/core/stop/index.js';
import { waitFor } from '../../support/wait.js';

export { waitFor };

export const root = join(__dirname, '..', '..', '..');
export const reaperBundle = join(root, 'out', 'workers', 'reaper.cjs');

function newestSource(dirs: string[]): number {
  let newest = 0;
  for (const d of dirs) for (const f of readdirSync(join(root, d))) newest = Math.max(newest, statSync(join(root, d, f)).mtimeMs);
  return newest;
}

/** Rebuilds out/workers/reaper.cjs when it is missing or older than its sources. */
export function ensureReaperBundle(): void {
  const stale = !existsSync(reaperBundle) || statSync(reaperBundle).mtimeMs < newestSource(['workers/reaper', 'main/core/reap']);
  if (stale) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'reaper'], { cwd: root, stdio: 'inherit' });
}

/** Bundles the fake supervisor (TypeScript importing main/core/reap) into a runnable .cjs. */
export async function buildFakeSupervisor(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'corral-fake-sup-')), 'fake-supervisor.cjs');
  await build({
    entryPoints: [join(root, 'test', 'fixtures', 'reap', 'fake-supervisor.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

export interface TaskInfo {
  pid: number;
  pgid: number;
  startTime: string;
  command: string;
}
export interface Ready {
  event: 'ready';
  supervisor: number;
  reaper: number;
  ledger: string;
  tasks: TaskInfo[];
}
export interface TrackedPid {
  pid: number;
  startTime?: string;
}

export interface FakeSupervisor {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves with the first stdout JSON line matching the predicate. */
  next: <T>(match: (msg: Record<string, unknown>) => boolean) => Promise<T>;
  exited: Promise<number | null>;
}

export function startFakeSupervisor(script: string, ledgerDir: string, extra: string[] = []): FakeSupervisor {
  const args = [script, `--script=${reaperBundle}`, `--ledger-dir=${ledgerDir}`, '--trees=8', '--grace-ms=500', ...extra];
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const messages: Record<string, unknown>[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      messages.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const next = <T,>(match: (msg: Record<string, unknown>) => boolean): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = messages.find(match);
        if (found) return resolve(found as T);
        if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`fake supervisor exited; stderr: ${err}`));
        waiters.push(check);
      };
      check();
      void exited.then(() => setImmediate(check));
    });
  return { child, stderr: () => err, next, exited };
}


/** Every live pid in the task groups, once each group has its expected members (sh plus its sleeps). */
export async function treePids(tasks: TaskInfo[]): Promise<TrackedPid[]> {
  const expected = (t: TaskInfo): number => (t.command.includes('&') ? 3 : 2);
  let members = new Map<number, number[]>();
  await waitFor('every task tree to start', () => {
    members = groupMembers(tasks.map((t) => t.pgid));
    return tasks.every((t) => (members.get(t.pgid)?.length ?? 0) >= expected(t));
  });
  return [...members.values()].flat().map((pid) => ({ pid, startTime: probeProcess(pid).startTime }));
}

/** Live (non-zombie) members of the given groups, one /proc pass. */
function groupMembers(pgids: number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const pid of procPids()) {
    const s = readProcStat(pid);
    if (!s || s.state === 'Z' || !pgids.includes(s.pgid)) continue;
    out.set(s.pgid, [...(out.get(s.pgid) ?? []), pid]);
  }
  return out;
}

export const isAlive = (p: TrackedPid): boolean => sameProcess(probeProcess(p.pid), p.startTime);

/** SIGKILLs what a test started, checking start time so a reused pid is never hit. */
export function killTracked(pids: TrackedPid[]): void {
  for (const p of pids) {
    if (!isAlive(p)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** True once the process has handlers for every given signal (the SigCgt mask in /proc/<pid>/status). */
export function catchesSignals(pid: number, signals: number[]): boolean {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return false;
  }
  const mask = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? '0'}`);
  return signals.every((s) => (mask & (1n << BigInt(s - 1))) !== 0n);
}
