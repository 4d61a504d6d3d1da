import type { Outcome, TaskInfo, TaskState } from '../../contract/types.js';
import { SparseColumn } from './sparseColumn.js';

// An ended task keeps what its table row and the counts need, in typed columns by seq: state and
// outcome (1 byte each), slot (2), pid (4), start and end (4 each, ms from a base): 16 bytes per
// ended task. Attempt, exit code, signal, run time when paused, peak RSS, CPU seconds and the
// host-scope fields cost bytes only in the 65 536-task chunks where a task differs from the usual
// value (attempt 1, exit 0, …); error texts are kept for the tasks that have one. Not kept: live
// figures (ended tasks have none), progress and the time of last activity (null once compacted).

const STATES: readonly TaskState[] = [
  'queued', 'running', 'suspect', 'stuck', 'stopping', 'paused', 'done', 'failed', 'killed', 'timeout', 'memory-killed', 'interrupted', 'skipped',
];
const OUTCOMES: readonly Outcome[] = ['ok', 'failed', 'timeout', 'killed', 'stuck-killed', 'memory-killed', 'interrupted', 'skipped'];
const NO_TIME = 0xffff_ffff;
/** Times are stored as ms from a day before the run was made: 4 bytes cover 48 days after it. */
const BASE_BEFORE_MS = 86_400_000;

const code = <T>(list: readonly T[], v: T): number => list.indexOf(v) + 1;

export class EndedTasks {
  readonly #base: number;
  readonly #state = new SparseColumn(Uint8Array, 0); // 0: not ended here
  readonly #outcome = new SparseColumn(Uint8Array, 0);
  readonly #slot = new SparseColumn(Uint16Array, 0);
  readonly #pid = new SparseColumn(Int32Array, 0);
  readonly #startedAt = new SparseColumn(Uint32Array, NO_TIME);
  readonly #endedAt = new SparseColumn(Uint32Array, NO_TIME);
  /** endedAt - startedAt - runtimeMs: the time spent paused, 0 for most tasks */
  readonly #notRunMs = new SparseColumn(Float64Array, 0);
  readonly #attempt = new SparseColumn(Uint32Array, 1);
  readonly #exitCode = new SparseColumn(Float64Array, 0); // NaN: null
  readonly #signal = new SparseColumn(Uint8Array, 0);
  readonly #peakRss = new SparseColumn(Float64Array, NaN);
  readonly #cpuSeconds = new SparseColumn(Float64Array, NaN);
  readonly #rssAtStart = new SparseColumn(Float64Array, NaN);
  readonly #hostScope = new SparseColumn(Uint8Array, 0);
  readonly #errors = new Map<number, string>();
  readonly #signals: string[] = [];
  readonly #byState = new Map<TaskState, number>();
  readonly #byOutcome = new Map<Outcome, number>();
  #count = 0;

  constructor(now = Date.now()) {
    this.#base = now - BASE_BEFORE_MS;
  }

  /** Ended tasks held here. */
  get count(): number {
    return this.#count;
  }

  /** How many ended tasks have each outcome. */
  get byOutcome(): ReadonlyMap<Outcome, number> {
    return this.#byOutcome;
  }

  /** How many ended tasks are in each state. */
  get byState(): ReadonlyMap<TaskState, number> {
    return this.#byState;
  }

  has(seq: number): boolean {
    return this.#state.get(seq) !== 0;
  }

  stateOf(seq: number): TaskState | null {
    const s = this.#state.get(seq);
    return s ? STATES[s - 1] : null;
  }

  /** Keeps the row of an ended task (replacing an earlier one of the same seq). */
  put(t: TaskInfo): void {
    const seq = t.seq;
    this.forget(seq);
    this.#state.set(seq, code(STATES, t.state));
    this.#outcome.set(seq, t.outcome ? code(OUTCOMES, t.outcome) : 0);
    this.#slot.set(seq, t.slot ?? 0);
    this.#pid.set(seq, t.pid ?? 0);
    this.#startedAt.set(seq, this.#time(t.startedAt));
    this.#endedAt.set(seq, this.#time(t.endedAt));
    const span = t.startedAt !== null && t.endedAt !== null ? t.endedAt - t.startedAt : 0;
    this.#notRunMs.set(seq, span - t.runtimeMs);
    this.#attempt.set(seq, t.attempt);
    this.#exitCode.set(seq, t.exitCode ?? NaN);
    this.#signal.set(seq, t.signal === null ? 0 : this.#signalCode(t.signal));
    this.#peakRss.set(seq, t.peakRss ?? NaN);
    this.#cpuSeconds.set(seq, t.cpuSeconds ?? NaN);
    this.#rssAtStart.set(seq, t.rssAtStart ?? NaN);
    this.#hostScope.set(seq, t.memoryScope === 'host' ? 1 : 0);
    if (t.error !== null) this.#errors.set(seq, t.error);
    this.#byState.set(t.state, (this.#byState.get(t.state) ?? 0) + 1);
    if (t.outcome) this.#byOutcome.set(t.outcome, (this.#byOutcome.get(t.outcome) ?? 0) + 1);
    this.#count++;
  }

  /** Drops a seq's row (its task runs again); the columns keep stale bytes, unread. */
  forget(seq: number): void {
    const s = this.stateOf(seq);
    if (s === null) return;
    const o = this.#outcome.get(seq);
    if (o) this.#byOutcome.set(OUTCOMES[o - 1], (this.#byOutcome.get(OUTCOMES[o - 1]) ?? 1) - 1);
    this.#state.set(seq, 0);
    this.#errors.delete(seq);
    this.#byState.set(s, (this.#byState.get(s) ?? 1) - 1);
    this.#count--;
  }

  /** The TaskInfo of an ended seq, or null. `input` and `command` come from the input source. */
  info(seq: number, input: string, command: string): TaskInfo | null {
    const state = this.stateOf(seq);
    if (state === null) return null;
    const num = (v: number) => (Number.isNaN(v) ? null : v);
    const startedAt = this.#when(this.#startedAt.get(seq));
    const endedAt = this.#when(this.#endedAt.get(seq));
    const span = startedAt !== null && endedAt !== null ? endedAt - startedAt : 0;
    const o = this.#outcome.get(seq);
    const sig = this.#signal.get(seq);
    return {
      seq,
      input,
      command,
      state,
      outcome: o ? OUTCOMES[o - 1] : null,
      slot: this.#slot.get(seq) || null,
      attempt: this.#attempt.get(seq),
      pid: this.#pid.get(seq) || null,
      pids: [],
      startedAt,
      endedAt,
      exitCode: num(this.#exitCode.get(seq)),
      signal: sig ? this.#signals[sig - 1] : null,
      error: this.#errors.get(seq) ?? null,
      cpuPercent: null,
      rss: null,
      peakRss: num(this.#peakRss.get(seq)),
      cpuSeconds: num(this.#cpuSeconds.get(seq)),
      memoryScope: this.#hostScope.get(seq) ? 'host' : 'tree',
      rssAtStart: num(this.#rssAtStart.get(seq)),
      runtimeMs: span - this.#notRunMs.get(seq),
      progress: null,
      stuck: null,
      stopping: null,
      lastActivityAt: null,
    };
  }

  /**
   * The table's sort key of an ended seq read from the columns (no row built: sorting 10 M rows
   * must not make 10 M objects); the same numbers taskQuery's taskSortKey gives for its TaskInfo.
   */
  sortKey(seq: number, key: 'state' | 'slot' | 'pids' | 'cpuPercent' | 'rss' | 'cpuSeconds' | 'runtimeMs' | 'attempt'): number {
    switch (key) {
      case 'state': return this.#state.get(seq) - 1;
      case 'slot': return this.#slot.get(seq) || 65_535;
      case 'pids': return 0;
      case 'cpuPercent': return -1;
      case 'rss': {
        const v = this.#peakRss.get(seq);
        return Number.isNaN(v) ? -1 : Math.round(Math.max(0, v) / 1024);
      }
      case 'cpuSeconds': {
        const v = this.#cpuSeconds.get(seq);
        return Number.isNaN(v) ? -1 : Math.round(Math.max(0, v) * 100);
      }
      case 'runtimeMs': {
        const s = this.#when(this.#startedAt.get(seq));
        const e = this.#when(this.#endedAt.get(seq));
        return Math.round(Math.max(0, (s !== null && e !== null ? e - s : 0) - this.#notRunMs.get(seq)));
      }
      case 'attempt': return this.#attempt.get(seq);
    }
  }

  /** Bytes the columns hold (not the error texts). */
  get bytes(): number {
    const cols = [this.#state, this.#outcome, this.#slot, this.#pid, this.#startedAt, this.#endedAt, this.#notRunMs, this.#attempt, this.#exitCode, this.#signal, this.#peakRss, this.#cpuSeconds, this.#rssAtStart, this.#hostScope];
    return cols.reduce((n, c) => n + c.bytes, 0);
  }

  #time(t: number | null): number {
    if (t === null) return NO_TIME;
    return Math.min(NO_TIME - 1, Math.max(0, Math.round(t - this.#base)));
  }

  #when(v: number): number | null {
    return v === NO_TIME ? null : this.#base + v;
  }

  #signalCode(name: string): number {
    let i = this.#signals.indexOf(name);
    if (i < 0) {
      if (this.#signals.length >= 255) return 0; // more than 255 distinct names: not a real signal list
      i = this.#signals.push(name) - 1;
    }
    return i + 1;
  }
}
