import type { JobInfo, JobState, KillMode, Notice, Outcome, StopMode, StopProgress, TaskInfo } from '../../contract/types.js';
import type { JobSpec } from '../job/types.js';
import { hostedJob } from '../job/types.js';
import type { JoblogWriter } from '../log/joblog.js';
import { CursorQueue } from './queue.js';
import { type TaskRecord, ENDED_STATES } from './task.js';
import type { InputSource } from '../inputs/source.js';
import type { Bitset } from './bitset.js';
import { TaskStore } from './taskStore.js';
import { type Slot, resizeSlots } from './slots.js';
import { Dispatcher } from './dispatch.js';
import type { TaskHost } from '../run/taskHost.js';
import { beginAttempt, type AttemptResult, type AttemptEnv } from './attempt.js';
import { stopAttempt, pauseAttempt, resumeAttempt } from './taskControl.js';
import { CorralFailure, detach } from '../errors.js';
import { mainExitedUnseen, noteMainExit } from './mainExit.js';
import { EndedOutputs } from './endedOutputs.js';
import { StartGate } from './startGate.js';
import { JobEnds } from './jobEnds.js';

export interface JobRunHooks {
  /** A task's record changed (goes into the next tick) */
  changed(task: TaskRecord): void;
  notice(n: Omit<Notice, 'time'>): void;
  /** A process group started/ended: the reaper and the ledger track it */
  groupStarted(task: TaskRecord, pid: number, pgid: number | null, startTime?: string): void;
  groupEnded(pgid: number | null): void;
}

/** Optional: what command tasks write as it arrives, and the end of every attempt (the CLI prints output). */
export interface TaskOutputHooks {
  output?(task: TaskRecord, stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** After the attempt's outcome is recorded, before a retry or the next task is dispatched */
  attemptEnded?(task: TaskRecord, outcome: Outcome, willRetry: boolean): void;
  /** The task has ended for good, its final state and outcome set (an attempt followed by a retry has not): once per run of it */
  taskEnded?(task: TaskRecord): void;
}

export interface JobRunOptions {
  spec: JobSpec;
  inputs: InputSource;
  poolSize: number;
  joblog: JoblogWriter | null;
  /** Sequence numbers a resumed run does not run again (one bit per input) */
  skip?: Bitset | null;
  /** Dispatch order (a permutation of the seqs, see orderSeqs); default input order */
  order?: Uint32Array | null;
  env: AttemptEnv;
  hooks: JobRunHooks & TaskOutputHooks;
  /** Display form of each task's command, from expandCommand; slot: {%}, known at dispatch */
  display: (input: string, seq: number, slot?: number) => string;
}

/**
 * One job being run: the queue, the slots, dispatch, retries, halt and the end of every
 * attempt. Every attempt ends through `JobEnds.attemptEnded` (jobEnds.ts), the one place a task finishes.
 */
export class JobRun {
  readonly spec: JobSpec;
  /** Every task: records for the dispatched ones, compact rows for the ended, nothing for the queued */
  readonly store: TaskStore;
  readonly slots: Slot[] = [];
  readonly #queue: CursorQueue;
  readonly #opts: JobRunOptions;
  #state: JobState = 'ready';
  #poolSize: number;
  #dispatchPaused = false;
  #dispatchStopped = false;
  /** The stop in force: a task a host begins after it is stopped the same way (drain lets it run) */
  #stopMode: StopMode | null = null;
  readonly #dispatch: Dispatcher;
  #running = 0;
  readonly #endedOutputs = new EndedOutputs();
  /** Every attempt's end, retries, halt, and the counts they add up to */
  readonly #ends: JobEnds;
  #startedAt: number | null = null;
  #endedAt: number | null = null;
  #finished!: () => void;
  #finishedPromise: Promise<void>;
  /** --delay: starts at least spec.delayMs apart */
  readonly #gate: StartGate;

  constructor(opts: JobRunOptions) {
    this.#opts = opts;
    this.spec = opts.spec;
    this.#poolSize = opts.poolSize;
    // No record per input: a queued task is a seq the cursor has not reached (see CursorQueue).
    this.store = new TaskStore(opts.inputs, opts.display, opts.skip ?? null, hostedJob(this.spec));
    this.#queue = new CursorQueue(this.store.total, opts.order ?? null, opts.skip ?? null);
    resizeSlots(this.slots, this.#poolSize);
    this.#dispatch = new Dispatcher({
      spec: this.spec,
      env: opts.env,
      slots: this.slots,
      queue: this.#queue,
      store: this.store,
      poolSize: () => this.#poolSize,
      medianRuntimeMs: () => this.medianRuntimeMs(),
      open: () => this.#state !== 'ready' && !this.#dispatchPaused && !this.#dispatchStopped,
      gate: (opts.spec.delayMs ?? 0) > 0 ? { open: () => this.#gate.open(), started: () => this.#gate.started() } : null,
      start: (t, slot, host) => this.#run(t, slot, host),
      releaseHost: (slot) => this.#releaseHost(slot),
      killedUnbegun: (t) => this.#ends.dequeue(t, 'killed'),
      killBegun: (t, mode) => detach(this.killTask(t.seq, mode), this.#bug),
    });
    this.#ends = new JobEnds({
      spec: this.spec,
      joblog: opts.joblog,
      hooks: opts.hooks,
      queue: this.#queue,
      endedOutputs: this.#endedOutputs,
      total: () => this.store.total,
      task: (seq) => this.task(seq),
      dispatchStopped: () => this.#dispatchStopped,
      keepAttempt: (t, outcome) => this.store.attempts.keep(t.info, outcome),
      releaseHost: (slot) => this.#releaseHost(slot),
      slotFreed: (slot) => this.#dispatch.slotFreed(slot),
      pump: () => this.#pump(),
      checkFinished: () => this.#checkFinished(),
      stop: (mode, reason) => this.stop(mode, reason),
    });
    this.#finishedPromise = new Promise((r) => (this.#finished = r));
    this.#gate = new StartGate(opts.spec.delayMs ?? 0, () => this.#pump());
    // Streamed inputs (stdin): each arrival is dispatched at once; the job ends only after the stream does.
    opts.inputs.onChange?.(() => {
      this.#queue.grow(this.store.total);
      this.#pump();
      this.#checkFinished();
    });
  }

  /** Resolves when every task has ended (a retry after the end reopens the job). */
  get finished(): Promise<void> {
    return this.#finishedPromise;
  }

  get state(): JobState {
    return this.#state;
  }

  get poolSize(): number {
    return this.#poolSize;
  }

  /** Tasks not started: in the queue, or sent to a host that has not begun them. */
  get queued(): number {
    return this.#queue.size + this.#dispatch.prefetched;
  }

  get total(): number {
    return this.store.total;
  }

  /** The task's record, made if it has none (a command on a queued or ended task needs one). */
  task(seq: number): TaskRecord {
    this.#checkSeq(seq);
    const compacted = !this.store.held(seq);
    const t = this.store.open(seq);
    // A retried ended task goes on after its earlier attempts' output, as if it had never been compacted.
    const kept = compacted ? this.#endedOutputs.read(seq) : null;
    if (kept) t.output.push(kept.bytes);
    return t;
  }

  /** Any task's row, without making a record. */
  taskInfo(seq: number): TaskInfo {
    this.#checkSeq(seq);
    return this.store.info(seq);
  }

  /** The record of a running (or just ended, not yet compacted) task; never makes one. */
  held(seq: number): TaskRecord | undefined {
    return this.store.held(seq);
  }

  /** Records of the tasks that hold a slot. */
  liveTasks(): TaskRecord[] {
    return [...this.store.heldRecords()].filter((t) => t.live);
  }

  /** A task's output: the running record's ring, else the kept tail of an ended task. */
  output(seq: number, offset?: number, length?: number): { offset: number; bytes: Buffer; total: number; truncated: boolean; stderr?: [number, number][] } {
    this.#checkSeq(seq);
    const t = this.store.held(seq);
    const kept = t?.live ? null : this.#endedOutputs.read(seq, offset, length);
    if (kept) return kept;
    if (!t) return { offset: 0, bytes: Buffer.alloc(0), total: 0, truncated: false };
    return { ...t.output.read(offset, length), total: t.output.total };
  }

  /** Every output still held: running (and not yet compacted) records' rings, then ended tasks' kept tails. */
  *outputs(): Generator<[number, Buffer]> {
    for (const t of this.store.heldRecords()) yield [t.seq, t.output.read().bytes];
    yield* this.#endedOutputs.tails();
  }

  /** Ended records become compact rows (the supervisor calls this once per tick, dispatch too). */
  compactEnded(): void {
    this.store.compactEnded();
  }

  #checkSeq(seq: number): void {
    if (!this.store.has(seq)) throw new CorralFailure('NOT_FOUND', `no task ${seq} (the job has ${this.store.total} tasks)`);
  }

  /** Median runtime of tasks that ended ok, or null with fewer than 5 (the stuck rule's floor). */
  medianRuntimeMs(min = 5): number | null {
    const runtimes = this.#ends.finishedRuntimes;
    return runtimes.count >= min ? runtimes.value() : null;
  }

  start(): void {
    if (this.#state !== 'ready') throw new CorralFailure('BAD_STATE', `the job is ${this.#state}, not ready to start`);
    this.#startedAt = Date.now();
    this.#state = 'running';
    this.#pump();
    this.#checkFinished();
  }

  pauseDispatch(): void {
    if (this.#isOver()) throw new CorralFailure('BAD_STATE', `the job is ${this.#state}`);
    this.#dispatchPaused = true;
    if (this.#state === 'running') this.#state = 'paused';
    this.#dispatch.recall(); // prefetched tasks come back to the queue, unbegun
    this.#gate.clear();
  }

  resumeDispatch(): void {
    if (this.#isOver()) throw new CorralFailure('BAD_STATE', `the job is ${this.#state}`);
    this.#dispatchPaused = false;
    if (this.#state === 'paused') this.#state = 'running';
    this.#pump();
  }

  resize(size: number): void {
    this.#poolSize = size;
    const { removed } = resizeSlots(this.slots, size);
    for (const s of removed) this.#releaseHost(s);
    this.#dispatch.recall(this.slots.filter((s) => s.retiring));
    this.#pump();
  }

  stop(mode: StopMode, reason: StopProgress['reason'] = 'job-stop'): void {
    if (this.#isOver()) return;
    // Only rows on their way to disk: nothing to stop, the job finishes as it was going to.
    if (this.#running === 0 && this.#ends.waitingRetries === 0 && this.queued === 0 && this.#state !== 'ready') return;
    this.#dispatchStopped = true;
    this.#stopMode = mode;
    this.#dispatch.recall();
    this.#ends.cancelRetries();
    this.#gate.clear();
    this.#state = mode === 'drain' ? 'draining' : 'stopping';
    if (mode !== 'drain') {
      for (const t of this.liveTasks()) detach(this.killTask(t.seq, mode === 'force' ? 'force' : 'graceful', reason), this.#bug);
    }
    this.#checkFinished();
  }

  /** After a drain or stop, dispatch the tasks still queued (a halted job stays halted). */
  startRemaining(): void {
    if (this.#ends.haltReason) throw new CorralFailure('BAD_STATE', `the job halted (${this.#ends.haltReason}); load it again with resume to run the rest`);
    if (!this.#dispatchStopped) throw new CorralFailure('BAD_STATE', `the job is ${this.#state}; start remaining works after a drain or a stop`);
    if (this.#queue.size === 0) throw new CorralFailure('BAD_STATE', 'no task is left to start');
    this.#dispatchStopped = false;
    this.#stopMode = null;
    if (this.#isOver()) {
      this.#endedAt = null;
      this.#finishedPromise = new Promise((r) => (this.#finished = r));
    }
    this.#state = this.#dispatchPaused ? 'paused' : 'running';
    this.#pump();
  }

  /** Throws at once for an unknown or ended task; the returned promise settles when the tree is gone. */
  killTask(seq: number, mode: KillMode, reason: StopProgress['reason'] = 'user'): Promise<void> {
    const t = this.task(seq);
    if (!t.live) {
      if (this.#dispatch.killPrefetched(seq, mode)) return Promise.resolve(); // ends when its host gives it back
      const starting = this.slots.flatMap((s) => s.next).find((n) => n.t === t);
      if (starting) {
        starting.kill = mode; // begun by its host: killed as soon as its attempt starts
        return Promise.resolve();
      }
      if (t.retryTimer || t.state === 'queued') {
        // A queued task "killed" by the user never runs.
        this.#ends.dequeue(t, 'killed');
        return Promise.resolve();
      }
      throw new CorralFailure('BAD_STATE', `task ${seq} is ${t.state}, not running`);
    }
    // Exited on its own before this kill: the kill still ends any leftovers, the exit names the outcome.
    if (mainExitedUnseen(t.live)) noteMainExit(t.live);
    return stopAttempt(t, mode, reason, this.spec, this.#opts.hooks.changed);
  }

  killSlot(slot: number, mode: KillMode): Promise<void> {
    const s = this.slots.find((x) => x.index === slot);
    if (!s) throw new CorralFailure('NOT_FOUND', `no slot ${slot} (the pool has ${this.slots.length})`);
    if (s.taskSeq === null) throw new CorralFailure('BAD_STATE', `slot ${slot} is idle`);
    this.#dispatch.recall([s]); // what its host holds besides the task goes back to the queue
    return this.killTask(s.taskSeq, mode);
  }

  pauseTask(seq: number): void {
    const t = this.task(seq);
    if (!t.live || t.live.stopReason) throw new CorralFailure('BAD_STATE', `task ${seq} is ${t.state}, not running`);
    if (t.live.paused) return;
    pauseAttempt(t, this.spec);
    this.#opts.hooks.changed(t);
  }

  resumeTask(seq: number): void {
    const t = this.task(seq);
    if (!t.live?.paused) throw new CorralFailure('BAD_STATE', `task ${seq} is ${t.state}, not paused`);
    resumeAttempt(t, () => this.#onTimeout(t));
    this.#opts.hooks.changed(t);
  }

  /** Run an ended task again (a new attempt), ahead of the untouched inputs. */
  retryTask(seq: number): void {
    const t = this.task(seq);
    if (!ENDED_STATES.has(t.state) || t.state === 'done') {
      throw new CorralFailure('BAD_STATE', `task ${seq} is ${t.state}; only ended tasks (failed, timed out, memory-killed, killed, interrupted or skipped) can be retried`);
    }
    if (t.info.outcome) this.store.attempts.keep(t.info, t.info.outcome); // the task stream shows every attempt
    this.#ends.reopened(t.info.outcome);
    t.info.state = 'queued';
    t.info.outcome = null;
    t.info.error = null;
    this.#queue.unshift(t.seq);
    this.#opts.hooks.changed(t);
    if (this.#isOver()) {
      this.#state = 'running';
      this.#dispatchStopped = false;
      this.#endedAt = null;
      this.#finishedPromise = new Promise((r) => (this.#finished = r));
    }
    this.#pump();
  }

  /** Per-tick work the sampler drives: percent-of-median timeouts. */
  checkRelativeTimeouts(now: number): void {
    const t = this.spec.timeout;
    if (!t || !('percentOfMedian' in t)) return;
    // GNU parallel waits for 3 finished jobs before a percentage timeout applies.
    const median = this.medianRuntimeMs(3);
    if (median === null) return;
    const limit = (median * t.percentOfMedian) / 100;
    for (const task of this.liveTasks()) {
      const live = task.live;
      if (!live || live.stopReason || live.paused || live.exitedAt !== null) continue;
      if (now - live.startedAt - live.pausedMs > limit) this.#onTimeout(task);
    }
  }

  info(): JobInfo {
    const c = this.store.counts();
    const now = Date.now();
    const recent = this.#ends.endTimes.filter((e) => now - e < 60_000);
    const windowS = Math.min(60, Math.max(1, (now - (this.#startedAt ?? now)) / 1000));
    const rate = recent.length / windowS;
    const remaining = c.queued + c.running;
    return {
      name: this.spec.name,
      file: this.spec.file,
      state: this.#state,
      kind: hostedJob(this.spec) ? 'module' : 'command',
      ordering: this.spec.order,
      poolSize: this.#poolSize,
      dispatchPaused: this.#dispatchPaused,
      counts: c,
      startedAt: this.#startedAt,
      endedAt: this.#endedAt,
      tasksPerSecond: rate,
      // An estimate only while work is being dispatched: paused, stopping or over, there is none.
      etaMs: this.#state !== 'running' ? null : rate > 0 && remaining > 0 ? (remaining / rate) * 1000 : remaining === 0 ? 0 : null,
      haltReason: this.#ends.haltReason,
      joblog: this.#opts.joblog?.path ?? null,
      attempts: { ...this.#ends.attempts },
    };
  }

  /** A task holds a slot. */
  hasRunningTasks(): boolean {
    return this.#running > 0;
  }

  /** The job is not done with its tasks: one holds a slot, a retry waits out its delay, or a row is not on disk yet. */
  hasWorkInFlight(): boolean {
    return this.#running > 0 || this.#ends.waitingRetries > 0 || this.#ends.pendingLogs > 0 || this.#dispatch.inFlight;
  }

  /** A job left unfinished with nothing in flight (paused, then closed or loaded over): its idle hosts end. */
  releaseIdleHosts(): void {
    if (this.hasWorkInFlight()) return;
    for (const s of this.slots) this.#releaseHost(s);
  }

  /** Shuts a slot's module host down and tells the orphan guard its group is gone. */
  #releaseHost(slot: Slot): void {
    const h = slot.host;
    if (!h) return;
    h.shutdown();
    if (h.registered) this.#opts.hooks.groupEnded(h.pid);
    slot.host = null;
  }

  // ---- dispatch -------------------------------------------------------------------------

  #pump(): void {
    this.#dispatch.pump();
  }

  #run(t: TaskRecord, slot: Slot, host?: TaskHost): void {
    slot.taskSeq = t.seq;
    t.info.command = this.#opts.display(t.info.input, t.seq, slot.index); // {%} is this slot
    this.#running++;
    const tee = this.#opts.hooks.output;
    t.output.tee = tee ? (chunk, stream) => tee(t, stream, chunk) : null;
    const ended = (r: AttemptResult) => {
      this.#running--;
      this.#ends.attemptEnded(t, slot, r);
    };
    const hooks = {
      changed: this.#opts.hooks.changed,
      groupStarted: (pid: number, pgid: number | null, startTime?: string) => this.#opts.hooks.groupStarted(t, pid, pgid, startTime),
      groupEnded: this.#opts.hooks.groupEnded,
      onTimeout: () => this.#onTimeout(t),
    };
    // An attempt that throws is a bug: the task still ends (failed, saying so) and frees its slot.
    beginAttempt(t, slot, this.spec, this.#opts.env, hooks, host, ended, (err: Error) =>
      ended({ ok: false, exitCode: null, signal: null, error: `internal error: ${err.message}`, recycleHost: true, endedBy: null, treeGone: false }),
    );
    // Begun by its host after a stop reached the supervisor but before the recall reached the host.
    if (this.#stopMode === 'graceful' || this.#stopMode === 'force') detach(this.killTask(t.seq, this.#stopMode === 'force' ? 'force' : 'graceful', 'job-stop'), this.#bug);
  }

  #onTimeout(t: TaskRecord): void {
    if (!t.live || t.live.stopReason) return;
    // Fired after the main process exited but before Node saw it: the exit names the outcome
    // (noted first), the stop only ends what the process left behind.
    if (mainExitedUnseen(t.live)) noteMainExit(t.live);
    const ran = Date.now() - t.live.startedAt - t.live.pausedMs;
    const limit = this.spec.timeout;
    const why = limit && 'percentOfMedian' in limit ? ` (${limit.percentOfMedian}% of the median)` : '';
    t.live.stopMessage = `timed out after ${(ran / 1000).toFixed(1)} s${why}`;
    detach(stopAttempt(t, 'graceful', 'timeout', this.spec, this.#opts.hooks.changed), this.#bug);
  }

  /** Work nobody awaits failed: a bug, told as an error notice rather than an unhandled rejection. */
  readonly #bug = (err: Error): void => this.#opts.hooks.notice({ level: 'error', kind: 'error', message: `internal error: ${err.message}` });

  #isOver(): boolean {
    return this.#state === 'finished' || this.#state === 'halted' || this.#state === 'stopped';
  }

  #checkFinished(): void {
    if (this.#isOver() || this.#state === 'ready') return;
    if (this.hasWorkInFlight()) return;
    if ((this.#queue.size > 0 || !this.#opts.inputs.complete) && !this.#dispatchStopped) return;
    this.#endedAt = Date.now();
    this.#state = this.#ends.haltReason ? 'halted' : this.#dispatchStopped ? 'stopped' : 'finished';
    for (const s of this.slots) this.#releaseHost(s);
    const c = this.info().counts;
    const more = (['killed', 'interrupted', 'skipped'] as const).filter((k) => c[k] > 0).map((k) => `, ${c[k]} ${k}`).join('');
    this.#opts.hooks.notice({
      level: c.failed > 0 ? 'warn' : 'info',
      kind: 'job-finished',
      message: `${this.spec.name} ${this.#state}: ${c.done} ok, ${c.failed} failed${more}, ${c.queued} not run`,
    });
    this.#finished();
  }
}
