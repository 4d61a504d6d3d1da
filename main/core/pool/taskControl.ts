import type { KillMode, StopProgress } from '../../contract/types.js';
import type { JobSpec, KillStep } from '../job/types.js';
import { runKillSequence, signalTree, pauseTree, resumeTree } from '../stop/index.js';
import { CorralFailure } from '../errors.js';
import type { TaskRecord } from './task.js';
import { treeAlive } from './treeCheck.js';
import { longTimeout } from '../timers.js';

const FORCE: KillStep[] = [{ signal: 'KILL', waitMs: 0 }];

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

  const target = () => ({ pid: live.pid!, pgid: live.pgid, extraPids: t.treePids });
  const run = (async () => {
    if (live.pid === null) return; // never started: nothing to kill
    if (live.paused) {
      // A stopped process only handles TERM once continued.
      await resumeTree(target()).catch(() => {});
      live.paused = false;
    }
    await runKillSequence({
      steps,
      send: async (sig) => {
        if (sig === 'ABORT') live.abortModule?.(`stopped (${live.stopReason})`);
        else await signalTree(target(), sig);
      },
      // Module tasks that honour the abort end while their host lives on: the attempt is what ends.
      // (a KILL to the host's group takes the host's own children with it).
      isGone: () => live.ended && (live.kind === 'module' || !treeAlive(live.pid, live.pgid, t.treePids)),
      onStep: (p) => {
        t.info.stopping = { mode, reason: live.stopReason!, startedAt, ...p };
        changed(t);
      },
      signal: abort.signal,
    });
  })();
  const done = run.catch(() => {});
  if (!live.stopDone || mode === 'force') live.stopDone = done;
  await done;
}

export function pauseAttempt(t: TaskRecord, spec: JobSpec): void {
  const live = t.live!;
  if (process.platform === 'win32') throw new CorralFailure('UNSUPPORTED', 'pausing a task is not supported on Windows');
  if (live.pid === null) throw new CorralFailure('BAD_STATE', `task ${t.seq} has no process yet`);
  void pauseTree({ pid: live.pid, pgid: live.pgid, extraPids: t.treePids });
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
  void resumeTree({ pid: live.pid!, pgid: live.pgid, extraPids: t.treePids });
  live.paused = false;
  if (live.pausedAt !== null) live.pausedMs += Date.now() - live.pausedAt;
  live.pausedAt = null;
  if (live.timeoutLeftMs !== null) {
    live.timeoutTimer = longTimeout(onTimeout, live.timeoutLeftMs);
    live.timeoutLeftMs = null;
  }
  t.info.state = 'running';
}
