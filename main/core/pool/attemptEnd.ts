import type { Outcome, StopProgress } from '../../contract/types.js';
import type { JoblogRow } from '../log/joblog.js';
import type { AttemptResult } from './attempt.js';
import { endingStop, exitvalOf, outcomeOf, signalNumber } from './outcomes.js';
import type { LiveAttempt, TaskRecord } from './task.js';

export interface AttemptEnding {
  outcome: Outcome;
  /** The stop that ended it (null: the exit decided) */
  stop: StopProgress['reason'] | null;
  row: JoblogRow;
}

const host = ':'; // GNU parallel writes ":" for the local machine

/**
 * Writes an ended attempt into the task's record and names it; returns its joblog row.
 * `abortStands`: the kill step a module task's ABORT (ctx.signal) takes the place of, e.g. 'TERM'.
 */
export function recordAttemptEnd(t: TaskRecord, live: LiveAttempt, r: AttemptResult, now: number, abortStands = 'TERM'): AttemptEnding {
  const stop = endingStop(live);
  const outcome = outcomeOf(stop, r);
  const byStop = stop !== null && r.treeGone !== false;
  const info = t.info;
  info.endedAt = now;
  // A pause a kill ended (the stop resumes the tree but keeps pausedAt) is not runtime either.
  info.runtimeMs = now - live.startedAt - live.pausedMs - (live.pausedAt !== null ? now - live.pausedAt : 0);
  info.exitCode = r.exitCode;
  info.signal = r.signal;
  info.error = (byStop ? live.stopMessage : null) ?? r.error; // "memory limit exceeded", not the signal that ended it
  info.stopping = null;
  info.stuck = null;
  info.pids = [];
  info.cpuPercent = null; // nothing runs: no current figures
  info.rss = null;
  const exitval = exitvalOf(r, byStop);
  // Exitval -1 says Corral's stop ended it: Signal names the kill step that did, as GNU parallel
  // writes -1 15 for --timeout. A module's ABORT (ctx.signal) is the first step delivered
  // cooperatively, so it is named as that step (TERM: 15).
  const step = r.endedBy === 'ABORT' ? abortStands : r.endedBy;
  const signal = r.signal ? signalNumber(r.signal) : exitval === -1 && step ? signalNumber(`SIG${step.replace(/^SIG/i, '').toUpperCase()}`) : 0;
  const row: JoblogRow = {
    seq: t.seq,
    host,
    startTime: live.startedAt / 1000,
    runtime: info.runtimeMs / 1000,
    send: 0,
    receive: live.receive,
    exitval,
    signal,
    command: info.command,
    attempt: info.attempt,
    peakRss: info.peakRss ?? 0, // GNU parallel's columns are numbers: unknown is written 0
    cpuSeconds: info.cpuSeconds ?? 0,
    outcome,
  };
  return { outcome, stop, row };
}
