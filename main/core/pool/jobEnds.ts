// The ending half of a job run: every attempt ends here (its joblog row, a retry or the task's
// end, halt), and the counts the job reports from those ends.
import type { Outcome, StopMode, StopProgress } from '../../contract/types.js';
import type { JobSpec } from '../job/types.js';
import type { JoblogWriter } from '../log/joblog.js';
import type { AttemptResult } from './attempt.js';
import { recordAttemptEnd } from './attemptEnd.js';
import type { EndedOutputs } from './endedOutputs.js';
import { shouldHalt } from './halt.js';
import type { JobRunHooks, TaskOutputHooks } from './jobRun.js';
import { isFailure, stateOf } from './outcomes.js';
import type { CursorQueue } from './queue.js';
import type { Slot } from './slots.js';
import { StreamingMedian } from './stats.js';
import type { TaskRecord } from './task.js';
import { longTimeout } from '../timers.js';

export interface JobEndsDeps {
  spec: JobSpec;
  joblog: JoblogWriter | null;
  hooks: JobRunHooks & TaskOutputHooks;
  queue: CursorQueue;
  endedOutputs: EndedOutputs;
  total(): number;
  task(seq: number): TaskRecord;
  /** Dispatch was stopped (a stop, drain or halt): no retry starts */
  dispatchStopped(): boolean;
  /** An attempt a retry follows: kept for the task stream (every attempt is drawn) */
  keepAttempt(t: TaskRecord, outcome: Outcome): void;
  /** A slot's host is shut down (dead or worn out): the slot gets a fresh one */
  releaseHost(slot: Slot): void;
  /** The slot is free: a task its host began meanwhile starts, then dispatch goes on */
  slotFreed(slot: Slot): void;
  pump(): void;
  checkFinished(): void;
  stop(mode: StopMode, reason: StopProgress['reason']): void;
}

/** What a job's ended attempts add up to, and the one place an attempt ends. */
export class JobEnds {
  readonly #d: JobEndsDeps;
  /** Rows on their way to disk: the job waits for them */
  #pendingLogs = 0;
  /** Runtimes of tasks that ended ok: a bounded sample, read every tick without sorting */
  readonly finishedRuntimes = new StreamingMedian();
  /** Ended attempts by outcome, retries included (a tick carries only each task's latest record) */
  readonly attempts: Partial<Record<Outcome, number>> = {};
  /** Epoch ms of each final end, for tasks/s */
  readonly endTimes: number[] = [];
  /** The outcome of the attempt each waiting retry follows: the task's end if the retry is cancelled */
  readonly #retryAfter = new Map<number, Outcome>();
  #failedFinal = 0;
  #okFinal = 0;
  #haltReason: string | null = null;
  /** Rows written: one callback for all, not a closure per row */
  readonly #written = (err: Error | null): void => {
    if (err) this.#d.hooks.notice({ level: 'error', kind: 'error', message: `joblog write failed: ${err.message}` });
    this.#pendingLogs--;
    this.#d.checkFinished();
  };

  constructor(deps: JobEndsDeps) {
    this.#d = deps;
  }

  get pendingLogs(): number {
    return this.#pendingLogs;
  }

  get waitingRetries(): number {
    return this.#retryAfter.size;
  }

  get haltReason(): string | null {
    return this.#haltReason;
  }

  /** An ended task runs again (retryTask): its final outcome no longer counts. */
  reopened(outcome: Outcome | null): void {
    if (outcome === 'ok') this.#okFinal--;
    else if (outcome && isFailure(outcome)) this.#failedFinal--;
  }

  /** The attempt has ended and its slot is free (`t.live` is still the attempt). */
  attemptEnded(t: TaskRecord, slot: Slot, r: AttemptResult): void {
    const d = this.#d;
    const spec = d.spec;
    const live = t.live!;
    const now = Date.now();
    t.live = null;
    if (slot.taskSeq === t.seq) slot.taskSeq = null;
    if (live.kind === 'command') d.hooks.groupEnded(live.pgid ?? live.pid);
    // A dead or worn-out host is replaced: the slot gets a fresh one for its next task (a task it
    // already began runs there first).
    else if ((r.recycleHost || (slot.host && !slot.host.alive)) && !(slot.next.length > 0 && slot.host?.alive)) d.releaseHost(slot);

    const { outcome, stop, row } = recordAttemptEnd(t, live, r, now, spec.kill[0]?.signal);
    if (r.keptDaemons?.length) {
      d.hooks.notice({ level: 'info', kind: 'info', taskSeq: t.seq, message: `task ${t.seq} left ${r.keptDaemons.length === 1 ? 'a daemon' : 'daemons'} running (daemons: keep): pid ${r.keptDaemons.join(', ')}` });
    }
    const maxAttempts = spec.retries + 1 + (stop === 'stuck' && spec.stuck.action === 'retry' && spec.retries === 0 ? 1 : 0);
    const willRetry = isFailure(outcome) && live.stopReason !== 'user' && t.info.attempt < maxAttempts && !d.dispatchStopped();
    this.attempts[outcome] = (this.attempts[outcome] ?? 0) + 1;
    if (willRetry) d.keepAttempt(t, outcome); // the task stream shows every attempt
    d.hooks.attemptEnded?.(t, outcome, willRetry);
    // The job (and the CLI's exit) waits for the row to be on disk; the task's state does not.
    this.#pendingLogs++;
    if (d.joblog) d.joblog.add(row, this.#written);
    else queueMicrotask(() => this.#written(null));

    // The slot is free now, so the task leaves `running` now: queued for its retry, or ended.
    if (willRetry) this.#retryLater(t, outcome, maxAttempts);
    else this.finalize(t, outcome); // may halt the job before the freed slot takes a new task
    d.slotFreed(slot);
    d.pump();
  }

  #retryLater(t: TaskRecord, outcome: Outcome, maxAttempts: number): void {
    const d = this.#d;
    const info = t.info;
    const delay = d.spec.retryDelayMs ? ` in ${(d.spec.retryDelayMs / 1000).toFixed(1)} s` : '';
    d.hooks.notice({
      level: 'warn',
      kind: 'info',
      taskSeq: t.seq,
      message: `task ${t.seq} ${outcome}${info.error ? `: ${info.error}` : ''} — retrying${delay} (attempt ${info.attempt + 1} of ${maxAttempts})`,
    });
    info.state = 'queued';
    info.outcome = null;
    d.hooks.changed(t);
    this.#retryAfter.set(t.seq, outcome);
    t.retryTimer = longTimeout(() => {
      this.endRetryWait(t);
      d.queue.unshift(t.seq);
      d.pump();
    }, d.spec.retryDelayMs);
  }

  /** A waiting retry is over (due, cancelled or killed); returns the outcome it followed. */
  endRetryWait(t: TaskRecord): Outcome {
    if (t.retryTimer) clearTimeout(t.retryTimer);
    t.retryTimer = null;
    const outcome = this.#retryAfter.get(t.seq) ?? 'failed';
    this.#retryAfter.delete(t.seq);
    return outcome;
  }

  finalize(t: TaskRecord, outcome: Outcome): void {
    const d = this.#d;
    t.info.outcome = outcome;
    t.info.state = stateOf(outcome);
    d.endedOutputs.retain(t);
    this.endTimes.push(Date.now());
    if (this.endTimes.length > 10_000) this.endTimes.splice(0, 5_000);
    if (outcome === 'ok') {
      this.#okFinal++;
      this.finishedRuntimes.add(t.info.runtimeMs);
    } else if (isFailure(outcome)) {
      this.#failedFinal++;
      d.hooks.notice({
        level: 'warn',
        kind: 'task-failed',
        taskSeq: t.seq,
        message: `task ${t.seq} ${outcome}${t.info.error ? `: ${t.info.error}` : ''}`,
      });
    }
    d.hooks.changed(t);
    d.hooks.taskEnded?.(t);
    this.#checkHalt(t.seq);
  }

  /** `seq`: the task whose end is judged; the halt notice names it (the CLI's exit follows it on done=…). */
  #checkHalt(seq: number): void {
    const d = this.#d;
    if (this.#haltReason || d.spec.halt.when === 'never') return;
    const reason = shouldHalt(d.spec.halt, { failed: this.#failedFinal, ok: this.#okFinal, total: d.total() });
    if (!reason) return;
    this.#haltReason = reason;
    d.hooks.notice({ level: 'warn', kind: 'info', taskSeq: seq, message: `halting: ${reason}` });
    d.stop(d.spec.halt.when === 'now' ? 'graceful' : 'drain', 'halt');
  }

  /** A task that never ran ends (killed while queued, prefetched or waiting for its retry). */
  dequeue(t: TaskRecord, outcome: Outcome): void {
    if (t.retryTimer) this.endRetryWait(t);
    else this.#d.queue.remove(t.seq);
    t.info.error = 'killed before it started';
    this.finalize(t, outcome);
    this.#d.checkFinished();
  }

  /** A stop ends every waiting retry: the task ends as its last attempt did. */
  cancelRetries(): void {
    for (const seq of [...this.#retryAfter.keys()]) {
      const t = this.#d.task(seq);
      this.finalize(t, this.endRetryWait(t));
    }
  }
}
