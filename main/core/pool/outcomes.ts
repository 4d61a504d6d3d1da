import { constants } from 'node:os';
import type { JobInfo, Outcome, StopProgress, TaskState } from '../../contract/types.js';
import type { AttemptResult } from './attempt.js';
import type { LiveAttempt } from './task.js';

type StopReason = StopProgress['reason'];

// How an ended attempt is named: its outcome, the task state it leaves, the counts a job shows.

/** The stop that ended an attempt: the one in force when its main process exited (see noteMainExit). */
export function endingStop(live: Pick<LiveAttempt, 'exitedAt' | 'stopReason' | 'stopBeforeExit'>): StopReason | null {
  return live.exitedAt === null ? live.stopReason : live.stopBeforeExit;
}

/**
 * Who ended it names the outcome: the user's kill is `killed`; a job stop, halt or quit is
 * `interrupted`; Corral's own limits are the task's failures. Without a stop the exit decides.
 */
export function outcomeOf(stop: StopReason | null, r: AttemptResult): Outcome {
  // A stop that could not verify the tree gone did not end the task as asked: that is a failure.
  if (r.treeGone === false) return 'failed';
  switch (stop) {
    case 'timeout':
      return 'timeout';
    case 'stuck':
      return 'stuck-killed';
    case 'memory':
      return 'memory-killed';
    case 'user':
      return 'killed';
    case 'job-stop':
    case 'halt':
    case 'quit':
      return 'interrupted';
    case null:
      return r.ok ? 'ok' : 'failed';
  }
}

/** The task's own failures: they count toward failed, halt fail=N, retries and exit code 1. */
export function isFailure(o: Outcome): boolean {
  return o === 'failed' || o === 'timeout' || o === 'memory-killed' || o === 'stuck-killed';
}

export function stateOf(o: Outcome): TaskState {
  // Stuck-killed is the task's failure (Corral judged it stuck), not the user's kill.
  return o === 'ok' ? 'done' : o === 'stuck-killed' ? 'failed' : o;
}

/** Puts a task in its one bucket of the counts (see JobCounts). */
export function countState(c: JobInfo['counts'], s: TaskState): void {
  switch (s) {
    case 'queued':
      c.queued++;
      break;
    case 'running':
    case 'paused':
    case 'stopping':
      c.running++;
      break;
    case 'suspect':
      c.running++;
      c.suspect++;
      break;
    case 'stuck':
      c.running++;
      c.stuck++;
      break;
    case 'done':
      c.done++;
      break;
    case 'skipped':
      c.skipped++;
      break;
    case 'killed':
      c.killed++;
      break;
    case 'interrupted':
      c.interrupted++;
      break;
    case 'failed':
    case 'timeout':
    case 'memory-killed':
      c.failed++;
  }
}

/** The joblog's Signal column: the OS's number for the signal that ended the main process, else 0. */
export function signalNumber(sig: string | null): number {
  return sig ? ((constants.signals as Record<string, number | undefined>)[sig] ?? 0) : 0;
}

/**
 * The joblog's Exitval, as GNU parallel writes it: the exit code; 0 when a signal ended the
 * process on its own (Signal says which); -1 when Corral's stop ended it, unless it then exited
 * with a non-zero code of its own (parallel's --timeout); -1 when it never ran (no status).
 */
export function exitvalOf(r: AttemptResult, stoppedByCorral: boolean): number {
  if (r.exitCode !== null && r.exitCode !== 0) return r.exitCode;
  if (stoppedByCorral) return -1;
  if (r.exitCode === 0 || r.signal) return 0;
  return -1;
}
