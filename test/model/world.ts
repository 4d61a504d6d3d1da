import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MethodName } from '../../main/contract/api.js';
import type { JobState, StopProgress, TaskInfo, Tick } from '../../main/contract/types.js';
import { parseJoblog } from '../../main/core/log/joblog.js';
import { createSupervisor, type Supervisor } from '../../main/core/supervisor.js';
import type { JobRun } from '../../main/core/pool/jobRun.js';
import { ProcessBook, readProc, type SentSignal } from '../support/processWatch.js';
import { waitFor, withDeadline } from '../support/wait.js';
import { attemptKey, checkCounts, checkJoblogText, checkPrefetched, checkSessionRows, checkSlots, expectedResumed, type AttemptKey } from './checks.js';
import { crashedRun, markedProcesses } from './crash.js';
import { CPU_IDLE_MS, MARKER_ENV, isBusyInput, jobText, type JobPlan } from './jobs.js';
import { HOLDS_SLOT } from './shape.js';
import { Violations } from './violations.js';

/** Stops the job makes itself (not the user's killTask): the attempts they end are interrupted. */
const JOB_STOPS: ReadonlySet<StopProgress['reason']> = new Set(['job-stop', 'halt', 'quit']);
const OVER: ReadonlySet<JobState> = new Set(['finished', 'stopped', 'halted']);
const ENDED = new Set(['done', 'failed', 'killed', 'timeout', 'memory-killed', 'skipped', 'interrupted']);

/**
 * The real system under test: an in-process supervisor on a temp joblog, restarted with --resume
 * on demand. Checks the tick invariants on every tick and the snapshot ones after every command.
 */
export class World {
  readonly v = new Violations();
  readonly book = new ProcessBook();
  readonly trace: string[] = [];
  readonly #dir: string;
  readonly #plan: JobPlan;
  readonly #joblog: string;
  /** NAME=value every task process of this run carries */
  readonly #marker: string;
  #sup!: Supervisor;
  #off: (() => void)[] = [];
  #poller: NodeJS.Timeout | null = null;
  #started = false;
  #sessionRow = 0; // rows in the joblog before this session
  #hostPids = new Set<number>();
  #interrupted = new Map<AttemptKey, string>();
  #merged = new Map<number, TaskInfo>();
  #ends = new Map<AttemptKey, Set<number | null>>();
  #busyCpu = new Map<AttemptKey, { t: number; cpu: number }[]>();

  private constructor(plan: JobPlan) {
    this.#plan = plan;
    this.#dir = mkdtempSync(join(tmpdir(), 'corral-model-'));
    this.#joblog = join(this.#dir, 'joblog.tsv');
    const name = `model-${process.pid}-${Date.now()}`;
    this.#marker = `${MARKER_ENV}=${name}`;
    writeFileSync(join(this.#dir, 'job.yaml'), jobText(plan, name));
  }

  static async create(plan: JobPlan): Promise<World> {
    const w = new World(plan);
    await w.#openSession(null);
    return w;
  }

  get tasks(): number {
    return this.#plan.inputs.length;
  }

  async #openSession(resume: 'resume' | 'resume-failed' | null): Promise<void> {
    const sup = createSupervisor({ stateDir: join(this.#dir, 'state'), joblog: this.#joblog, resume, orphanGuard: false, settings: { tickMs: this.#plan.tickMs } });
    this.#sup = sup;
    this.#off = [sup.on('tick', (t) => this.#onTick(t)), sup.on('notice', () => queueMicrotask(() => this.#scanStops()))];
    this.#poller = setInterval(() => this.#watchRun(), 20);
    const r = await sup.call('loadJob', { path: join(this.#dir, 'job.yaml') });
    if (!r.ok) throw new Error(`loadJob failed: ${r.error.message}`);
    if (resume) {
      const rows = parseJoblog(readFileSync(this.#joblog, 'utf8'));
      const want = expectedResumed(rows, this.tasks, resume);
      const runs = allInfos(sup.run!).filter((t) => t.state !== 'skipped').map((t) => t.seq);
      this.v.expect(`${resume}-runs-exactly`, same(runs, want), () => `--${resume} runs ${runs.join(',') || 'nothing'}, the joblog says ${want.join(',') || 'nothing'}`);
    }
  }

  /** A contract call as the user makes it, then the snapshot invariants. */
  async call(label: string, method: MethodName, args: unknown): Promise<void> {
    this.v.step++;
    this.trace.push(label);
    const r = await this.#sup.call(method, args);
    if (method === 'startJob' && r.ok) this.#started = true;
    this.v.expect('no-internal-error', r.ok || r.error.code !== 'INTERNAL', () => `${label}: ${!r.ok && r.error.message}`);
    await this.checkpoint(label);
  }

  async wait(ms: number): Promise<void> {
    this.v.step++;
    this.trace.push(`wait ${ms}`);
    await new Promise((r) => setTimeout(r, ms));
    await this.checkpoint(`wait ${ms}`);
  }

  async checkpoint(where: string): Promise<void> {
    const snap = await this.#sup.call('getSnapshot', {});
    if (snap.ok && snap.value.job) checkCounts(this.v, snap.value.job, snap.value.tasks, `snapshot ${where}`);
    // Slots and counts read in one synchronous step from the run (the snapshot's slots are the last tick's).
    const run = this.#sup.run;
    if (run) {
      const slots = run.slots.map((s) => ({ slot: s.index, taskSeq: s.taskSeq, cpuPercent: 0, rss: 0, procs: 0 }));
      checkSlots(this.v, run.info(), slots, allInfos(run), `run ${where}`);
      const prefetched = run.slots.flatMap((s) => s.host?.waitingIds() ?? []).map((seq) => run.taskInfo(seq));
      checkPrefetched(this.v, run.info(), slots, prefetched, `run ${where}`);
    }
    this.#scanStops();
    this.v.raise();
  }

  /** Close (the app quitting) and start again on the same joblog with --resume or --resume-failed. */
  async restart(mode: 'resume' | 'resume-failed', graceMs: number): Promise<void> {
    this.v.step++;
    this.trace.push(`restart --${mode} (grace ${graceMs} ms)`);
    await this.#closeSession(graceMs, 'session before restart');
    await this.#openSession(mode);
    if (this.#started) {
      const r = await this.#sup.call('startJob', {});
      this.v.expect('no-internal-error', r.ok, () => `startJob after restart: ${!r.ok && r.error.message}`);
    }
    await this.checkpoint('restart');
  }

  /**
   * Close, then a `corral run --resume` in a child process SIGKILLed after `afterMs` (a crash: no
   * rows for its running tasks), then start again in-process with --resume or --resume-failed.
   */
  async crash(mode: 'resume' | 'resume-failed', afterMs: number): Promise<void> {
    this.v.step++;
    this.trace.push(`crash after ${afterMs} ms, then --${mode}`);
    await this.#closeSession(1_000, 'session before the crash');
    const left = await crashedRun({ jobFile: join(this.#dir, 'job.yaml'), joblog: this.#joblog, stateDir: this.#dir, marker: this.#marker, afterMs });
    this.v.expect('no-live-process-after-end', left.length === 0, () => `the crashed run's reaper left ${left.join(' ')} alive`);
    // The crashed run's rows are on disk whole; they are not checked per attempt (its tasks are unknown here).
    this.#sessionRow = checkJoblogText(this.v, readFileSync(this.#joblog, 'utf8')).length;
    await this.#openSession(mode);
    if (this.#started) await this.#sup.call('startJob', {});
    await this.checkpoint('crash');
  }

  /** Drives the job to its end, then the end-of-run invariants and the resume checks. */
  async finish(): Promise<void> {
    this.trace.push('(finish)');
    const sup = this.#sup;
    const info = sup.run!.info();
    if (info.state === 'ready') await sup.call('startJob', {});
    if (info.dispatchPaused && !OVER.has(info.state)) await sup.call('resumeDispatch', {});
    for (const t of sup.run!.liveTasks()) if (t.live?.paused) await sup.call('resumeTask', { seq: t.seq });
    try {
      await withDeadline(sup.finished(), 90_000, 'the job to end');
    } catch (err) {
      this.v.expect('job-ends', false, () => `${(err as Error).message}; states ${allInfos(sup.run!).map((t) => `${t.seq}:${t.state}`).join(' ')}`);
      await sup.call('stopJob', { mode: 'force' });
      await withDeadline(sup.finished(), 30_000, 'the job to end after a force stop').catch(() => {});
    }
    await this.checkpoint('the end');
    const end = sup.run!.info();
    this.v.expect('job-ends', OVER.has(end.state) && !allInfos(sup.run!).some((t) => HOLDS_SLOT.has(t.state)), () => `job ${end.state} with states ${allInfos(sup.run!).map((t) => `${t.seq}:${t.state}`).join(' ')}`);
    // Every attempt verified its tree gone before it ended: no task process may outlive the job.
    const left = this.book.stillAlive((pid) => !this.#hostPids.has(pid));
    this.v.expect('no-live-process-after-end', left.length === 0, () => `alive after the job ended: ${left.map((p) => `${p.pid}(${p.state})`).join(' ')}`);
    await this.#closeSession(5_000, 'last session');
    // Module hosts are told to shut down at the end of the job: they go shortly after.
    const hosts = await waitFor('module hosts to exit', () => this.book.stillAlive((pid) => this.#hostPids.has(pid)).length === 0, 10_000).catch(() => false);
    this.v.expect('no-live-process-after-end', hosts, () => `module hosts alive 10 s after the end: ${this.book.stillAlive((p) => this.#hostPids.has(p)).map((p) => p.pid).join(' ')}`);
    // Whatever the test saw or not: no process with the run's marker in its environment is left.
    const marked = markedProcesses(this.#marker);
    this.v.expect('no-live-process-after-end', marked.length === 0, () => `processes with ${this.#marker} alive after the end: ${marked.join(' ')}`);
    for (const mode of ['resume', 'resume-failed'] as const) {
      await this.#openSession(mode);
      await this.#sup.close({ graceMs: 1_000 });
      this.#detach();
    }
    this.v.raise();
  }

  async dispose(): Promise<void> {
    await this.#sup.close({ graceMs: 1_000 }).catch(() => {});
    this.#detach();
    this.book.killAll();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** A signal the process sent: it may only reach a process with the start time the test recorded. */
  onSignal(s: SentSignal): void {
    this.#scanStops();
    if (s.startTime === null) return; // nothing there: nothing reached
    const pid = Math.abs(s.target);
    if (!this.book.knows(pid) && this.#owned(pid)) this.book.note(pid); // first sight, right after spawn
    this.v.expect('signal-reaches-recorded-process', this.book.startTimes(pid).has(s.startTime),
      () => `${s.signal} to ${s.target}: start time ${s.startTime}, recorded ${[...this.book.startTimes(pid)].join(',') || 'none (no task owns it)'}`);
  }

  #owned(pid: number): boolean {
    const run = this.#sup.run;
    if (!run) return false;
    return run.liveTasks().some((t) => t.live && (t.live.pid === pid || t.live.pgid === pid || t.treeProcs.some((p) => p.pid === pid))) || run.slots.some((s) => s.host?.pid === pid);
  }

  /** close() as the app quits: every task stopped, its tree gone, its row written. */
  async #closeSession(graceMs: number, label: string): Promise<void> {
    const closing = this.#sup.close({ graceMs });
    this.#scanStops(); // close() stops the running tasks synchronously: note them as interrupted
    await withDeadline(closing, 60_000, 'the supervisor to close');
    const left = this.book.stillAlive((pid) => !this.#hostPids.has(pid));
    this.v.expect('no-live-process-after-end', left.length === 0, () => `alive after the ${label} closed: ${left.map((p) => `${p.pid}(${p.state})`).join(' ')}`);
    this.#endSession(label);
  }

  #endSession(label: string): void {
    const text = readFileSync(this.#joblog, 'utf8');
    const rows = checkJoblogText(this.v, text);
    const tasks = this.#sup.run ? allInfos(this.#sup.run) : [];
    checkSessionRows(this.v, rows.slice(this.#sessionRow), tasks, this.#interrupted, label);
    this.#sessionRow = rows.length;
    this.#detach();
    this.#interrupted.clear();
    this.#merged.clear();
    this.#ends.clear();
    this.#busyCpu.clear();
  }

  #detach(): void {
    for (const off of this.#off.splice(0)) off();
    if (this.#poller) clearInterval(this.#poller);
    this.#poller = null;
  }

  /** Notes every task process (and module host) as early as the test can see it, with its start time. */
  #watchRun(): void {
    const run = this.#sup.run;
    if (!run) return;
    for (const t of run.liveTasks()) {
      if (!t.live) continue;
      if (t.live.pid !== null) this.book.note(t.live.pid);
      for (const p of t.treeProcs) this.book.note(p.pid);
    }
    for (const s of run.slots) {
      if (s.host?.pid == null) continue;
      this.book.note(s.host.pid);
      this.#hostPids.add(s.host.pid);
    }
    this.#scanStops();
  }

  #scanStops(): void {
    for (const t of this.#sup.run?.liveTasks() ?? []) {
      const reason = t.live?.stopReason;
      if (reason && JOB_STOPS.has(reason)) this.#interrupted.set(attemptKey(t.seq, t.live!.n), reason);
    }
  }

  #onTick(t: Tick): void {
    for (const x of t.tasks) {
      this.#merged.set(x.seq, x);
      for (const p of [x.pid, ...x.pids]) if (p !== null) this.book.note(p);
      if (ENDED.has(x.state)) {
        const k = attemptKey(x.seq, x.attempt);
        const ends = this.#ends.get(k) ?? new Set();
        this.#ends.set(k, ends.add(x.endedAt));
        this.v.expect('attempt-ends-once', ends.size <= 1, () => `tick ${t.n}: task ${x.seq} attempt ${x.attempt} ended ${ends.size} times`);
      }
    }
    if (!t.job) return;
    const tasks = [...this.#merged.values()];
    if (tasks.length === this.tasks) checkCounts(this.v, t.job, tasks, `tick ${t.n}`);
    checkSlots(this.v, t.job, t.slots, tasks, `tick ${t.n}`);
    for (const x of t.tasks) if (isBusyInput(x.input) && HOLDS_SLOT.has(x.state)) this.#checkBusy(x, t.time);
  }

  /** A task that used CPU over the window (by the test's own reading of /proc) must not be idle-stuck. */
  #checkBusy(x: TaskInfo, now: number): void {
    const k = attemptKey(x.seq, x.attempt);
    const readings = this.#busyCpu.get(k) ?? [];
    this.#busyCpu.set(k, readings);
    const cpu = x.pids.reduce((a, p) => a + (readProc(p)?.cpuSeconds ?? 0), 0);
    readings.push({ t: now, cpu });
    const ev = x.stuck;
    if (!ev || (!ev.rules.includes('cpuIdle') && ev.state !== 'stuck')) return;
    const base = [...readings].reverse().find((r) => r.t <= now - CPU_IDLE_MS) ?? readings[0];
    const used = cpu - base.cpu;
    const span = (now - base.t) / 1000;
    this.v.expect('busy-task-never-idle', span <= 0 || used < 0.01 * span,
      () => `task ${x.seq} (${x.input}) attempt ${x.attempt} is ${ev.state} (${ev.summary}) though its tree used ${used.toFixed(2)} s CPU in ${span.toFixed(1)} s`);
  }
}

const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Every task's record (small model jobs: the lazy store builds queued and ended ones on demand). */
function allInfos(run: JobRun): TaskInfo[] {
  return Array.from({ length: run.total }, (_, i) => ({ ...run.taskInfo(i + 1) }));
}
