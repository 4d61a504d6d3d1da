import type { KillMode, StopProgress } from '../../contract/types.js';
import type { JobSpec, KillStep } from '../job/types.js';
import { runKillSequence, signalTree, pauseTree, resumeTree, processStartTime, type KillSequenceResult, type LiveProcess } from '../stop/index.js';
import { CorralFailure } from '../errors.js';
import type { LiveAttempt, TaskRecord } from './task.js';
import { liveTree, pinProcesses, treeTarget } from './treeCheck.js';
import { longTimeout } from '../timers.js';

const FORCE: KillStep[] = [{ signal: 'KILL', waitMs: 0 }];

/** How the last kill sequence of an attempt ended, for the attempt's result and error text. */
export interface StopResult extends KillSequenceResult {
  /** What was still alive when it gave up (empty when gone) */
  survivors: LiveProcess[];
}

const results = new WeakMap<LiveAttempt, StopResult>();
const gaveUp = new WeakMap<LiveAttempt, { promise: Promise<StopResult>; resolve: (r: StopResult) => void }>();

/** The outcome of the attempt's last finished kill sequence, or null when none ran. */
export function stopResult(live: LiveAttempt): StopResult | null {
  return results.get(live) ?? null;
}

/** Resolves when a kill sequence on this attempt ends without verifying the tree gone (the main process may never exit). */
export function stopGaveUp(live: LiveAttempt): Promise<StopResult> {
  let d = gaveUp.get(live);
  if (!d) {
    let resolve!: (r: StopResult) => void;
    const promise = new Promise<StopResult>((r) => (resolve = r));
    gaveUp.set(live, (d = { promise, resolve }));
  }
  return d.promise;
}

/** The root with its start time, recorded once (module hosts are not recorded at spawn). */
function ensureRoot(t: TaskRecord, live: LiveAttempt): void {
  if (live.pid !== null && !t.treeProcs.some((p) => p.pid === live.pid)) {
    const startTime = processStartTime(live.pid);
    if (startTime !== undefined) pinProcesses(t.treeProcs, [{ pid: live.pid, startTime }]);
  }
}

/**
 * Runs the kill sequence on a task's tree. The task shows `stopping` with the step sent and
 * the deadline of the next; it ends (through the attempt) only once every pid is verified gone.
 * A force stop during a graceful one takes over and sends KILL at once.
 */
export async function stopAttempt(
  t: TaskRecord,
  mode: KillMode,
  reason: StopProgress['reason'],
  spec: JobSpec,
  changed: (t: TaskRecord) => void,
): Promise<void> {
  const live = t.live;
  if (!live) return;
  if (live.stopReason && mode === 'graceful') return live.stopDone ?? undefined;
  live.stopAbort?.abort();
  live.stopReason ??= reason;
  if (live.timeoutTimer) clearTimeout(live.timeoutTimer);
  live.timeoutTimer = null;
  const abort = new AbortController();
  live.stopAbort = abort;

  let steps = mode === 'force' ? FORCE : spec.kill;
  // A module task is first asked to stop through ctx.signal; the host's group gets the rest.
  if (live.kind === 'module' && mode === 'graceful') {
    steps = [{ signal: 'ABORT', waitMs: spec.kill[0]?.waitMs ?? 10_000 }, ...spec.kill.slice(1)];
    if (steps.length === 1) steps.push({ signal: 'KILL', waitMs: 0 });
  }
  const startedAt = Date.now();
  t.info.state = 'stopping';
  t.info.stopping = { mode, reason: live.stopReason, step: steps[0].signal, next: steps[1]?.signal ?? null, nextAt: null, startedAt };
  changed(t);
  ensureRoot(t, live);

  const target = () => treeTarget(live.pgid, t.treeProcs, spec.daemons);
  const run = (async () => {
    if (live.pid === null) await live.starting; // a stop during the fork acts once the pid is known
    if (live.pid === null) return; // never started: nothing to kill
    if (live.paused) {
      // A stopped process only handles TERM once continued.
      try {
        resumeTree(target());
      } catch {
        // The sequence's own signals report what cannot be reached.
      }
      live.paused = false;
    }
    let survivors: LiveProcess[] = [];
    const r = await runKillSequence({
      steps,
      send: async (sig) => {
        if (sig === 'ABORT') live.abortModule?.(`stopped (${live.stopReason})`);
        else await signalTree(target(), sig);
      },
      // Module tasks that honour the abort end while their host lives on: the attempt is what ends.
      // (a KILL to the host's group takes the host's own children with it).
      isGone: () => {
        survivors = live.kind === 'module' ? [] : liveTree(target());
        return live.ended && survivors.length === 0;
      },
      onStep: (p) => {
        t.info.stopping = { mode, reason: live.stopReason!, startedAt, ...p };
        changed(t);
      },
      signal: abort.signal,
    });
    if (abort.signal.aborted) return; // a force stop took over: its result is the one that counts
    const result: StopResult = { ...r, survivors: r.gone ? [] : survivors };
    results.set(live, result);
    if (!r.gone) {
      stopGaveUp(live).catch(() => {}); // creates the deferred if the attempt has not asked yet (it only ever resolves)
      gaveUp.get(live)!.resolve(result);
    }
  })();
  const done = run.catch(() => {});
  if (!live.stopDone || mode === 'force') live.stopDone = done;
  await done;
}

/** A refused signal (EPERM…) reaches the caller as a contract error, never as an unhandled rejection. */
function signalOrFail(t: TaskRecord, what: 'pause' | 'resume', send: () => void): void {
  try {
    send();
  } catch (err) {
    if (err instanceof CorralFailure && err.code === 'UNSUPPORTED') throw err;
    throw new CorralFailure('INTERNAL', `cannot ${what} task ${t.seq}: ${(err as Error).message}`);
  }
}

export function pauseAttempt(t: TaskRecord, spec: JobSpec): void {
  const live = t.live!;
  if (process.platform === 'win32') throw new CorralFailure('UNSUPPORTED', 'pausing a task is not supported on Windows');
  if (live.pid === null) throw new CorralFailure('BAD_STATE', `task ${t.seq} has no process yet`);
  ensureRoot(t, live);
  signalOrFail(t, 'pause', () => pauseTree(treeTarget(live.pgid, t.treeProcs, spec.daemons)));
  live.paused = true;
  live.pausedAt = Date.now();
  // The timeout clock stops while paused.
  if (live.timeoutTimer && live.timeoutLeftMs === null) {
    clearTimeout(live.timeoutTimer);
    live.timeoutTimer = null;
    const limit = spec.timeout && 'ms' in spec.timeout ? spec.timeout.ms : 0;
    live.timeoutLeftMs = Math.max(0, limit - (live.pausedAt - live.startedAt - live.pausedMs));
  }
  t.info.state = 'paused';
}

export function resumeAttempt(t: TaskRecord, onTimeout: () => void): void {
  const live = t.live!;
  signalOrFail(t, 'resume', () => resumeTree(treeTarget(live.pgid, t.treeProcs)));
  live.paused = false;
  if (live.pausedAt !== null) live.pausedMs += Date.now() - live.pausedAt;
  live.pausedAt = null;
  if (live.timeoutLeftMs !== null) {
    live.timeoutTimer = longTimeout(onTimeout, live.timeoutLeftMs);
    live.timeoutLeftMs = null;
  }
  t.info.state = 'running';
}
