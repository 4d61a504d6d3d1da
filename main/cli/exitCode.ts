import type { JobState, Outcome } from '../contract/types.js';
import type { HaltRule } from '../core/job/types.js';

/** Why the CLI stopped its job early: a signal, or the reader of its stdout went away. */
export type StopCause = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'stdout-closed';

/** 128 + the signal's number, the shell convention (a closed stdout counts as SIGPIPE, 13). */
export const STOP_EXIT: Readonly<Record<StopCause, number>> = { SIGHUP: 129, SIGINT: 130, 'stdout-closed': 141, SIGTERM: 143 };

/** Exit code of the CLI process when something outside Corral is broken (a bug). */
export const INTERNAL_ERROR_EXIT = 70;

export interface RunEnd {
  stop: StopCause | null;
  state: JobState;
  failed: number;
  halt: HaltRule;
  /** Outcome of the task whose end made the job halt */
  haltTrigger: Outcome | null;
}

/**
 * 0 all ok, 1 some failed. A halt follows GNU parallel: success=… exits 0 even after failures,
 * fail=… exits 1, done=… exits as the task that triggered it.
 */
export function runExitCode(end: RunEnd): number {
  if (end.stop) return STOP_EXIT[end.stop];
  if (end.state === 'halted') {
    if (end.halt.on === 'success') return 0;
    if (end.halt.on === 'done') return end.haltTrigger === 'ok' ? 0 : 1;
    return 1;
  }
  // Stopped from a dashboard attached to this run: tasks were interrupted or never ran, so not "all ok".
  if (end.state === 'stopped') return 1;
  return end.failed > 0 ? 1 : 0;
}
