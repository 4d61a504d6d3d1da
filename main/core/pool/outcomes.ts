import type { JobInfo, Outcome, StopProgress, TaskState } from '../../contract/types.js';
import type { AttemptResult } from './attempt.js';

// How an ended attempt is named: its outcome, the task state it leaves, the counts a job shows.

export function outcomeOf(stopReason: StopProgress['reason'] | null, r: AttemptResult): Outcome {
  switch (stopReason) {
    case 'timeout':
      return 'timeout';
    case 'stuck':
      return 'stuck-killed';
    case 'memory':
      return 'memory-killed';
    case null:
      return r.ok ? 'ok' : 'failed';
    default:
      return 'killed';
  }
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

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGXCPU: 24, SIGXFSZ: 25 };

export function signalNumber(sig: string | null): number {
  return sig ? (SIGNALS[sig] ?? 0) : 0;
}
