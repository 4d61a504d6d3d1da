import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Notice, Settings, TaskInfo, Tick } from '../../../main/contract/types.js';
import { createSupervisor, type Supervisor, type SupervisorOptions } from '../../../main/core/supervisor.js';
import { sleep, waitFor, withDeadline } from '../../support/wait.js';

export { sleep, waitFor, withDeadline };

export const repoRoot = resolve(__dirname, '../../..');
export const fixtures = join(repoRoot, 'test/fixtures/core');
export const argvFixture = join(repoRoot, 'test/fixtures/argv.cjs');
export const cliBin = join(repoRoot, 'bin/corral.cjs');

/** A fresh temp dir, removed by cleanup(). */
export function tempDir(prefix = 'corral-core-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export interface JobHandle {
  sup: Supervisor;
  dir: string;
  ticks: Tick[];
  notices: Notice[];
  /** Latest record of every task, from the run itself */
  tasks(): TaskInfo[];
  task(seq: number): TaskInfo;
  /** Every pid any tick showed for any task (for "no pid left" checks) */
  seenPids: Set<number>;
  finished: Promise<void>;
}

export interface RunJobOptions extends Omit<SupervisorOptions, 'settings'> {
  settings?: Partial<Settings>;
  /** Load only (default: start) */
  start?: boolean;
  /** Name of the job file written into the temp dir */
  fileName?: string;
}

const live: Supervisor[] = [];
const dirs: string[] = [];
const pids = new Set<number>();

/** Writes the job text to a temp dir, loads it in an in-process supervisor, starts it. */
export async function startJob(yamlText: string, opts: RunJobOptions = {}): Promise<JobHandle> {
  const dir = tempDir();
  const file = join(dir, opts.fileName ?? 'job.yaml');
  writeFileSync(file, yamlText);
  const { start = true, settings, ...rest } = opts;
  const sup = createSupervisor({ stateDir: join(dir, 'state'), joblog: null, orphanGuard: false, ...rest, settings: { tickMs: 250, ...settings } });
  live.push(sup);
  const ticks: Tick[] = [];
  const notices: Notice[] = [];
  const seenPids = new Set<number>();
  sup.on('tick', (t) => {
    ticks.push(t);
    for (const x of t.tasks) for (const p of x.pids) {
      seenPids.add(p);
      pids.add(p);
    }
  });
  sup.on('notice', (n) => notices.push(n));
  const loaded = await sup.call('loadJob', { path: file });
  if (!loaded.ok) throw new Error(`loadJob failed: ${loaded.error.message}`);
  if (start) {
    const r = await sup.call('startJob', {});
    if (!r.ok) throw new Error(`startJob failed: ${r.error.message}`);
  }
  const run = sup.run!;
  return {
    sup,
    dir,
    ticks,
    notices,
    seenPids,
    tasks: () => Array.from({ length: run.total }, (_, i) => run.taskInfo(i + 1)),
    task: (seq) => run.taskInfo(seq),
    get finished() {
      return sup.finished();
    },
  };
}

/** startJob, then wait (with a deadline) for the job to end. */
export async function runJob(yamlText: string, opts: RunJobOptions & { deadlineMs?: number } = {}): Promise<JobHandle> {
  const { deadlineMs = 90_000, ...rest } = opts;
  const h = await startJob(yamlText, rest);
  await withDeadline(h.sup.finished(), deadlineMs, 'the job to finish');
  return h;
}

/** Live pids whose command line is exactly `sleep <arg>` (each test picks a unique arg). */
export function sleepers(arg: string): number[] {
  return spawnSync('pgrep', ['-x', '-f', `sleep ${arg}`], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number)
    .filter(pidAlive);
}

/** A task's output as text, through the contract's getTaskOutput. */
export async function taskOutput(sup: Supervisor, seq: number): Promise<string> {
  const r = await sup.call('getTaskOutput', { seq });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.text;
}


export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is dead for our purposes (its parent has not reaped it yet).
  const r = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  return r.status === 0 && !r.stdout.trim().startsWith('Z');
}

/** Pids of a process group, from pgrep (empty when the group is gone). */
export function groupPids(pgid: number): number[] {
  const r = spawnSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number).filter((p) => pidAlive(p));
}

/** Remember pids a test learned another way, so cleanup kills them too. */
export function trackPid(pid: number): void {
  pids.add(pid);
}

/** Close every supervisor, KILL every pid any test saw, remove temp dirs. */
export async function cleanup(): Promise<void> {
  await Promise.all(live.splice(0).map((s) => s.close({ graceMs: 2_000 }).catch(() => {})));
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  pids.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/corral.cjs ...args` with a temp state dir; resolves when it exits. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const child = spawnCli(args, opts);
  return child.result;
}

export function spawnCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  const env = { ...process.env, CORRAL_STATE_DIR: opts.env?.CORRAL_STATE_DIR ?? tempDir('corral-cli-state-'), ...opts.env };
  const child = spawn(process.execPath, [cliBin, ...args], { cwd: opts.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
  const result = new Promise<CliResult>((res) =>
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr });
    }),
  );
  return {
    child,
    result,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** YAML for a list of inputs, each quoted safely. */
export function yamlList(items: readonly string[]): string {
  return `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;
}
