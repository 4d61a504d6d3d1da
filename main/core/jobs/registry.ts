import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import type { LiveJobSummary, LiveJobs, Notice, Tick } from '../../contract/index.js';
import { CorralFailure } from '../errors.js';
import { stateDir as defaultStateDir } from '../reap/index.js';
import { createSupervisor, type Supervisor, type SupervisorOptions } from '../supervisor.js';

// The live jobs of one process (the app, `corral serve`): one supervisor per job, each with its own
// pool, sampler, spawn helper and orphan guard (reaper, ledger file, marker): nothing one job does
// to its processes can reach another's.

export interface LiveJob {
  readonly jobId: string;
  readonly supervisor: Supervisor;
  /** From the job's last tick: what the sidebar shows of a job nobody is watching */
  summary: Omit<LiveJobSummary, 'selected'>;
}

const activeStates = new Set(['running', 'paused', 'draining', 'stopping']);

export class JobRegistry {
  readonly #opts: SupervisorOptions;
  readonly #jobs = new Map<string, LiveJob & { off: () => void }>();
  readonly #events = new EventEmitter();
  #next = 1;
  #machineCpu: number | null = null;
  #closing: Promise<void> | null = null;
  readonly #maxJobs: number;

  /** `opts` are every job's supervisor options; the first job is created at once. */
  constructor({ maxJobs = 32, ...opts }: SupervisorOptions & { maxJobs?: number } = {}) {
    this.#maxJobs = maxJobs;
    const state = opts.stateDir ?? defaultStateDir();
    this.#opts = { ...opts, stateDir: state };
    this.#events.setMaxListeners(100);
    this.add();
  }

  /** A fresh supervisor (no job loaded), newest last in list(). */
  add(): LiveJob {
    if (this.#closing) throw new CorralFailure('BAD_STATE', 'the supervisor is shut down');
    // Each job holds two helper processes (reaper, spawn helper): a bound, not a leak by clicking.
    if (this.#jobs.size >= this.#maxJobs) throw new CorralFailure('BAD_STATE', `at most ${this.#maxJobs} jobs live at once; close a finished one first`);
    const jobId = `job-${this.#next++}`;
    const first = jobId === 'job-1';
    const supervisor = createSupervisor({ ...this.#opts, ledgerPart: first ? undefined : jobId, startupChores: first });
    const entry = { jobId, supervisor, summary: emptySummary(jobId), off: () => {} };
    const offTick = supervisor.on('tick', (t) => this.#onTick(entry, t));
    const offNotice = supervisor.on('notice', (n) => this.#events.emit('notice', jobId, n));
    entry.off = () => (offTick(), offNotice());
    this.#jobs.set(jobId, entry);
    return entry;
  }

  #onTick(entry: LiveJob, t: Tick): void {
    const j = t.job;
    entry.summary = {
      jobId: entry.jobId,
      name: j?.name ?? null,
      state: j?.state ?? 'empty',
      done: j?.counts.done ?? 0,
      failed: j?.counts.failed ?? 0,
      total: j?.counts.total ?? 0,
      running: j?.counts.running ?? 0,
      busy: t.slots.reduce((n, s) => n + (s.taskSeq === null ? 0 : 1), 0),
      poolSize: j?.poolSize ?? 0,
    };
    const cores = t.machine.perCore;
    if (cores.length) this.#machineCpu = cores.reduce((a, b) => a + b, 0) / cores.length;
  }

  get(jobId: string): LiveJob & { off: () => void } {
    const e = this.#jobs.get(jobId);
    if (!e) throw new CorralFailure('NOT_FOUND', `no live job ${jobId}`);
    return e;
  }

  /** The most recently created job (what a new view or control connection shows first). */
  newest(): LiveJob {
    return [...this.#jobs.values()].at(-1)!;
  }

  list(selected: string | null): LiveJobs {
    const jobs = [...this.#jobs.values()].map((e) => ({ ...e.summary, selected: e.jobId === selected }));
    return {
      jobs,
      busy: jobs.reduce((n, j) => n + j.busy, 0),
      pools: jobs.reduce((n, j) => n + (activeStates.has(j.state) ? j.poolSize : 0), 0),
      cores: availableParallelism(),
      machineCpuPercent: this.#machineCpu,
    };
  }

  /** Closes a job with nothing in flight; views showing it move to the newest (a fresh one if it was the last). */
  async close(jobId: string): Promise<void> {
    const e = this.get(jobId);
    if (e.supervisor.run?.hasWorkInFlight()) {
      throw new CorralFailure('JOB_RUNNING', `job ${e.summary.name ?? jobId} is running; stop it before closing it`);
    }
    e.off();
    this.#jobs.delete(jobId);
    if (this.#jobs.size === 0) this.add();
    this.#events.emit('removed', jobId);
    await e.supervisor.close();
  }

  hasRunningTasks(): boolean {
    return [...this.#jobs.values()].some((e) => e.supervisor.hasRunningTasks());
  }

  /** Ctrl-C twice, a second quit: force-stop every job at once. */
  forceStopAll(): void {
    for (const e of this.#jobs.values()) if (e.supervisor.run?.hasWorkInFlight()) e.supervisor.run.stop('force', 'quit');
  }

  /** Quitting: every job's usual stop sequence, side by side. */
  closeAll(opts?: { graceMs?: number }): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#jobs.values()].map((e) => e.supervisor.close(opts)));
      for (const e of this.#jobs.values()) e.off();
    })();
    return this.#closing;
  }

  on(event: 'removed', cb: (jobId: string) => void): () => void;
  on(event: 'notice', cb: (jobId: string, n: Notice) => void): () => void;
  on(event: 'removed' | 'notice', cb: (...a: any[]) => void): () => void { // eslint-disable-line @typescript-eslint/no-explicit-any
    this.#events.on(event, cb);
    return () => this.#events.off(event, cb);
  }
}

function emptySummary(jobId: string): Omit<LiveJobSummary, 'selected'> {
  return { jobId, name: null, state: 'empty', done: 0, failed: 0, total: 0, running: 0, busy: 0, poolSize: 0 };
}
