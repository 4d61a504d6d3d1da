import type { JobCounts, Outcome, TaskInfo, TaskState } from '../../contract/types.js';
import type { InputSource } from '../inputs/source.js';
import type { Bitset } from './bitset.js';
import { EarlierAttempts } from './earlierAttempts.js';
import { EndedTasks } from './endedTasks.js';
import { countState } from './outcomes.js';
import { ENDED_STATES, TaskRecord } from './task.js';


/**
 * Every task of a job without an object per task: a queued task is its seq (its input comes from
 * the source when asked), a dispatched one a TaskRecord held here until it has ended, an ended
 * one a row of EndedTasks' columns. Records exist for the running tasks, those waiting for a
 * retry and those ended since the last compaction (a tick at most).
 */
export class TaskStore {
  readonly #held = new Map<number, TaskRecord>();
  readonly ended: EndedTasks;
  /** Attempts a retry followed (the columns keep each task's last), for the task stream */
  readonly attempts = new EarlierAttempts();
  readonly source: InputSource;
  readonly #display: (input: string, seq: number) => string;

  /** `hosted`: a module job (see EndedTasks: the host's figures are kept for the newest tasks) */
  constructor(source: InputSource, display: (input: string, seq: number) => string, skip: Bitset | null = null, hosted = false) {
    this.ended = new EndedTasks({ hosted });
    this.source = source;
    this.#display = display;
    if (skip?.count) {
      const row = new TaskRecord(0, '', '').info;
      row.state = 'skipped';
      row.outcome = 'skipped';
      for (let seq = 1; seq <= source.length; seq++) {
        if (!skip.has(seq)) continue;
        row.seq = seq;
        this.ended.put(row);
      }
    }
  }

  get total(): number {
    return this.source.length;
  }

  has(seq: number): boolean {
    return Number.isInteger(seq) && seq >= 1 && seq <= this.total;
  }

  /** The record of a dispatched task not yet compacted; never creates one. */
  held(seq: number): TaskRecord | undefined {
    return this.#held.get(seq);
  }

  heldRecords(): IterableIterator<TaskRecord> {
    return this.#held.values();
  }

  get heldCount(): number {
    return this.#held.size;
  }

  /** The task's record, made (and held) if it has none: at dispatch, or a command on a queued or ended task. */
  open(seq: number): TaskRecord {
    let t = this.#held.get(seq);
    if (t) return t;
    const input = this.source.get(seq - 1);
    t = new TaskRecord(seq, input, this.#display(input, seq));
    const ended = this.ended.info(seq, t.info.input, t.info.command);
    if (ended) {
      Object.assign(t.info, ended);
      this.ended.forget(seq);
    }
    this.#held.set(seq, t);
    return t;
  }

  /** A copy of any task's TaskInfo; a queued one is made on demand. */
  info(seq: number): TaskInfo {
    const t = this.#held.get(seq);
    if (t) return { ...t.info, pids: [...t.info.pids] };
    const input = this.source.get(seq - 1);
    const command = this.#display(input, seq);
    return this.ended.info(seq, input, command) ?? new TaskRecord(seq, input, command).info;
  }

  /** The state alone, without building a row (filters and counts). */
  stateOf(seq: number): TaskState {
    return this.#held.get(seq)?.state ?? this.ended.stateOf(seq) ?? 'queued';
  }

  /**
   * Moves every held record that has ended (not running, no retry waiting) into the columns; the
   * record and its output ring are dropped (EndedOutputs keeps the output's tail).
   */
  compactEnded(): number {
    let n = 0;
    for (const [seq, t] of this.#held) {
      if (t.live || t.retryTimer || !ENDED_STATES.has(t.state)) continue;
      this.ended.put(t.info);
      this.#held.delete(seq);
      n++;
    }
    return n;
  }


  /** Tasks by outcome (ended ones and records that have one). */
  outcomeCounts(): Map<Outcome, number> {
    const m = new Map(this.ended.byOutcome);
    for (const t of this.#held.values()) if (t.info.outcome) m.set(t.info.outcome, (m.get(t.info.outcome) ?? 0) + 1);
    for (const [o, n] of m) if (n === 0) m.delete(o);
    return m;
  }

  counts(): JobCounts {
    const c: JobCounts = { total: this.total, queued: 0, running: 0, suspect: 0, stuck: 0, done: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 };
    for (const t of this.#held.values()) countState(c, t.state);
    for (const [state, n] of this.ended.byState) if (n > 0) addState(c, state, n);
    c.queued += this.total - this.#held.size - this.ended.count; // neither dispatched nor ended
    return c;
  }
}

/** countState n times: its buckets for one task, times n. */
function addState(c: JobCounts, state: TaskState, n: number): void {
  const one: JobCounts = { total: 0, queued: 0, running: 0, suspect: 0, stuck: 0, done: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 };
  countState(one, state);
  for (const k of Object.keys(one) as (keyof JobCounts)[]) if (k !== 'total') c[k] += one[k] * n;
}
