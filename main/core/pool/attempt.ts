import type { JobSpec, KillStep } from '../job/types.js';
import { withoutElectronEnv } from '../run/taskEnv.js';
import { spawnCommandTask, missingProgramFromShell, type CommandLaunch, type CommandSpawner, type RunningCommand } from '../run/commandRunner.js';
import { runHostedAttempt, stopSettled } from './hostedAttempt.js';
import { hostedJob } from '../job/types.js';
import type { ResultStore } from './results.js';
import { MARKER_ENV } from '../reap/protocol.js';
import { findMarkedProcesses, keepDaemon, killedByMessage, notGoneMessage, runKillSequence, signalTree, taskMarker, TASK_MARKER_ENV, type LiveProcess } from '../stop/index.js';
import type { Slot } from './slots.js';
import type { TaskHost } from '../run/taskHost.js';
import { attemptFields, type TaskRecord, type LiveAttempt } from './task.js';
import { stopGaveUp, stopResult } from './taskControl.js';

export { stopSettled } from './hostedAttempt.js';
import { liveTree, pinProcesses, treeTarget } from './treeCheck.js';
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
  /** Forks command tasks (the spawn helper); default: child_process.spawn from this process */
  spawnCommand?: CommandSpawner;
}

export interface AttemptResult {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
  /** The host served maxTasksPerWorker tasks (or is unusable): start a fresh one */
  recycleHost: boolean;
  /** The kill-sequence step ('TERM', 'KILL', 'ABORT'…) after which the tree was verified gone; null when no kill sequence ran */
  endedBy: string | null;
  /** False when a kill sequence (or the leftover cleanup) finished without verifying every pid gone */
  treeGone: boolean;
  /** `daemons: keep`: pids the task left running outside its group, on purpose (for a notice) */
  keptDaemons?: number[];
}

export interface AttemptHooks {
  changed(t: TaskRecord): void;
  /** startTime: read at spawn (undefined: read it now) */
  groupStarted(pid: number, pgid: number | null, startTime?: string): void;
  groupEnded(pgid: number | null): void;
  onTimeout(): void;
}

/** Processes left in a task's group after its main process ended are ended quickly. */
const LEFTOVER_STEPS: KillStep[] = [
  { signal: 'TERM', waitMs: 2000 },
  { signal: 'KILL', waitMs: 0 },
];

/** After the tree is gone its pipes close at once; a process Corral left running may hold them for ever. */
const OUTPUT_DRAIN_MS = 2000;

/** `host`: the slot host that began a module or Python task. */
export function startAttempt(t: TaskRecord, slot: Slot, spec: JobSpec, env: AttemptEnv, hooks: AttemptHooks, host?: TaskHost): Promise<AttemptResult> {
  return new Promise((resolve, reject) => beginAttempt(t, slot, spec, env, hooks, host, resolve, reject));
}

/**
 * Starts an attempt; `done` gets its result, `fail` a bug. A hosted attempt is told its end as the
 * host's message is read (no promise per task), a command attempt when its tree is settled.
 */
export function beginAttempt(
  t: TaskRecord,
  slot: Slot,
  spec: JobSpec,
  env: AttemptEnv,
  hooks: AttemptHooks,
  host: TaskHost | undefined,
  done: (r: AttemptResult) => void,
  fail: (err: Error) => void,
): void {
  const info = t.info;
  const now = Date.now();
  info.attempt++;
  if (info.attempt > 1) t.output.push(Buffer.from(`\n--- attempt ${info.attempt} ---\n`));
  const live: LiveAttempt = {
    n: info.attempt,
    kind: hostedJob(spec) ? 'module' : 'command', // a Python function task is a module task to the pool and the UI
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
    cpuBaselineS: hostedJob(spec) ? NaN : 0,
    ended: false,
    exitedAt: null,
    stopBeforeExit: null,
    receive: 0,
    stopDone: null,
  };
  t.live = live;
  t.treeProcs = [];
  Object.assign(info, attemptFields(now), { state: 'running', slot: slot.index } satisfies Partial<typeof info>);
  const timeout = spec.timeout;
  if (timeout && 'ms' in timeout) live.timeoutTimer = longTimeout(hooks.onTimeout, timeout.ms);
  hooks.changed(t);
  const onActivity = (stdoutBytes = 0) => {
    info.lastActivityAt = Date.now();
    live.receive += stdoutBytes;
  };
  const settle = () => {
    if (live.timeoutTimer) clearTimeout(live.timeoutTimer);
    live.timeoutTimer = null;
  };
  const ended = (r: AttemptResult) => {
    settle();
    done(r);
  };
  const failed = (err: Error) => {
    settle();
    fail(err);
  };
  // A module or Python task starts when its slot's host has begun it (see hostDispatch).
  if (live.kind === 'command') runCommandAttempt(t, live, slot, spec, env, hooks, onActivity).then(ended, failed);
  else runHostedAttempt(t, live, host ?? slot.host!, spec, env, hooks, onActivity, ended, failed);
}

async function runCommandAttempt(
  t: TaskRecord,
  live: LiveAttempt,
  slot: Slot,
  spec: JobSpec,
  env: AttemptEnv,
  hooks: AttemptHooks,
  onActivity: (stdoutBytes?: number) => void,
): Promise<AttemptResult> {
  let launch: CommandLaunch;
  try {
    launch = env.expand(t.info.input, t.seq, slot.index);
  } catch (err) {
    mainEnded(live);
    return { ok: false, exitCode: null, signal: null, error: (err as Error).message, recycleHost: false, endedBy: null, treeGone: true };
  }
  // Set last, so the job's env cannot override it: it finds the task's daemons at its end.
  const marker = taskMarker(launch.env[MARKER_ENV], t.seq, live.n);
  // Stripped here, not only in spawnCommandTask: the spawn helper forks from the env it is sent.
  const taskEnv = withoutElectronEnv({ ...launch.env, [TASK_MARKER_ENV]: marker });
  const child = (env.spawnCommand ?? spawnCommandTask)({ ...launch, env: taskEnv }, onActivity, t.output);
  live.starting = child.started;
  const started = await child.started;
  live.pid = started.pid;
  live.pgid = started.pgid;
  t.info.pid = started.pid;
  if (started.pid !== null) {
    // The start time was read before the pid could be reaped: it guards every later signal against pid reuse.
    pinProcesses(t.treeProcs, [{ pid: started.pid, startTime: started.startTime }]);
    hooks.groupStarted(started.pid, started.pgid, started.startTime);
  }
  hooks.changed(t);
  // The main process's exit ends the task, not its pipes' end; a stop that gave up ends it too.
  const end = await Promise.race([child.exited, stopGaveUp(live).then(() => null)]);
  mainEnded(live);
  const settled = end ? await settleTree(t, live, marker, spec.daemons) : { treeGone: false, survivors: stopResult(live)?.survivors ?? [], keptDaemons: [] };
  await releaseOutput(child);
  const stop = stopResult(live);
  const endedBy = settled.treeGone ? (stop?.endedBy ?? null) : null;
  const missing = end ? missingProgramFromShell(end.exitCode, t.output.tail()) : null;
  const error = !settled.treeGone
    ? notGoneMessage(stop?.stepsSent.at(-1) ?? 'KILL', settled.survivors)
    : endedBy && stop
      ? killedByMessage(stop.stepsSent)
      : end?.spawnError ?? (missing ? `program not found: ${missing}` : end?.signal ? `killed by ${end.signal}` : end?.exitCode ? `exit code ${end.exitCode}` : null);
  const exitCode = end?.exitCode ?? null;
  return {
    ok: exitCode === 0 && !end?.spawnError,
    exitCode,
    signal: end?.signal ?? null,
    error,
    recycleHost: false,
    endedBy,
    treeGone: settled.treeGone,
    keptDaemons: settled.keptDaemons,
  };
}

/** Output the tree wrote is read to its end once nothing of the tree is left to hold the pipes. */
async function releaseOutput(child: RunningCommand): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([child.outputClosed, new Promise<void>((r) => (timer = setTimeout(r, OUTPUT_DRAIN_MS)))]);
  clearTimeout(timer);
  child.releaseOutput();
}

interface Settled {
  treeGone: boolean;
  survivors: LiveProcess[];
  keptDaemons: number[];
}

/**
 * After the main process exited: learn what is left (the group's members, the daemons carrying the
 * task's marker), let a stop in progress finish, then end the leftovers (TERM, 2 s, KILL).
 */
async function settleTree(t: TaskRecord, live: LiveAttempt, marker: string, daemons: JobSpec['daemons']): Promise<Settled> {
  const all = () => treeTarget(live.pgid, t.treeProcs);
  const target = () => treeTarget(live.pgid, t.treeProcs, daemons);
  pinProcesses(t.treeProcs, liveTree(all()));
  if (live.pid !== null) pinProcesses(t.treeProcs, await findMarkedProcesses(marker, live.pid));
  const keptDaemons = daemons === 'keep' ? keepDaemons(t) : [];
  if (live.stopDone) {
    await stopSettled(live);
    const stop = stopResult(live);
    if (stop && !stop.gone) return { treeGone: false, survivors: stop.survivors, keptDaemons };
  }
  if (process.platform === 'win32') return { treeGone: true, survivors: [], keptDaemons };
  let survivors = liveTree(target());
  if (survivors.length === 0) return { treeGone: true, survivors, keptDaemons };
  const pids = (list: LiveProcess[]) => list.map((p) => `pid ${p.pid}`).join(', ');
  const outside = survivors.filter((p) => !p.inGroup);
  const daemonNote = outside.length > 0 ? ` — ${pids(outside)} outside its group (daemons: kill)` : '';
  t.output.push(Buffer.from(`\ncorral: task ${t.seq} left ${pids(survivors)}${daemonNote}; ending them\n`));
  const r = await runKillSequence({
    steps: LEFTOVER_STEPS,
    send: (sig) => signalTree(target(), sig),
    isGone: () => (survivors = liveTree(target())).length === 0,
    finalWaitMs: 5000,
  });
  return { treeGone: r.gone, survivors: r.gone ? [] : survivors, keptDaemons };
}

/** `daemons: keep`: what left the group is no longer the task's to end; it is named in the output. */
function keepDaemons(t: TaskRecord): number[] {
  const view = liveTree(treeTarget(t.live!.pgid, t.treeProcs));
  const kept = view.filter((p) => !p.inGroup);
  if (kept.length === 0) return [];
  t.treeProcs = t.treeProcs.filter((k) => !kept.some((p) => p.pid === k.pid));
  for (const p of kept) keepDaemon(p.pid, p.startTime);
  t.output.push(Buffer.from(`\ncorral: task ${t.seq} leaves ${kept.map((p) => `pid ${p.pid}`).join(', ')} running outside its group (daemons: keep)\n`));
  return kept.map((p) => p.pid);
}
