import type { Outcome, TaskInfo, TaskState } from '../../contract/types.js';
import { PackedColumn } from './packedColumn.js';

// An ended task keeps what its table row and the counts need, in packed columns by seq (see
// packedColumn.ts: each value costs what its spread within 4 096 neighbouring seqs needs): state,
// outcome and slot (1 byte each), pid (2–4), start (2: tasks start close together) and run span
// (1–2): ~8 bytes per ended command task. Attempt, exit code, signal, paused time, peak RSS, CPU
// seconds and the host-scope fields cost bytes only where a task differs from the usual value
// (attempt 1, exit 0, not sampled); a module task's host figures ~6 bytes (RSS in pages, CPU in
// µs), kept for the newest ~1 M module tasks only (see the constructor). Error texts are kept for
// the tasks that have one. Not kept: live figures (ended tasks have none), progress and the time
// of last activity (null once compacted).

const STATES: readonly TaskState[] = [
  'queued', 'running', 'suspect', 'stuck', 'stopping', 'paused', 'done', 'failed', 'killed', 'timeout', 'memory-killed', 'interrupted', 'skipped',
];
const OUTCOMES: readonly Outcome[] = ['ok', 'failed', 'timeout', 'killed', 'stuck-killed', 'memory-killed', 'interrupted', 'skipped'];

/** Module host figures are kept for this many blocks of 4 096 seqs (~1 M tasks), the newest written. */
export const HOST_FIGURE_CHUNKS = 256;

const code = <T>(list: readonly T[], v: T): number => list.indexOf(v) + 1;

export class EndedTasks {
  readonly #state = new PackedColumn(0); // 0: not ended here
  readonly #outcome = new PackedColumn(0);
  readonly #slot = new PackedColumn(0);
  readonly #pid = new PackedColumn(0);
  /** ms since the epoch, whole (NaN: null) */
  readonly #startedAt = new PackedColumn(NaN);
  /** endedAt - startedAt when both are known; endedAt alone in #endOnly when it has no start */
  readonly #span = new PackedColumn(NaN);
  readonly #endOnly = new PackedColumn(NaN);
  /** span - runtimeMs: the time spent paused, 0 for most tasks */
  readonly #notRunMs = new PackedColumn(0);
  readonly #attempt = new PackedColumn(1);
  readonly #exitCode = new PackedColumn(0);
  /**
   * 1: the exit code is null (a signal death, a task that never ran). A column of its own, not NaN in
   * #exitCode: NaN is no integer, so a block with many killed tasks became 8-byte floats there.
   */
  readonly #noExit = new PackedColumn(0);
  readonly #signal = new PackedColumn(0);
  readonly #peakRss: PackedColumn;
  readonly #cpuSeconds: PackedColumn;
  readonly #rssAtStart: PackedColumn;
  /** 1: the figures are the module host's; the default is the job's kind, so its tasks cost nothing here */
  readonly #hostScope: PackedColumn;
  readonly #errors = new Map<number, string>();
  readonly #signals: string[] = [];
  readonly #byState = new Map<TaskState, number>();
  readonly #byOutcome = new Map<Outcome, number>();
  #count = 0;

  /**
   * `hosted`: a module job. Its tasks' figures are the host's (peak RSS, CPU, RSS at start: ~6
   * bytes a task) and are kept for the tasks of the newest HOST_FIGURE_CHUNKS blocks of 4 096
   * seqs written (~1 M tasks): older rows show them unknown, as for a task too short to sample
   * (the joblog has them: its row is written as the task ends). A command task's figures are
   * its own tree's and are all kept (only sampled tasks have them).
   */
  constructor(opts: { hosted?: boolean } = {}) {
    const chunks = opts.hosted ? HOST_FIGURE_CHUNKS : Infinity;
    this.#peakRss = new PackedColumn(NaN, 1 / 4096, chunks);
    this.#cpuSeconds = new PackedColumn(NaN, 1e6, chunks);
    this.#rssAtStart = new PackedColumn(NaN, 1 / 4096, chunks);
    this.#hostScope = new PackedColumn(opts.hosted ? 1 : 0);
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
    const start = t.startedAt === null ? NaN : Math.round(t.startedAt);
    const end = t.endedAt === null ? NaN : Math.round(t.endedAt);
    this.#startedAt.set(seq, start);
    this.#span.set(seq, t.startedAt === null ? NaN : end - start);
    this.#endOnly.set(seq, t.startedAt === null ? end : NaN);
    const span = t.startedAt !== null && t.endedAt !== null ? end - start : 0;
    this.#notRunMs.set(seq, span - t.runtimeMs);
    this.#attempt.set(seq, t.attempt);
    this.#exitCode.set(seq, t.exitCode ?? 0);
    this.#noExit.set(seq, t.exitCode === null ? 1 : 0);
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
    const { startedAt, endedAt } = this.#times(seq);
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
      exitCode: this.#exitOf(seq),
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
        const { startedAt: s, endedAt: e } = this.#times(seq);
        return Math.round(Math.max(0, (s !== null && e !== null ? e - s : 0) - this.#notRunMs.get(seq)));
      }
      case 'attempt': return this.#attempt.get(seq);
    }
  }

  /** An ended seq's place in the task stream, read from the columns (streamQuery.ts reads every ended task). */
  streamAttempt(seq: number): { slot: number; start: number; end: number; outcome: Outcome | null; attempt: number; exitCode: number | null; signal: string | null } | null {
    if (this.#state.get(seq) === 0) return null;
    const { startedAt, endedAt } = this.#times(seq);
    if (startedAt === null || endedAt === null) return null;
    const o = this.#outcome.get(seq);
    const sig = this.#signal.get(seq);
    return {
      slot: this.#slot.get(seq), start: startedAt, end: endedAt, outcome: o ? OUTCOMES[o - 1] : null, attempt: this.#attempt.get(seq),
      exitCode: this.#exitOf(seq), signal: sig ? this.#signals[sig - 1] : null,
    };
  }

  /** When an ended seq ended (NaN: not ended here, or no end known), without building anything. */
  endOf(seq: number): number {
    if (this.#state.get(seq) === 0) return NaN;
    return this.#times(seq).endedAt ?? NaN;
  }

  /** An ended seq's attempt number (its last attempt). */
  attemptOf(seq: number): number {
    return this.#attempt.get(seq);
  }

  /** Bytes the columns hold (not the error texts). */
  get bytes(): number {
    const cols = [this.#state, this.#outcome, this.#slot, this.#pid, this.#startedAt, this.#span, this.#endOnly, this.#notRunMs, this.#attempt, this.#exitCode, this.#noExit, this.#signal, this.#peakRss, this.#cpuSeconds, this.#rssAtStart, this.#hostScope];
    return cols.reduce((n, c) => n + c.bytes, 0);
  }

  #times(seq: number): { startedAt: number | null; endedAt: number | null } {
    const start = this.#startedAt.get(seq);
    if (Number.isNaN(start)) {
      const end = this.#endOnly.get(seq);
      return { startedAt: null, endedAt: Number.isNaN(end) ? null : end };
    }
    const span = this.#span.get(seq);
    return { startedAt: start, endedAt: Number.isNaN(span) ? null : start + span };
  }

  #exitOf(seq: number): number | null {
    return this.#noExit.get(seq) ? null : this.#exitCode.get(seq);
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
