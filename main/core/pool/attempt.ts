import type { JobSpec, KillStep } from '../job/types.js';
import { runCommand, missingProgramFromShell, type CommandLaunch } from '../run/commandRunner.js';
import { ModuleHost } from '../run/moduleHost.js';
import type { ResultStore } from './results.js';
import { runKillSequence, signalTree } from '../stop/index.js';
import type { Slot } from './slots.js';
import { attemptFields, type TaskRecord, type LiveAttempt } from './task.js';
import { treeAlive } from './treeCheck.js';
import { longTimeout } from '../timers.js';
import { mainEnded } from './mainExit.js';

export interface AttemptEnv {
  /** The environment tasks get (see taskEnv: the supervisor's or the login shell's, the job's env:, the marker) */
  taskEnv: NodeJS.ProcessEnv;
  hostScript: string;
  execPath?: string;
  expand(input: string, seq: number, slot: number): CommandLaunch;
  /** Module tasks' results, within the job's budget */
  results: ResultStore;
}

export interface AttemptResult {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
  /** The host served maxTasksPerWorker tasks (or is unusable): start a fresh one */
  recycleHost: boolean;
  /** false: a stop could not verify the tree gone (the kill helper sets it) */
  treeGone?: boolean;
}

export interface AttemptHooks {
  changed(t: TaskRecord): void;
  groupStarted(pid: number, pgid: number | null): void;
  groupEnded(pgid: number | null): void;
  onTimeout(): void;
}

/** Processes left in a task's group after its main process ended are ended quickly. */
const LEFTOVER_STEPS: KillStep[] = [
  { signal: 'TERM', waitMs: 2000 },
  { signal: 'KILL', waitMs: 0 },
];

export function startAttempt(t: TaskRecord, slot: Slot, spec: JobSpec, env: AttemptEnv, hooks: AttemptHooks): Promise<AttemptResult> {
  const info = t.info;
  const now = Date.now();
  info.attempt++;
  if (info.attempt > 1) t.output.push(Buffer.from(`\n--- attempt ${info.attempt} ---\n`));
  const live: LiveAttempt = {
    n: info.attempt,
    kind: spec.module ? 'module' : 'command',
    slot: slot.index,
    startedAt: now,
    pid: null,
    pgid: null,
    stopReason: null,
    stopMessage: null,
    stopAbort: null,
    timeoutTimer: null,
    timeoutLeftMs: null,
    paused: false,
    pausedAt: null,
    pausedMs: 0,
    abortModule: null,
    // A module task's baseline is its host's CPU while idle, told at the start; until then its CPU is not shown.
    cpuBaselineS: spec.module ? NaN : 0,
    ended: false,
    exitedAt: null,
    stopBeforeExit: null,
    receive: 0,
    stopDone: null,
  };
  t.live = live;
  t.treePids = [];
  Object.assign(info, attemptFields(now), { state: 'running', slot: slot.index } satisfies Partial<typeof info>);
  const timeout = spec.timeout;
  if (timeout && 'ms' in timeout) live.timeoutTimer = longTimeout(hooks.onTimeout, timeout.ms);
  hooks.changed(t);
  const onActivity = (stdoutBytes = 0) => {
    info.lastActivityAt = Date.now();
    live.receive += stdoutBytes;
  };
  const run = live.kind === 'command' ? runCommandAttempt(t, live, slot, env, hooks, onActivity) : runModuleAttempt(t, live, slot, spec, env, hooks, onActivity);
  return run.finally(() => {
    if (live.timeoutTimer) clearTimeout(live.timeoutTimer);
    live.timeoutTimer = null;
  });
}

async function runCommandAttempt(
  t: TaskRecord,
  live: LiveAttempt,
  slot: Slot,
  env: AttemptEnv,
  hooks: AttemptHooks,
  onActivity: (stdoutBytes?: number) => void,
): Promise<AttemptResult> {
  let launch: CommandLaunch;
  try {
    launch = env.expand(t.info.input, t.seq, slot.index);
  } catch (err) {
    mainEnded(live);
    return { ok: false, exitCode: null, signal: null, error: (err as Error).message, recycleHost: false };
  }
  const child = runCommand(launch, onActivity, t.output);
  live.pid = child.pid;
  live.pgid = child.pgid;
  t.info.pid = child.pid;
  if (child.pid !== null) hooks.groupStarted(child.pid, child.pgid);
  hooks.changed(t);
  const end = await child.ended;
  mainEnded(live);
  await settleTree(t, live);
  const missing = missingProgramFromShell(end.exitCode, t.output.tail());
  const error =
    end.spawnError ??
    (missing ? `program not found: ${missing}` : end.signal ? `killed by ${end.signal}` : end.exitCode ? `exit code ${end.exitCode}` : null);
  return { ok: end.exitCode === 0 && !end.spawnError, exitCode: end.exitCode, signal: end.signal, error, recycleHost: false };
}

/** A stop in progress finishes verifying the tree; otherwise leftovers of the group are ended. */
async function settleTree(t: TaskRecord, live: LiveAttempt): Promise<void> {
  if (live.stopDone) {
    await stopSettled(live);
    return;
  }
  if (process.platform === 'win32' || !treeAlive(live.pid, live.pgid, t.treePids)) return;
  t.output.push(Buffer.from(`\ncorral: task ${t.seq} left processes in its group; ending them\n`));
  await runKillSequence({
    steps: LEFTOVER_STEPS,
    send: (sig) => signalTree({ pid: live.pid!, pgid: live.pgid, extraPids: t.treePids }, sig),
    isGone: () => !treeAlive(live.pid, live.pgid, t.treePids),
    finalWaitMs: 5000,
  });
}

async function runModuleAttempt(
  t: TaskRecord,
  live: LiveAttempt,
  slot: Slot,
  spec: JobSpec,
  env: AttemptEnv,
  hooks: AttemptHooks,
  onActivity: (stdoutBytes?: number) => void,
): Promise<AttemptResult> {
  if (!slot.host || !slot.host.alive) {
    if (slot.host?.registered) hooks.groupEnded(slot.host.pid); // died while idle
    slot.host = new ModuleHost({ script: env.hostScript, execPath: env.execPath, env: env.taskEnv, cwd: spec.cwd });
  }
  const host = slot.host;
  live.pid = host.pid;
  live.pgid = process.platform === 'win32' ? null : host.pid;
  t.info.pid = host.pid;
  // A reused host is one process group for all its tasks: the reaper and ledger learn it once.
  if (host.pid !== null && !host.registered) {
    hooks.groupStarted(host.pid, live.pgid);
    host.registered = true;
  }
  live.abortModule = (reason) => host.abort(t.seq, reason);
  // The host's tree is shared by all its tasks: memory is the host's, shown with its RSS at start.
  t.info.memoryScope = 'host';
  hooks.changed(t);
  const r = await host.run(
    { taskId: t.seq, input: t.info.input, module: spec.module!, slot: slot.index, attempt: live.n, maxResultBytes: spec.maxResultSize },
    {
      output: t.output,
      onActivity,
      onProgress: (fraction, message) => {
        t.info.progress = { fraction, message, at: Date.now() };
      },
      // Told by the host while idle, so it holds even when user code never yields the event loop.
      onStart: (idle) => {
        if (!idle) return;
        live.cpuBaselineS = idle.cpuMs / 1000;
        t.info.rssAtStart = idle.rss;
      },
    },
  );
  mainEnded(live);
  if (r.usage) {
    // The host measured the task itself; the tree sample adds any child processes it ran.
    t.info.cpuSeconds = Math.max(t.info.cpuSeconds ?? 0, r.usage.cpuMs / 1000);
    t.info.peakRss = Math.max(t.info.peakRss ?? 0, r.usage.rss);
  }
  await stopSettled(live);
  const recycle = !host.alive || (spec.maxTasksPerWorker !== null && host.tasksRun >= spec.maxTasksPerWorker);
  if (r.ok) {
    env.results.keep(t.seq, r.value, r.bytes);
    t.output.push(Buffer.from(`=> ${formatResult(r.value)}\n`));
    return { ok: true, exitCode: 0, signal: null, error: null, recycleHost: recycle };
  }
  if (r.hostExit) {
    return { ok: false, exitCode: r.hostExit.code, signal: r.hostExit.signal, error: r.error.message, recycleHost: true };
  }
  const error = r.error.byHost ? r.error.message : `${r.error.name}: ${r.error.message}`;
  t.output.push(Buffer.from(`${r.error.stack ?? error}\n`));
  return { ok: false, exitCode: 1, signal: null, error, recycleHost: recycle };
}

function formatResult(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 2000 ? `${s.slice(0, 2000)}…` : s;
  } catch {
    return String(v);
  }
}

/**
 * Waits for the stop in progress, and for any that took over from it while waiting (a force
 * kill aborts a graceful sequence early: the attempt must wait for the force to verify).
 */
export async function stopSettled(live: Pick<LiveAttempt, 'stopDone'>): Promise<void> {
  let awaited: Promise<void> | null = null;
  while (live.stopDone && live.stopDone !== awaited) {
    awaited = live.stopDone;
    await awaited;
  }
}
